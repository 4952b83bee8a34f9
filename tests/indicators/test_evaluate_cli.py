"""`luoshi evaluate` on the bundled city sample and on bad files."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from luoshi.cli import main
from luoshi.indicators import KINDS

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "luoshi" / "data" / "samples"
IND, OBS = SAMPLES / "city-indicators.csv", SAMPLES / "city-observations.csv"


def sample_codes() -> set[str]:
    """The codes of the sample's indicator table (one result per indicator is expected)."""
    with IND.open(encoding="utf-8-sig", newline="") as f:
        return {row[0] for row in list(csv.reader(f))[1:]}  # 代码 (code) comes first


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys, monkeypatch):
    """Run `luoshi evaluate ARGS` in this process (the real entry point, exit code kept)."""

    def invoke(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["luoshi", "evaluate", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return Result(code, out.out, out.err)

    return invoke


def test_json_for_every_indicator_of_the_sample(run) -> None:
    out = run(
        "--indicators", str(IND), "--observations", str(OBS), "--year", "2026", "--method", "both"
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {r["code"] for r in rows} == sample_codes() and len(rows) == len(sample_codes())
    by_code = {r["code"]: r for r in rows}
    c05 = by_code["C05"]  # 14 → 16.1 of 14 → 20: π = 2.1/6 = 35% against τ = 20%
    assert (c05["status"], c05["status_zh"], c05["warning"]) == ("faster", "快于预期", "green")
    assert c05["achievement_progress"] == pytest.approx(0.35)
    assert c05["projection"] == {"year": 2030, "value": pytest.approx(24.5), "meets_target": True}
    assert c05["sdg"]["status"] == "substantial_progress"
    assert by_code["C03"]["base_revised"] is True
    assert {r["kind"] for r in rows} == set(KINDS)


def test_table_and_xlsx(run, tmp_path: Path) -> None:
    out = run(
        "--indicators", str(IND), "--observations", str(OBS), "--year", "2026", "--format", "table"
    )
    assert out.returncode == 0 and "快于预期" in out.stdout and "C05" in out.stdout
    book = tmp_path / "r.xlsx"
    out = run(
        "--indicators",
        str(IND),
        "--observations",
        str(OBS),
        "--year",
        "2026",
        "--format",
        "xlsx",
        "-o",
        str(book),
    )
    assert out.returncode == 0, out.stderr
    ws = load_workbook(book)["evaluation"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["代码", "指标名称", "地区", "目标类型", "评估状态"]
    assert ws.max_row == 1 + len(sample_codes())


def test_bad_file_lists_cells_and_exits_2(run, tmp_path: Path) -> None:
    bad = tmp_path / "obs.csv"
    bad.write_text("code,year,value\nC01,2026,abc\nC01,2027,\n", encoding="utf-8")
    out = run("--indicators", str(IND), "--observations", str(bad), "--year", "2026")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "obs.csv 第2行 列 value: 应为数字，实际为“abc”" in out.stderr
    assert "obs.csv 第3行 列 value: 数值为空" in out.stderr
    assert out.stdout == ""


def test_unknown_method_is_one_line(run) -> None:
    out = run(
        "--indicators", str(IND), "--observations", str(OBS), "--year", "2026", "--method", "x"
    )
    assert out.returncode == 2 and "未知评估方法" in out.stderr and "Traceback" not in out.stderr
