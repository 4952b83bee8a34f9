"""-o FILE: the format follows the file's extension; one the command cannot write is refused."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from luoshi.cli import assign, evaluate, report
from luoshi.cli.options import Formats

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "luoshi" / "data" / "samples"
IND, OBS = SAMPLES / "city-indicators.csv", SAMPLES / "city-observations.csv"
SPEECH = SAMPLES / "city-15th-fyp-speech.txt"
EVALUATE = ("evaluate", "--indicators", str(IND), "--observations", str(OBS), "--year", "2026")


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_evaluate_writes_a_workbook_for_an_xlsx_name(run_luoshi: Callable[..., Any], tmp_path):
    out = tmp_path / "e.xlsx"
    code, _, err = run_luoshi(*EVALUATE, "-o", out)
    assert code == 0, err
    assert load_workbook(out).sheetnames == ["evaluation"]


def test_evaluate_txt_is_the_table_and_json_stays_json(run_luoshi: Callable[..., Any], tmp_path):
    table, data = tmp_path / "e.txt", tmp_path / "e.json"
    assert run_luoshi(*EVALUATE, "-o", table).code == 0
    assert "指标评估" in table.read_text("utf-8")
    assert run_luoshi(*EVALUATE, "-o", data).code == 0
    assert isinstance(json.loads(data.read_text("utf-8")), list)


def test_assign_writes_the_table_its_name_asks_for(run_luoshi: Callable[..., Any], tmp_path):
    book, doc = tmp_path / "a.xlsx", tmp_path / "a.docx"
    assert run_luoshi("assign", SPEECH, "-o", book).code == 0
    assert load_workbook(book).active["D2"].value is not None
    assert run_luoshi("assign", SPEECH, "-o", doc).code == 0
    assert Document(io.BytesIO(doc.read_bytes())).tables


def test_align_writes_markdown_and_a_workbook_by_name(run_luoshi: Callable[..., Any], tmp_path):
    md, book = tmp_path / "al.md", tmp_path / "al.xlsx"
    assert run_luoshi("align", "national-15th", "city-speech", "-o", md).code == 0
    assert md.read_text("utf-8").startswith("#")
    assert run_luoshi("align", "national-15th", "city-speech", "-o", book).code == 0
    assert "对标结果" in load_workbook(book).sheetnames


@pytest.mark.parametrize(
    ("args", "name", "can_write"),
    [
        (("parse", str(SPEECH)), "p.docx", "json (.json), markdown (.md .markdown), xlsx (.xlsx)"),
        (EVALUATE, "e.docx", "json (.json), table (.txt), xlsx (.xlsx)"),
        (("assign", str(SPEECH)), "a.md", "json (.json), xlsx (.xlsx), docx (.docx)"),
        (("align", "national-15th", "city-speech"), "al.pdf", "markdown (.md .markdown)"),
        (EVALUATE[1:], "r.xlsx", "docx (.docx), pdf (.pdf), html (.html .htm)"),
    ],
)
def test_an_extension_the_command_cannot_write_is_one_line(
    run_luoshi: Callable[..., Any], tmp_path: Path, args: tuple[str, ...], name: str, can_write: str
) -> None:
    if args[0] == "--indicators":
        args = ("report", *args)
    out = tmp_path / name
    code, stdout, err = run_luoshi(*args, "-o", out)
    line = one_line(err)
    assert code == 2 and stdout == ""
    assert str(out) in line and f"未知格式 '{out.suffix[1:]}'" in line and can_write in line
    assert not out.exists()


def test_a_format_that_contradicts_the_extension_is_refused(
    run_luoshi: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "x.docx"
    code, _, err = run_luoshi("report", *EVALUATE[1:], "-o", out, "--format", "pdf")
    line = one_line(err)
    assert code == 2 and str(out) in line and "--format pdf" in line and ".docx" in line
    assert not out.exists()
    code, _, err = run_luoshi(*EVALUATE, "-o", tmp_path / "e.xlsx", "-f", "json")
    assert code == 2 and "e.xlsx" in one_line(err)


def test_an_unknown_format_lists_the_choices(run_luoshi: Callable[..., Any]) -> None:
    code, _, err = run_luoshi(*EVALUATE, "--format", "csv")
    line = one_line(err)
    assert code == 2 and "--format" in line and "json, table, xlsx" in line


def test_no_extension_takes_the_format_option(run_luoshi: Callable[..., Any], tmp_path):
    out = tmp_path / "evaluation"
    assert run_luoshi(*EVALUATE, "-o", out, "--format", "xlsx").code == 0
    assert load_workbook(io.BytesIO(out.read_bytes())).sheetnames == ["evaluation"]


def test_the_format_lists_match_what_the_renderers_write() -> None:
    from luoshi.indicators import METHODS
    from luoshi.reports import FORMATS

    assert list(report.FORMATS.extensions) == list(FORMATS)
    assert tuple(evaluate.METHODS) == METHODS
    assert assign.FORMATS.default == "json"


def test_formats_choose() -> None:
    formats = Formats({"json": (".json",), "markdown": (".md", ".markdown")})
    assert formats.choose(None, None) == "json"
    assert formats.choose("markdown", None) == "markdown"
    assert formats.choose(None, Path("a.MD")) == "markdown"
    assert formats.choose("markdown", Path("a.markdown")) == "markdown"
    assert formats.choose("markdown", Path("a")) == "markdown"
