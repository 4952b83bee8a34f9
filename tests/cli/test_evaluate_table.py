"""`luoshi evaluate --format table` fits the terminal, and stays readable at 80 columns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "luoshi" / "data" / "samples"
IND, OBS = SAMPLES / "city-indicators.csv", SAMPLES / "city-observations.csv"
TABLE = ("evaluate", "--indicators", IND, "--observations", OBS, "--year", "2026", "-f", "table")


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_the_table_takes_the_terminal_width(
    run_luoshi: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run_luoshi(*TABLE)
    assert code == 0, err
    widths = {cell_len(line) for line in out.splitlines() if line.strip()}
    assert max(widths) <= columns and (columns > 150 or max(widths) == columns)
    assert {"│ C01  │", "│ C05  │"} <= {line[:8] for line in out.splitlines()}  # codes whole
    assert "基本符合预期" in out and "快于预期" in out  # a status is never broken


def test_the_reason_gets_the_room_at_80_columns(
    run_luoshi: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run_luoshi(*TABLE).out
    first = next(line for line in out.splitlines() if line.startswith("│ C01"))
    name_cell = first.split("│")[2]
    assert "地区生产总值增长" in name_cell and cell_len(name_cell) >= 30
