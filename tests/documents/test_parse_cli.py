"""`luoshi parse` as a user runs it: JSON, Markdown, xlsx; bad input is one line and exit 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from document_builders import SAMPLE, write_scanned_pdf
from openpyxl import load_workbook

from cli_process import luoshi_process
from luoshi.documents import Outline


def test_json_is_the_versioned_outline_and_reads_back() -> None:
    result = luoshi_process("parse", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "luoshi.outline/1"
    assert data["counts"]["section"] == 10 and data["counts"]["item"] == 25
    outline = Outline.from_dict(data)
    assert outline.children[1].title.startswith("紧扣我市振兴发展关键任务")


def test_markdown_and_xlsx_outputs(tmp_path: Path, run_luoshi: Callable[..., Any]) -> None:
    md = tmp_path / "outline.md"
    xlsx = tmp_path / "allocation.xlsx"
    assert run_luoshi("parse", str(SAMPLE), "--format", "markdown", "-o", str(md))[0] == 0
    text = md.read_text("utf-8")
    assert "## 2 二、紧扣我市振兴发展关键任务" in text
    assert "- **做强新材料产业** (2.1.1.4)" in text
    status, _, err = run_luoshi("parse", str(SAMPLE), "-o", str(xlsx))  # format from suffix
    assert status == 0, err
    sheet = load_workbook(xlsx)["measures"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    measures = [r for r in rows if r[1] == "measure"]
    assert len(measures) >= 70
    new_materials = next(r for r in measures if r[3] == "做强新材料产业")
    assert new_materials[0] == "2.1.1.4"
    assert (
        new_materials[2].startswith("二、紧扣") and "一是巩固提升优势支柱产业" in new_materials[2]
    )
    # sections of part 三 have no measures: each still gets a row to allocate
    assert any(r[1] == "section" and r[3].startswith("把党的政治建设摆在首位") for r in rows)
    assert set(tmp_path.iterdir()) == {md, xlsx}  # no temporary files left behind


def _bad_inputs(tmp: Path) -> list[tuple[Path, str]]:
    cases = [
        (tmp / "missing.txt", "文件不存在"),
        (tmp / "empty.txt", "文件为空"),
        (tmp / "random.bin", "不是文本文件"),
        (tmp / "scan.pdf", "没有文字层"),
        (tmp / "fake.docx", "Word"),
    ]
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "random.bin").write_bytes(bytes(range(256)) * 40)
    write_scanned_pdf(tmp / "scan.pdf")
    (tmp / "fake.docx").write_bytes(b"PK\x03\x04not really a zip")
    return cases


def test_bad_input_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    for path, words in _bad_inputs(tmp_path):
        result = luoshi_process("parse", str(path))
        assert result.returncode == 2, (path, result.stderr)
        assert "Traceback" not in result.stderr
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1, result.stderr
        assert str(path) in lines[0] and words in lines[0]
        assert result.stdout == ""


def test_xlsx_needs_an_output_file_and_nothing_is_half_written(
    tmp_path: Path, run_luoshi: Callable[..., Any]
) -> None:
    status, _, err = run_luoshi("parse", str(SAMPLE), "--format", "xlsx")
    assert status == 2 and "-o" in err
    out = tmp_path / "no-such-dir" / "x.json"
    status, _, err = run_luoshi("parse", str(SAMPLE), "-o", str(out))
    assert status == 2 and str(out) in err.replace("\n", "")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    target = tmp_path / "kept.json"
    target.write_text("old", encoding="utf-8")
    assert run_luoshi("parse", str(bad), "-o", str(target))[0] == 2
    assert target.read_text("utf-8") == "old"
