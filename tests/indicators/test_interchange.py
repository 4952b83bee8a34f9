"""Interchange files (METHOD.md §3): encodings, XLSX sheets, Chinese headers, bad cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from luoshi.errors import TableError
from luoshi.indicators import (
    IndicatorTable,
    Observations,
    evaluate,
    read_indicators,
    read_observations,
    write_tables,
)

ZH_INDICATORS = (
    "代码,指标名称,类别,单位,属性,方向,基期年,基期值,目标年,目标类型,目标值,目标上限,对标指标,容差,目标表述\n"
    "GDP,地区生产总值增长,经济发展,%,预期性,,2025,,2030,avg_rate_at_least,>5.5,,,,年均增长5.5%以上\n"
    "URB,常住人口城镇化率,经济发展,%,约束性,正向,2025,70,2030,水平值,75%,,,,75\n"
    "EN,单位GDP能耗降低,绿色生态,%,约束性,,2025,,2030,累计降低,[13.5],,,,[13.5]\n"
)
EN_OBSERVATIONS = (
    "code,year,value,region,source,note\nGDP,2026,5.8,,统计公报,\nURB,2026,71,,统计公报,\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_and_chinese_headers(tmp_path: Path, encoding: str) -> None:
    table = read_indicators(write(tmp_path, "ind.csv", ZH_INDICATORS, encoding))
    obs = read_observations(write(tmp_path, "obs.csv", EN_OBSERVATIONS, encoding), table)
    assert table.codes() == ["GDP", "URB", "EN"]
    urb = table["URB"]
    assert (urb.kind, urb.attribute, urb.direction, urb.target, urb.base_value) == (
        "level",
        "binding",
        "up",
        75.0,
        70.0,
    )
    assert (table["GDP"].target, table["EN"].target, table["EN"].kind) == (
        5.5,
        13.5,
        "cumulative_reduction",
    )
    assert table["GDP"].target_text == "年均增长5.5%以上"
    assert len(obs) == 2 and obs.regions() == [""]


def test_xlsx_sheets_round_trip(tmp_path: Path) -> None:
    table = read_indicators(write(tmp_path, "ind.csv", ZH_INDICATORS))
    obs = read_observations(write(tmp_path, "obs.csv", EN_OBSERVATIONS), table)
    book = tmp_path / "plan.xlsx"
    write_tables(book, table, obs)
    again, again_obs = read_indicators(book), read_observations(book, table)
    assert again.frame.equals(table.frame)
    assert again_obs.frame.equals(obs.frame)
    csv_out = tmp_path / "out.csv"
    write_tables(csv_out, observations=obs)
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_observations(csv_out).frame.equals(obs.frame)


def test_xlsx_with_chinese_sheet_names_and_numbers_as_cells(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "指标"
    ws.append(["代码", "指标名称", "基期年", "基期值", "目标年", "目标类型", "目标值"])
    ws.append(["A", "甲", 2025, 10, 2030, "level", 20])
    ws2 = book.create_sheet("观测值")
    ws2.append(["代码", "年份", "数值", "地区"])
    ws2.append(["A", 2027, 14.0, "甲区"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    table = read_indicators(path)
    [e] = evaluate(table, read_observations(path, table), 2027)
    assert (e.region, e.status, e.achievement_progress) == ("甲区", "in_line", pytest.approx(0.4))


def _problems(exc: pytest.ExceptionInfo[TableError]) -> list[str]:
    return [str(p) for p in exc.value.errors]


def test_every_bad_cell_is_named(tmp_path: Path) -> None:
    bad = (
        "code,name,base_year,base_value,target_year,kind,target,attribute,benchmark\n"
        "A,甲,2025,10,2030,level,abc,预期性,\n"
        ",乙,20x5,,2030,rate_above,,必须,ZZ\n"
        "A,丙,2025,1,2020,sideways,1,,\n"
    )
    with pytest.raises(TableError) as exc:
        read_indicators(write(tmp_path, "bad.csv", bad))
    assert _problems(exc) == [
        "bad.csv 第2行 列 target: 应为数字，实际为“abc” expected a number",
        "bad.csv 第3行 列 code: 必填，不能为空 required",
        "bad.csv 第3行 列 attribute: 应为 预期性/约束性 (expected/binding)，实际为“必须”",
        "bad.csv 第3行 列 base_year: 应为年份(如 2025)，实际为“20x5” expected a year",
        "bad.csv 第3行 列 benchmark: 对标指标“ZZ”不在本表中 unknown benchmark code",
        "bad.csv 第4行 列 kind: 应为 目标类型 level/at_least/at_most/avg_rate_at_least/"
        "avg_rate_in_range/cumulative_reduction/cumulative_increase/rate_above/rate_in_step/"
        "qualitative，实际为“sideways”",
        "bad.csv 第4行 列 target_year: 目标年应晚于基期年(2025) must be after base_year",
        "bad.csv 第4行 列 code: 代码“A”重复(第2行已有) duplicate code",
    ]


def test_cells_read_as_a_planner_types_them(tmp_path: Path) -> None:
    text = (
        "code,name,base_year,base_value,target_year,kind,target,target_high,tolerance,attribute\n"
        '\u3000A\u3000,甲,２０２５,"1,000",2030.0,LEVEL,1.2e3,,,BINDING\n'
        "B,乙,2025,,2030,年均增速区间,≥5.5,7%以上,.5,约束\n"
    )
    rows = [i.to_dict() for i in read_indicators(write(tmp_path, "t.csv", text))]
    picked = [
        (r["code"], r["base_year"], r["base_value"], r["target_year"], r["kind"], r["target"])
        for r in rows
    ]
    assert picked == [
        ("A", 2025, 1000.0, 2030, "level", 1200.0),
        ("B", 2025, None, 2030, "avg_rate_in_range", 5.5),
    ]
    assert [(r["target_high"], r["tolerance"], r["attribute"]) for r in rows] == [
        (None, None, "binding"),
        (7.0, 0.5, "binding"),
    ]


def test_kind_needs_its_columns(tmp_path: Path) -> None:
    text = (
        "code,name,base_year,target_year,kind,target\n"
        "L,水平,2025,2030,level,5\n"
        "R,区间,2025,2030,avg_rate_in_range,1\n"
        "S,同步,2025,2030,rate_in_step,\n"
    )
    with pytest.raises(TableError) as exc:
        read_indicators(write(tmp_path, "k.csv", text))
    assert [(p.row, p.column) for p in exc.value.errors] == [
        (2, "base_value"),
        (3, "target_high"),
        (4, "benchmark"),
    ]


def test_bad_observation_cells_and_nothing_is_used(tmp_path: Path) -> None:
    table = read_indicators(write(tmp_path, "ind.csv", ZH_INDICATORS))
    text = (
        "指标代码,年份,数值,地区\n"
        "GDP,2026,5.8,\n"
        "GDP,2027,五点五,\n"
        "XX,2027,1,\n"
        "GDP,2026,6.0,\n"
        "URB,,71,\n"
        "URB,2027,,\n"
    )
    with pytest.raises(TableError) as exc:
        read_observations(write(tmp_path, "obs.csv", text), table)
    assert _problems(exc) == [
        "obs.csv 第3行 列 数值: 应为数字，实际为“五点五” expected a number",
        "obs.csv 第4行 列 指标代码: 指标代码“XX”不在指标表中 unknown indicator code",
        "obs.csv 第5行 列 年份: 与第2行重复(同一指标、地区、年份) duplicate observation",
        "obs.csv 第6行 列 年份: 应为年份(如 2025)，实际为“” expected a year",
        "obs.csv 第7行 列 数值: 数值为空(且无年度目标或评估结论) value is empty",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "不是文本"),
        (b"", "文件为空"),
        (b"\xff\xfe\xfa\xfb\xff" * 3, "无法识别编码"),
        (b"PK\x03\x04 not really a workbook", "无法打开 Excel 文件"),
        ("名称,数值\n甲,1\n".encode(), "缺少必需列 code(代码)"),
    ],
)
def test_unreadable_files_get_one_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    p = tmp_path / "x.csv"
    p.write_bytes(content)
    with pytest.raises(TableError) as exc:
        read_observations(p)
    assert message in str(exc.value)
    assert str(exc.value).startswith("x.csv")


def test_missing_sheet_is_named(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Sheet1"
    book.create_sheet("Sheet2")
    path = tmp_path / "b.xlsx"
    book.save(path)
    with pytest.raises(TableError, match="缺少工作表 indicators / 指标"):
        read_indicators(path)


def test_missing_file() -> None:
    with pytest.raises(TableError, match="文件不存在"):
        read_indicators("/nonexistent/ind.csv")


def test_rows_from_a_database_are_checked_like_a_file() -> None:
    row = {"code": "A", "name": "甲", "base_year": 2025, "target_year": 2030, "kind": "level"}
    table = IndicatorTable.from_rows([row | {"base_value": 1.0, "target": 2}])
    obs = Observations.from_rows([{"code": "A", "year": 2027, "value": 1.4, "region": None}])
    assert evaluate(table, obs, 2027)[0].status == "in_line"
    with pytest.raises(TableError) as exc:
        Observations.from_rows([{"code": "A", "year": "soon", "value": 1}], source="数据库")
    assert (
        str(exc.value.errors[0])
        == "数据库 第2行 列 year: 应为年份(如 2025)，实际为“soon” expected a year"
    )


REGIONAL = "code,region,year,value\nGDP,甲区,2026,5.8\nGDP,乙区,2026,6.1\nURB,甲区,2026,71\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_region_names_read_alike_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    table = read_indicators(write(tmp_path, "ind.csv", ZH_INDICATORS))
    obs = read_observations(write(tmp_path, "obs.csv", REGIONAL, encoding), table)
    assert obs.regions() == ["乙区", "甲区"]
    assert obs.frame.select("code", "region", "year", "value").rows() == [
        ("GDP", "甲区", 2026, 5.8),
        ("GDP", "乙区", 2026, 6.1),
        ("URB", "甲区", 2026, 71.0),
    ]


def test_a_year_twice_in_one_region_is_a_duplicate_but_not_across_regions(tmp_path: Path) -> None:
    table = read_indicators(write(tmp_path, "ind.csv", ZH_INDICATORS))
    assert len(read_observations(write(tmp_path, "a.csv", REGIONAL), table)) == 3
    with pytest.raises(TableError) as exc:
        read_observations(write(tmp_path, "b.csv", REGIONAL + "GDP,乙区,2026,6.0\n"), table)
    assert _problems(exc) == [
        "b.csv 第5行 列 year: 与第3行重复(同一指标、地区、年份) duplicate observation"
    ]


def test_clean_and_dirty_paths_agree(tmp_path: Path) -> None:
    """A file with padded cells takes the careful path and still reads the same values."""
    table = read_indicators(write(tmp_path, "ind.csv", ZH_INDICATORS))
    clean = read_observations(write(tmp_path, "a.csv", EN_OBSERVATIONS), table)
    padded = EN_OBSERVATIONS.replace("5.8", " 5.8 ").replace("GDP,", " GDP ,")
    careful = read_observations(write(tmp_path, "b.csv", padded), table)
    assert careful.frame.select("code", "year", "value").equals(
        clean.frame.select("code", "year", "value")
    )


def test_padded_regions_and_codes_read_the_same_with_or_without_a_table(tmp_path: Path) -> None:
    """Spaces around a region or a code never make a series of their own."""
    table = read_indicators(write(tmp_path, "ind.csv", ZH_INDICATORS))
    padded = REGIONAL.replace("甲区", " 甲区").replace("乙区", "乙区\u3000")
    for indicators in (table, None):
        obs = read_observations(write(tmp_path, "p.csv", padded), indicators)
        assert obs.regions() == ["乙区", "甲区"]
    bare = REGIONAL.replace("GDP,", "GDP ,")
    assert read_observations(write(tmp_path, "c.csv", bare)).index().codes == ("GDP", "URB")


def test_no_rows_from_a_database_is_an_empty_table_not_an_error() -> None:
    table, obs = IndicatorTable.from_rows([]), Observations.from_rows([])
    assert (len(table), len(obs), evaluate(table, obs, 2027)) == (0, 0, [])
    row = {"code": "A", "name": "甲", "base_year": 2025, "target_year": 2030, "kind": "level"}
    [e] = evaluate(IndicatorTable.from_rows([row | {"base_value": 1, "target": 2}]), obs, 2027)
    assert (e.status, e.reason) == ("not_evaluable", "2026—2027年无观测数据")


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    row = {"code": "A", "name": '=HYPERLINK("http://x")', "base_year": 2025, "target_year": 2030}
    table = IndicatorTable.from_rows([row | {"kind": "level", "base_value": 1, "target": 2}])
    book = tmp_path / "t.xlsx"
    write_tables(book, table)
    assert read_indicators(book)["A"].name == '=HYPERLINK("http://x")'


def test_rows_with_too_many_fields_are_named(tmp_path: Path) -> None:
    p = write(tmp_path, "r.csv", "code,year,value\nC01,2026,5\nC01,2028,1,2,3\n")
    with pytest.raises(TableError) as exc:
        read_observations(p)
    assert _problems(exc) == ["r.csv 第3行: 有5个字段，表头有3列 5 fields, the header has 3"]


def test_a_huge_file_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    from luoshi.indicators import interchange

    monkeypatch.setattr(interchange, "MAX_TABLE_BYTES", 10)
    p = write(tmp_path, "big.csv", EN_OBSERVATIONS)
    with pytest.raises(TableError, match="文件过大"):
        read_observations(p)


def test_a_missing_file_and_a_folder_are_told_apart(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="file not found") as missing:
        read_observations(tmp_path / "无此文件.csv")
    assert "无此文件.csv" in str(missing.value)
    with pytest.raises(TableError, match="is a directory"):
        read_indicators(tmp_path)
