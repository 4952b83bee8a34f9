"""Turn an indicator evaluation (luoshi.indicators) into the rows and chart series of a report.

The evaluation decides every status and reason; this module only picks what the report prints
and the series each chart draws: the observed values and the path the target implies, per
target-kind family (`PATHS`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from luoshi.errors import Invalid
from luoshi.indicators.evaluation import Evaluation, evaluate, fmt
from luoshi.indicators.model import Indicator, IndicatorTable, Observations
from luoshi.indicators.rules import statuses
from luoshi.reports.model import IndicatorRow, Point
from luoshi.settings import Settings

ATTRIBUTES = {"expected": "预期性", "binding": "约束性"}

# What each chart draws, by target kind: the series label and how the target path runs.
#   line: straight from the base value to the target (or base + target) in the target year
#   flat: the target held every year (a bound, or a rate to keep up)
#   cumulative: cumulative reduction so far against a straight path from 0 to the target
#   benchmark: the benchmark indicator's series
PATHS: dict[str, tuple[str, str]] = {
    "level": ("line", ""),
    "cumulative_increase": ("line+base", ""),
    "at_least": ("flat", ""),
    "at_most": ("flat", ""),
    "avg_rate_at_least": ("flat", "年度增速（%）"),
    "avg_rate_in_range": ("flat", "年度增速（%）"),
    "cumulative_reduction": ("cumulative", "累计降低（%）"),
    "rate_above": ("benchmark", "年度增速（%）"),
    "rate_in_step": ("benchmark", "年度增速（%）"),
    "qualitative": ("none", ""),
}


def pick_region(observations: Observations, region: str | None) -> str | None:
    """The region a report covers: the one given, the only one present, or the whole area ("")."""
    present = observations.regions()
    if region is not None:
        if present and region not in present:
            raise Invalid(
                f"观测数据中没有地区“{region}”，现有: {'、'.join(present)}", where="region"
            )
        return region
    if len(present) <= 1:
        return present[0] if present else None
    if "" in present:
        return ""
    raise Invalid(
        f"观测数据含多个地区（{'、'.join(present)}），请用 --region 指定一个 "
        "(several regions: choose one)",
        where="region",
    )


def _series(obs: pl.DataFrame, code: str, after: int, until: int) -> list[Point]:
    rows = obs.filter(
        (pl.col("code") == code)
        & (pl.col("year") > after)
        & (pl.col("year") <= until)
        & pl.col("value").is_not_null()
    ).sort("year")
    return [Point(int(y), float(v)) for y, v in zip(rows["year"], rows["value"], strict=True)]


def _target_text(ind: Indicator, ev: Evaluation) -> str:
    if ind.target_text:
        return ind.target_text
    if ev.target is None:
        return ev.kind_zh
    high = f"—{fmt(ev.target_high)}" if ev.target_high is not None else ""
    return f"{ev.kind_zh}{fmt(ev.target)}{high}"


HISTORY_YEARS = 5  # years before the base year a chart shows, for context


def _chart(
    ind: Indicator, ev: Evaluation, obs: pl.DataFrame
) -> tuple[str, list[Point], list[Point], list[Point]]:
    path_kind, label = PATHS.get(ev.kind, ("none", ""))
    label = label or (f"{ind.unit}" if ind.unit else "")
    until = min(ev.year, ev.target_year)
    b, t = ev.base_year, ev.target_year
    series = _series(obs, ev.code, b, until)
    path: list[Point] = []
    if path_kind.startswith("line") and ev.target is not None and ev.base_value is not None:
        end = ev.base_value + ev.target if path_kind == "line+base" else ev.target
        path = [Point(b, ev.base_value), Point(t, end)]
        series = [Point(b, ev.base_value), *series]
    elif path_kind == "flat" and ev.target is not None:
        path = [Point(b + 1, ev.target), Point(t, ev.target)]
    elif path_kind == "cumulative" and ev.target is not None:
        kept = np.cumprod([1 - p.value / 100 for p in series])
        series = [Point(b, 0.0)] + [
            Point(p.year, float(100 * (1 - k))) for p, k in zip(series, kept, strict=True)
        ]
        path = [Point(b, 0.0), Point(t, ev.target)]
    elif path_kind == "benchmark" and ind.benchmark:
        path = _series(obs, ind.benchmark, b, until)
    elif path_kind == "none":
        series = []
    history = []
    if path_kind in ("line", "line+base", "flat", "benchmark"):
        history = _series(obs, ev.code, b - HISTORY_YEARS - 1, b)
        if path_kind.startswith("line") and series:
            history = [p for p in history if p.year < b] + series[:1]
    return label, history, series, path


def indicator_rows(
    indicators: IndicatorTable,
    observations: Observations,
    evaluations: Sequence[Evaluation],
    region: str | None = None,
) -> list[IndicatorRow]:
    """One report row per evaluated indicator, in table order, with its chart series."""
    table = {i.code: i for i in indicators}
    obs = observations.frame
    if region is not None:
        obs = obs.filter(pl.col("region") == region)
    rows = []
    for ev in evaluations:
        ind = table[ev.code]
        label, history, series, path = _chart(ind, ev, obs)
        projection = ""
        if (
            ev.projection
            and ev.projection.value is not None
            and ev.status not in ("achieved", "not_achieved", "achieved_early")
        ):
            verdict = "可以" if ev.projection.meets_target else "难以"
            projection = (
                f"按当前进度，{ev.projection.year}年预计达到{fmt(ev.projection.value)}，"
                f"{verdict}实现目标。"
            )
        rows.append(
            IndicatorRow(
                code=ev.code,
                name=ev.name,
                category=ind.category,
                unit=ev.unit,
                attribute=ATTRIBUTES.get(ev.attribute, ev.attribute),
                base_year=ev.base_year,
                base_value=ev.base_value,
                target_text=_target_text(ind, ev),
                target_year=ev.target_year,
                latest_year=ev.latest_year,
                latest_value=ev.latest_value,
                status=ev.status,
                status_zh=ev.status_zh,
                reason=ev.reason if ev.reason.endswith("。") else ev.reason + "。",
                warning=ev.warning,
                projection=projection,
                series_label=label,
                series=tuple(series),
                target_path=tuple(path),
                history=tuple(history),
            )
        )
    return rows


def status_table() -> list[tuple[str, str]]:
    """(status, Chinese label) in the order reports list them: best first."""
    return [(s.code, s.zh) for s in sorted(statuses().values(), key=lambda s: -s.rank)]


def evaluate_rows(
    indicators: IndicatorTable,
    observations: Observations,
    year: int,
    region: str | None = None,
    settings: Settings | None = None,
) -> list[IndicatorRow]:
    """Evaluate `year` with the FYP method and return the report rows."""
    region = pick_region(observations, region)
    evaluations = evaluate(indicators, observations, year, region=region, settings=settings)
    return indicator_rows(indicators, observations, evaluations, region)
