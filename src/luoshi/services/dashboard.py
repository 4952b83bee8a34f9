"""Read-only views for the pages: the leaders' overview, the indicator table and its charts.

Built from other services (evaluate_plan, list_targets, observations), so their permission
checks apply; the one query of its own reads the labels of the few outline nodes indicators
are attached to (a plan may have thousands of nodes). Grouping rules: an indicator belongs to
the outline node it is attached to (a goal or a key area); a status "slipped" when its rank
in the status table (luoshi/data/indicators/statuses.csv) is lower than the year before.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from sqlalchemy import select

from luoshi.indicators.rules import kinds, statuses
from luoshi.services.indicators import (
    Memo,
    evaluate_plan,
    list_targets,
    observations,
    plan_tables,
)
from luoshi.services.permissions import Actor, check
from luoshi.services.plans import get_plan
from luoshi.services.transactions import reading
from luoshi.services.views import NodeView, PlanView, TargetView, View
from luoshi.storage import Database
from luoshi.storage.models import OutlineNode, PlanVersion

# Kinds whose observations are levels, so the target path runs from base to target value and
# the projection can be drawn on the same axis (kinds.csv `observed` column).
LEVEL_OBSERVED = "the level"


class IndicatorRow(View):
    """One row of a plan's indicator table with its judgement in the evaluation year."""

    target: TargetView
    status: str
    reason: str
    reason_en: str
    warning: str | None
    latest_year: int | None
    latest_value: float | None
    time_progress: float | None
    achievement_progress: float | None
    projection_value: float | None
    projection_meets: bool | None
    # The base value the judgement used: a revised base (an observation in the base year,
    # METHOD.md §3) when there is one, else the table's planned base.
    base_value: float | None
    base_revised: bool


class GroupCount(View):
    """Status counts of the indicators attached to one goal or key area."""

    node_path: str | None
    label: str
    counts: dict[str, int]
    total: int


class Slip(View):
    """An indicator whose status got worse since the year before."""

    row: IndicatorRow
    before: str


class Overview(View):
    """The one-page picture for leaders."""

    plan: PlanView
    year: int
    counts: dict[str, int]
    total: int
    groups: list[GroupCount]
    slipped: list[Slip]


class ChartSeries(View):
    """ECharts-ready series of one indicator: observed, target path, projection."""

    unit: str
    observed: list[tuple[int, float]]
    target_path: list[tuple[int, float]]
    target_band: list[tuple[int, float]]
    projection: list[tuple[int, float]]
    benchmark: list[tuple[int, float]]


def evaluation_year(db: Database, actor: Actor | None, plan_id: int) -> int:
    """The default evaluation year: the latest observed year up to the plan's end."""
    plan = get_plan(db, actor, plan_id)
    obs = plan_tables(db, actor, plan_id)[1]
    years = obs.frame.get_column("year").to_list() if obs.frame.height else []
    end = plan.end_year or max(years, default=0)
    observed = [y for y in years if y is not None and y <= end]
    if observed:
        return max(observed)
    return (plan.start_year - 1) if plan.start_year else end


def indicator_rows(
    db: Database,
    actor: Actor | None,
    plan_id: int,
    year: int,
    targets: list[TargetView] | None = None,
) -> list[IndicatorRow]:
    """The plan's indicator table (`targets`, read when not given) judged in `year`."""
    if targets is None:
        targets = list_targets(db, actor, plan_id).items
    if not targets:
        return []
    judged = {e["code"]: e for e in evaluate_plan(db, actor, plan_id, year) if not e.get("region")}
    return [_row(t, judged.get(t.indicator.code)) for t in targets]


def _row(target: TargetView, e: dict[str, Any] | None) -> IndicatorRow:
    if e is None:
        return IndicatorRow(
            target=target,
            status="not_evaluable",
            reason="",
            reason_en="",
            warning=None,
            latest_year=None,
            latest_value=None,
            time_progress=None,
            achievement_progress=None,
            projection_value=None,
            projection_meets=None,
            base_value=target.base_value,
            base_revised=False,
        )
    projection = e.get("projection") or {}
    return IndicatorRow(
        target=target,
        status=e["status"],
        reason=e["reason"],
        reason_en=e["reason_en"],
        warning=e.get("warning"),
        latest_year=e.get("latest_year"),
        latest_value=e.get("latest_value"),
        time_progress=e.get("time_progress"),
        achievement_progress=e.get("achievement_progress"),
        projection_value=projection.get("value"),
        projection_meets=projection.get("meets_target"),
        base_value=e.get("base_value"),
        base_revised=bool(e.get("base_revised")),
    )


def node_label(node: NodeView) -> str:
    """How a node is named in lists: its marker and title (or the start of its text)."""
    return _label(node.marker, node.title, node.text)


def node_labels(db: Database, actor: Actor, plan_id: int, paths: list[str]) -> dict[str, str]:
    """Labels of the nodes at `paths` in the plan's latest version, in outline order."""
    check(actor, "plan.read")
    if not paths:
        return {}
    with reading(db) as s:
        version = s.scalar(
            select(PlanVersion.id)
            .where(PlanVersion.plan_id == plan_id)
            .order_by(PlanVersion.number.desc())
            .limit(1)
        )
        rows = s.execute(
            select(OutlineNode.path, OutlineNode.marker, OutlineNode.title, OutlineNode.text).where(
                OutlineNode.plan_version_id == version, OutlineNode.path.in_(paths)
            )
        ).all()
    found = {path: _label(marker, title, text) for path, marker, title, text in rows}
    return {p: found[p] for p in sorted(found, key=_path_key)}


