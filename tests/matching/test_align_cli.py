"""`luoshi align UPPER LOWER`: formats, bundled samples, outline files and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from luoshi.documents import parse_file
from luoshi.matching.align_samples import load_plan


@pytest.fixture
def run(run_luoshi: Callable[..., Any]) -> Callable[..., Any]:
    """Run `luoshi align ARGS`."""
    return lambda *args: run_luoshi("align", *args)


def test_json_for_the_bundled_samples(run: Callable[..., Any]) -> None:
    result = run("national-15th", "city-speech")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) >= {"matches", "uncovered", "unanchored", "indicators"}
    goals = {m["upper"]["title"]: m["lower"] for m in data["matches"]}
    assert goals["国家安全屏障更加巩固"][0]["title"] == "推动治理效能实现新提升"


def test_outline_json_and_document_give_the_same_alignment(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    speech = load_plan("city-speech").outline
    outline = tmp_path / "speech.json"
    outline.write_text(json.dumps(speech.to_dict(), ensure_ascii=False), encoding="utf-8")
    text = tmp_path / "speech.txt"
    src = Path(speech.source)
    text.write_bytes(src.read_bytes())
    from_json = json.loads(run("national-15th", str(outline)).out)
    from_text = json.loads(run("national-15th", str(text)).out)
    assert from_json["matches"] == from_text["matches"]
    assert parse_file(text).counts() == speech.counts()


def test_markdown_and_xlsx(run: Callable[..., Any], tmp_path: Path) -> None:
    md = run("national-15th", "city-speech", "--format", "markdown")
    assert md.code == 0
    assert "## 未覆盖的上级目标任务" in md.out and "## 指标缺口与建议目标" in md.out
    out = tmp_path / "align.xlsx"
    result = run("national-15th", "city-speech", "--format", "xlsx", "-o", str(out))
    assert result.code == 0, result.err
    book = load_workbook(out)
    assert book.sheetnames == ["对标结果", "未覆盖", "未对应", "指标对标", "指标缺口"]
    gaps = [row[1] for row in book["指标缺口"].iter_rows(min_row=2, values_only=True)]
    assert "单位国内生产总值二氧化碳排放降低" in gaps


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("national-15th", "no-such-plan.txt"), "no-such-plan.txt: 找不到文件"),
        (("national-15th", "city-speech", "--format", "pdf"), "未知格式"),
        (("national-15th", "city-speech", "--format", "xlsx"), "xlsx 格式需要 -o"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    run: Callable[..., Any], args: tuple[str, ...], says: str
) -> None:
    result = run(*args)
    assert result.code == 2
    assert says in result.err
    assert "Traceback" not in result.err


def test_broken_outline_json_names_the_file(run: Callable[..., Any], tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"schema": "luoshi.outline/1", "children": [', encoding="utf-8")
    result = run("national-15th", str(bad))
    assert result.code == 2
    assert "broken.json" in result.err and "Traceback" not in result.err


def test_failed_write_leaves_no_partial_file(run: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "missing-dir" / "a.xlsx"
    result = run("national-15th", "city-speech", "--format", "xlsx", "-o", str(out))
    assert result.code == 2
    assert "无法写入" in result.err
    assert not out.parent.exists()


def test_formula_like_titles_stay_text_in_excel(run: Callable[..., Any], tmp_path: Path) -> None:
    lower = tmp_path / "hostile.txt"
    lower.write_text('一、主要任务\n(一)=HYPERLINK("http://x","点我")。推进污染防治。\n', "utf-8")
    out = tmp_path / "a.xlsx"
    result = run("national-15th", str(lower), "--format", "xlsx", "-o", str(out))
    assert result.code == 0, result.err
    book = load_workbook(out)
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)


def test_indicator_tables_show_the_district_gap(run: Callable[..., Any]) -> None:
    data = Path(__file__).parents[1] / "data" / "align"
    result = run(
        str(data / "district-plan.txt"),
        str(data / "district-plan.txt"),
        "--upper-indicators",
        str(data / "city-indicators.csv"),
        "--lower-indicators",
        str(data / "district-indicators.csv"),
    )
    assert result.code == 0, result.err
    indicators = json.loads(result.out)["indicators"]
    assert [g["upper"]["code"] for g in indicators["missing"]] == ["C05"]


def test_bad_indicator_table_names_the_cell(run: Callable[..., Any], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,base_year,target_year,kind,target\nX,森林覆盖率,2025,2030,level,abc\n"
    )
    result = run("national-15th", "city-speech", "--lower-indicators", str(bad))
    assert result.code == 2
    assert "bad.csv" in result.err and "第2行" in result.err
