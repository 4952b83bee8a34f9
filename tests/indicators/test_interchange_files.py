"""Files as offices save them: blank rows, other encodings and separators, one-sheet workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from luoshi.errors import TableError
from luoshi.indicators import read_indicators, read_observations

OBS_HEADER = "代码,年份,数值,地区,来源,备注,年度目标,评估结论\n"
IND = (
    "代码,指标名称,单位,基期年,基期值,目标年,目标类型,目标值\n"
    "C01,地区生产总值增长,%,2025,,2030,avg_rate_at_least,5.5\n"
    "C02,城镇化率,%,2025,70,2030,level,75\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def problems(call) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(TableError) as exc:
        call()
    return [str(p) for p in exc.value.errors]


@pytest.mark.parametrize(
    "tail",
    ["\n", "\n\n", ",,,,,,,\n", ",,,,,,,\n\n,,,,,,,\n", " \n", "\r\n", " , ,,,,,,\n"],
)
def test_blank_rows_of_a_csv_are_skipped(tmp_path: Path, tail: str) -> None:
    text = OBS_HEADER + "C01,2021,7.0,,,,,\n" + tail + "C01,2022,3.9,,,,,\n" + tail
    obs = read_observations(write(tmp_path, "obs.csv", text))
    assert obs.frame["year"].to_list() == [2021, 2022]
    assert obs.frame["value"].to_list() == [7.0, 3.9]


def test_only_blank_rows_is_no_rows(tmp_path: Path) -> None:
    found = problems(lambda: read_observations(write(tmp_path, "obs.csv", OBS_HEADER + "\n,,,\n")))
    assert found == ["obs.csv: 没有观测值行 no observation rows"]


def test_rows_after_blank_lines_keep_their_line_numbers(tmp_path: Path) -> None:
    text = OBS_HEADER + "C01,2021,7.0,,,,,\n\n,,,,,,,\nC01,20x2,3.9,,,,,\nC01,2021,1,,,,,\n"
    found = problems(lambda: read_observations(write(tmp_path, "obs.csv", text)))
    assert found == [
        "obs.csv 第5行 列 年份: 应为年份(如 2025)，实际为“20x2” expected a year",
        "obs.csv 第6行 列 年份: 与第2行重复(同一指标、地区、年份) duplicate observation",
    ]


def test_indicator_rows_after_blank_lines_keep_their_line_numbers(tmp_path: Path) -> None:
    text = IND + ",,,,,,,\n\nC01,重复,%,2025,,2030,level,\n"
    found = problems(lambda: read_indicators(write(tmp_path, "ind.csv", text)))
    assert found == [
        "ind.csv 第6行 列 基期值: 目标类型 level 需要填写此列 required for kind level",
        "ind.csv 第6行 列 目标值: 目标类型 level 需要填写此列 required for kind level",
        "ind.csv 第6行 列 代码: 代码“C01”重复(第2行已有) duplicate code",
    ]
    table = read_indicators(write(tmp_path, "ok.csv", IND + "\n,,,,,,,\n"))
    assert table.codes() == ["C01", "C02"]


def test_xlsx_rows_after_an_empty_row_keep_their_row_numbers(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "observations"
    ws.append(["code", "year", "value"])
    ws.append(["C01", 2021, 7.0])
    ws.append([None, None, None])
    ws.append(["", " ", None])
    ws.append(["C01", "20x2", 3.9])
    path = tmp_path / "obs.xlsx"
    book.save(path)
    found = problems(lambda: read_observations(path))
    assert found == [
        "obs.xlsx 工作表 observations 第5行 列 year: "
        "应为年份(如 2025)，实际为“20x2” expected a year"
    ]


EXCEL_UNICODE_TEXT = OBS_HEADER.replace(",", "\t") + "C01\t2021\t7.0\t甲区\t统计公报\t\t\t\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8", "gb18030"])
def test_tab_separated_text_in_utf16_as_excel_saves_it(tmp_path: Path, encoding: str) -> None:
    data = EXCEL_UNICODE_TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # Excel writes the BOM; add it by hand
        data = "\ufeff".encode(encoding) + data
    path = tmp_path / "obs.txt"
    path.write_bytes(data)
    obs = read_observations(path)
    assert obs.frame.select("code", "region", "year", "value", "source").rows() == [
        ("C01", "甲区", 2021, 7.0, "统计公报")
    ]


def test_utf16_comma_separated_indicator_table(tmp_path: Path) -> None:
    table = read_indicators(write(tmp_path, "ind.csv", IND, "utf-16"))
    assert table.codes() == ["C01", "C02"]


def test_big5_table_with_traditional_headers_and_words(tmp_path: Path) -> None:
    text = (
        "代碼,指標名稱,類別,單位,屬性,方向,基期年,基期值,目標年,目標類型,目標值\n"
        "C01,地區生產總值增長,經濟發展,%,預期性,正向,2025,,2030,avg_rate_at_least,5.5\n"
        "C02,常住人口城鎮化率,經濟發展,%,約束性,正向,2025,70,2030,水平值,75\n"
    )
    table = read_indicators(write(tmp_path, "ind.csv", text, "big5"))
    assert table.frame.select("code", "name", "attribute", "kind").rows() == [
        ("C01", "地區生產總值增長", "expected", "avg_rate_at_least"),
        ("C02", "常住人口城鎮化率", "binding", "level"),
    ]
    obs = "代碼,年份,數值,地區,評估結論\n" + "".join(
        f"C01,{y},5.8,{r},基本符合預期\nC02,{y},71,{r},\n"
        for y in (2026, 2027)
        for r in ("東區", "西區", "")
    )
    got = read_observations(write(tmp_path, "obs.csv", obs, "big5"), table)
    assert got.frame["judgement"].to_list() == ["in_line", None] * 6
    assert got.frame["region"].to_list()[:2] == ["東區", "東區"]


def test_binary_data_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02\x03\xff\xfe\x00\x00binary" * 100)
    found = problems(lambda: read_observations(path))
    assert len(found) == 1 and found[0].startswith("x.csv: ") and "not a text" in found[0]


def workbook(tmp_path: Path, sheets: dict[str, str]) -> Path:
    """A workbook with a sheet per (name, CSV text)."""
    book = Workbook()
    book.remove(book.active)
    for name, text in sheets.items():
        ws = book.create_sheet(name)
        for line in text.splitlines():
            ws.append(line.split(","))
    path = tmp_path / "book.xlsx"
    book.save(path)
    return path


def test_the_only_sheet_of_a_workbook_is_used_whatever_its_name(tmp_path: Path) -> None:
    assert read_indicators(workbook(tmp_path, {"Sheet1": IND})).codes() == ["C01", "C02"]
    obs = read_observations(workbook(tmp_path, {"Sheet1": OBS_HEADER + "C01,2021,7,,,,,\n"}))
    assert obs.frame["value"].to_list() == [7.0]
    found = problems(lambda: read_indicators(workbook(tmp_path, {"Sheet1": "a,b\n1,2\n"})))
    assert found[0] == (
        "book.xlsx 工作表 Sheet1 第1行 列 code: 缺少必需列 code(代码) missing required column"
    )


def test_the_sheet_whose_header_fits_is_used(tmp_path: Path) -> None:
    obs = OBS_HEADER + "C01,2021,7,,,,,\n"
    path = workbook(tmp_path, {"说明": "本表由统计局填报\n", "Sheet2": obs, "Sheet3": IND})
    assert read_indicators(path).codes() == ["C01", "C02"]
    assert read_observations(path).frame["year"].to_list() == [2021]


def test_a_sheet_named_in_traditional_characters(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"說明": "x\n", "指標": IND.replace("代码", "代碼")})
    assert read_indicators(path).codes() == ["C01", "C02"]


def test_several_fitting_sheets_are_named(tmp_path: Path) -> None:
    path = workbook(tmp_path, {"2025": IND, "2026": IND})
    found = problems(lambda: read_indicators(path))
    assert found == [
        "book.xlsx: 工作表 2025、2026 都像indicators / 指标表，请把其一命名为 indicators "
        "several sheets could be indicators"
    ]
