import pytest

from luoshi.errors import CellProblem, DocumentError, TableError


def test_document_error_names_the_file():
    assert str(DocumentError("不是文本文件", where="plan.bin")) == "plan.bin: 不是文本文件"


def test_table_error_names_file_sheet_row_column_and_counts_the_rest():
    err = TableError(
        [
            CellProblem("a.xlsx", "indicators", 3, "target", "应为数字,实为 'abc'"),
            CellProblem("a.xlsx", "indicators", 5, "kind", "未知的目标类型 'foo'"),
        ]
    )
    first = "a.xlsx 工作表 indicators 第3行 列 target: 应为数字,实为 'abc'"
    assert str(err) == first + "(另有 1 处问题)"
    assert len(err.errors) == 2


def test_table_error_needs_a_problem():
    with pytest.raises(ValueError):
        TableError([])
