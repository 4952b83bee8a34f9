"""Task ledger files: Chinese or English headers, CSV in any encoding or XLSX, every bad cell."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from luoshi.errors import LuoshiError, TableError
from luoshi.reports.task_table import read_tasks

DATA = Path(__file__).parent.parent / "data" / "reports"
LEDGER = DATA / "tasks.csv"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_ledger_in_common_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "tasks.csv"
    path.write_bytes(LEDGER.read_text("utf-8").encode(encoding))
    tasks = read_tasks(path)
    assert [t.state for t in tasks] == [
        "on_track",
        "late",
        "on_track",
        "late",
        "not_started",
        "done",
    ]
    late = tasks[1]
    assert (late.area, late.department, late.due, late.late_reason) == (
        "城乡融合发展",
        "市住房城乡建设局",
        "2027-06-30",
        "征收补偿方案尚未批复",
    )
    assert [t.title for t in tasks if t.is_project] == [
        "轨道交通3号线二期工程",
        "建设综合性科学中心",
    ]


def test_xlsx_ledger_with_english_headers(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "notes"
    sheet = book.create_sheet("tasks")
    sheet.append(["title", "state", "department", "project"])
    sheet.append(["推进城市更新行动", "late", "市住房城乡建设局", "yes"])
    sheet.append(["完善养老服务体系", "已完成", None, None])
    book.save(tmp_path / "ledger.xlsx")
    tasks = read_tasks(tmp_path / "ledger.xlsx")
    assert [(t.title, t.state, t.is_project) for t in tasks] == [
        ("推进城市更新行动", "late", True),
        ("完善养老服务体系", "done", False),
    ]


def test_every_bad_cell_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "任务,进展,重大项目,完成时限\n甲,停滞,否,\n,滞后,也许,明年\n乙,已完成,是,2027-01-01\n",
        "utf-8",
    )
    with pytest.raises(TableError) as caught:
        read_tasks(path)
    found = {(p.row, p.column) for p in caught.value.errors}
    assert found == {(2, "进展"), (3, "任务"), (3, "重大项目"), (3, "完成时限")}
    assert "bad.csv 第2行 列 进展: 未知进展“停滞”" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title,area\nx,y\n", "缺少必需列"),
        (b"", "文件为空"),
        (b"\x00\x01\x02PK\x03\x04" * 40, "不是文本文件"),
    ],
)
def test_unusable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(LuoshiError, match=message):
        read_tasks(path)


def test_cli_report_with_a_ledger_has_the_task_part(tmp_path: Path, cjk_fonts: None) -> None:
    out = tmp_path / "r.docx"
    code = "from luoshi.cli import main; main()"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "report",
            "--indicators",
            str(DATA / "indicators.csv"),
            "--observations",
            str(DATA / "observations.csv"),
            "--tasks",
            str(LEDGER),
            "--year",
            "2027",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    doc = Document(io.BytesIO(out.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert (
        "6项重点任务和举措（每项按牵头单位计）中，已完成1项、按进度推进2项、滞后2项、未启动1项。其中重大项目2项。"
        in texts
    )
    late_table = next(t for t in doc.tables if t.rows[0].cells[-1].text == "滞后原因")
    assert [r.cells[1].text for r in late_table.rows[1:]] == [
        "推进城市更新行动",
        "建设综合性科学中心",
    ]
