"""Builders shared by the indicator tests: one indicator row and its observations."""

from __future__ import annotations

from typing import Any

from luoshi.indicators import Evaluation, IndicatorTable, Observations, evaluate
from luoshi.settings import Settings

BASE_ROW: dict[str, Any] = {
    "code": "X",
    "name": "测试指标",
    "attribute": "expected",
    "direction": "up",
    "base_year": 2025,
    "target_year": 2030,
}


def judge(
    row: dict[str, Any],
    values: dict[int, float | None],
    year: int,
    *,
    extra_rows: list[dict[str, Any]] = (),  # type: ignore[assignment]
    extra_obs: list[dict[str, Any]] = (),  # type: ignore[assignment]
    method: str = "fyp",
    region: str | None = None,
    settings: Settings | None = None,
) -> Evaluation:
    """Evaluate one indicator (code X, plus any extra rows) and return its evaluation."""
    table = IndicatorTable.from_rows([BASE_ROW | row, *extra_rows])
    obs = [{"code": "X", "year": y, "value": v} for y, v in values.items()]
    observations = Observations.from_rows(
        [*obs, *extra_obs] or [{"code": "X", "year": 2020, "value": 0}]
    )
    results = evaluate(table, observations, year, method=method, region=region, settings=settings)
    return next(e for e in results if e.code == "X")