def _path_key(path: str) -> tuple[int | str, ...]:
    """Outline order of a node path like "2.10.3" (split nodes "2.1~2" sort after "2.1")."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.~]", path))


def _label(marker: str | None, title: str | None, text: str) -> str:
    return f"{marker or ''}{title or text[:30]}".strip()


def overview(db: Database, actor: Actor, plan_id: int, year: int | None = None) -> Overview:
    """Status counts, counts by goal and key area, and what slipped since the year before.

    Reused until data changes: the permission checks and one read of the data revision run
    on every call, the judgement only after a change.
    """
    check(actor, "plan.read")
    check(actor, "indicator.read")
    key = (db.url, plan_id, year, db.revision())
    return _OVERVIEWS.get_or_build(
        key, lambda: _overview(db, actor, get_plan(db, actor, plan_id), year)
    )


_OVERVIEWS = Memo(16)


def _overview(db: Database, actor: Actor, plan: PlanView, year: int | None) -> Overview:
    plan_id = plan.id
    year = year if year is not None else evaluation_year(db, actor, plan_id)
    targets = list_targets(db, actor, plan_id).items
    rows = indicator_rows(db, actor, plan_id, year, targets)
    order = tuple(statuses())
    counts = Counter(r.status for r in rows)
    by_path: dict[str | None, list[IndicatorRow]] = {}
    for r in rows:
        by_path.setdefault(r.target.node_path, []).append(r)
    labels = node_labels(db, actor, plan_id, [p for p in by_path if p])
    position = {path: i for i, path in enumerate(labels)}
    groups = [
        GroupCount(
            node_path=path,
            label=labels.get(path or "", ""),
            counts={s: c for s in order if (c := sum(r.status == s for r in members))},
            total=len(members),
        )
        for path, members in sorted(
            by_path.items(), key=lambda kv: position.get(kv[0] or "", len(position))
        )
    ]
    last_year = indicator_rows(db, actor, plan_id, year - 1, targets)
    before = {r.target.id: r.status for r in last_year}
    rank = {code: s.rank for code, s in statuses().items()}
    slipped = [
        Slip(row=r, before=before[r.target.id])
        for r in rows
        if r.target.id in before and rank[r.status] < rank[before[r.target.id]]
    ]
    return Overview(
        plan=plan,
        year=year,
        counts={s: counts[s] for s in order if counts[s]},
        total=len(rows),
        groups=groups,
        slipped=slipped,
    )


def chart_series(db: Database, actor: Actor | None, row: IndicatorRow) -> ChartSeries:
    """The observed series of an indicator against its target path and projection."""
    t = row.target
    kind = kinds()[t.kind]
    observed = [
        (o.year, o.value)
        for o in observations(db, actor, t.indicator.id, region="")
        if o.value is not None
    ]
    years = range(t.base_year, t.target_year + 1)
    path: list[tuple[int, float]] = []
    band: list[tuple[int, float]] = []
    projection: list[tuple[int, float]] = []
    levels = kind.observed == LEVEL_OBSERVED
    if levels and t.base_value is not None and t.base_year not in dict(observed):
        # The base value starts the observed line, so the first year's change shows.
        observed = sorted([*observed, (t.base_year, t.base_value)])
    if levels and t.target is not None:
        if kind.family == "progress" and t.base_value is not None:
            end = t.target
            if t.kind == "cumulative_increase":
                sign = -1 if t.indicator.direction == "down" else 1
                end = t.base_value + sign * t.target
            path = [(t.base_year, t.base_value), (t.target_year, end)]
        else:
            path = [(y, t.target) for y in years]
        if row.projection_value is not None and row.latest_year is not None and observed:
            latest = dict(observed).get(row.latest_year)
            if latest is not None:
                projection = [(row.latest_year, latest), (t.target_year, row.projection_value)]
    elif t.target is not None and kind.family in ("progress", "range"):
        level = t.target
        if t.kind == "cumulative_reduction":
            # The even yearly reduction that reaches the cumulative target.
            span = max(t.target_year - t.base_year, 1)
            level = (1 - (1 - t.target / 100) ** (1 / span)) * 100
        path = [(y, level) for y in years if y > t.base_year]
        if t.target_high is not None:
            band = [(y, t.target_high) for y in years if y > t.base_year]
    benchmark: list[tuple[int, float]] = []
    if kind.family == "relative" and t.benchmark:
        table = list_targets(db, actor, t.plan_id).items
        bench = next((x for x in table if x.indicator.code == t.benchmark), None)
        if bench is not None:
            benchmark = [
                (o.year, o.value)
                for o in observations(db, actor, bench.indicator.id, region="")
                if o.value is not None
            ]
    return ChartSeries(
        unit=t.indicator.unit or "",
        observed=observed,
        target_path=path,
        target_band=band,
        projection=projection,
        benchmark=benchmark,
    )
