"""Plans on the region tree (province → city → district/county) and the city's roll-up views.

Each region has its own plan (the newest plan whose `region_id` is the region) with its own
indicator table and data. A city sees its districts side by side: for every indicator of the
city's table, each district's own indicator that measures the same thing and its status, and
each district's tasks by status; and it ranks the districts on one indicator.

Each district's plan is aligned with the city's (luoshi.services.alignment): its coverage of
the city's items, and its indicators lined up with the city's by
luoshi.matching.align_indicators (names, synonyms, units, plus the pairs planners confirmed).
District tables name and code indicators their own way, as real ones do; a city indicator a
district lacks is a gap in its column.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from luoshi.errors import Invalid
from luoshi.matching.align_indicators import unit_factor
from luoshi.services import alignment, catalog, dashboard, indicators, plans, tasks
from luoshi.services.audit import record, snapshot
from luoshi.services.permissions import Actor, check
from luoshi.services.transactions import check_version, get_or_404, reading, writing
from luoshi.services.views import PlanView, RegionView, View
from luoshi.storage import Database
from luoshi.storage.models import Plan, Region


class PlanBrief(View):
    id: int
    title: str


class RegionNode(View):
    """A region with its plans (newest first) and the regions below it."""

    region: RegionView
    plans: list[PlanBrief]
    children: list[RegionNode]


class RollupColumn(View):
    """One indicator of the city's table."""

    code: str
    name: str
    unit: str | None
    direction: str | None
    benchmark: bool = False  # a benchmark series (全国平均水平), not a district indicator


class RollupCell(View):
    """A district's own indicator for one city indicator, judged in the district's year."""

    code: str
    name: str
    unit: str | None
    relation: str  # same | similar (align_indicators)
    status: str
    reason: str
    latest_year: int | None
    latest_value: float | None
    target_id: int


class RollupDistrict(View):
    """One district (or county) of the city: its plan, indicators and tasks."""

    region: RegionView
    plan_id: int | None
    plan_title: str | None
    year: int | None
    cells: list[RollupCell | None]  # one per column; None: the district lacks it (a gap)
    gaps: list[str]  # city codes the district lacks (benchmark series are not gaps)
    local_only: list[str]  # district indicators no city indicator matches
    coverage: float | None  # share of the city plan's items the district's plan takes up
    uncovered: int | None  # city items (topmost of each gap) the district's plan misses
    statuses: dict[str, int]  # indicator statuses counted
    tasks: dict[str, int]  # task statuses counted, plus "overdue"


class RollupView(View):
    """A city's districts side by side on the city's indicators."""

    plan_id: int
    region: RegionView | None
    columns: list[RollupColumn]
    districts: list[RollupDistrict]


class RankEntry(View):
    rank: int | None
    region: RegionView
    plan_id: int | None
    code: str | None
    value: float | None  # in the city indicator's unit
    year: int | None
    status: str | None


class RankingView(View):
    """Districts ranked on one city indicator, best first in its direction."""

    plan_id: int
    column: RollupColumn | None
    columns: list[RollupColumn]
    entries: list[RankEntry]


def region_tree(db: Database, actor: Actor) -> list[RegionNode]:
    """Every region with its plans, as a tree (roots are regions without a parent)."""
    check(actor, "catalog.read")
    check(actor, "plan.read")
    with reading(db) as s:
        regions = [RegionView.model_validate(r) for r in s.scalars(select(Region))]
        plans = s.execute(
            select(Plan.id, Plan.title, Plan.region_id).order_by(Plan.id.desc())
        ).all()
    by_region: dict[int, list[PlanBrief]] = {}
    for plan_id, title, region_id in plans:
        if region_id is not None:
            by_region.setdefault(region_id, []).append(PlanBrief(id=plan_id, title=title))
    children: dict[int | None, list[RegionView]] = {}
    for r in sorted(regions, key=lambda r: r.code):
        children.setdefault(r.parent_id, []).append(r)

    def build(r: RegionView) -> RegionNode:
        return RegionNode(
            region=r,
            plans=by_region.get(r.id, []),
            children=[build(c) for c in children.get(r.id, [])],
        )

    return [build(r) for r in children.get(None, [])]


def set_plan_region(
    db: Database, actor: Actor, plan_id: int, region_code: str | None, expected_version: int | None
) -> PlanView:
    """Put a plan on the region tree (region code), or take it off (None)."""
    check(actor, "plan.edit")
    with writing(db) as s:
        plan = get_or_404(s, Plan, plan_id, "规划 plan")
        check_version(plan, expected_version, "规划 plan")
        region_id = None
        if region_code:
            region_id = s.scalar(select(Region.id).where(Region.code == region_code))
            if region_id is None:
                raise Invalid(f"地区不存在 unknown region: {region_code}")
        before = snapshot(plan)
        plan.region_id = region_id
        s.flush()
        record(
            s,
            actor,
            "plan.region",
            "plan",
            plan.id,
            before=before,
            after=snapshot(plan),
            plan_id=plan.id,
            summary=region_code or "",
        )
    return plans.get_plan(db, actor, plan_id)


def _region_and_children(db: Database, plan_id: int) -> tuple[RegionView | None, list[Any]]:
    """The plan's region and, for each child region, (region, newest plan id, title)."""
    with reading(db) as s:
        region = s.scalar(
            select(Region).join(Plan, Plan.region_id == Region.id).where(Plan.id == plan_id)
        )
        if region is None:
            return None, []
        kids = s.scalars(select(Region).where(Region.parent_id == region.id).order_by(Region.code))
        out = []
        for kid in kids:
            newest = s.execute(
                select(Plan.id, Plan.title)
                .where(Plan.region_id == kid.id)
                .order_by(Plan.id.desc())
                .limit(1)
            ).first()
            out.append((RegionView.model_validate(kid), *(newest or (None, None))))
        return RegionView.model_validate(region), out


def rollup(db: Database, actor: Actor, plan_id: int, year: int | None = None) -> RollupView:
    """A city's districts side by side on the city plan's indicators, with their tasks.

    The districts are the child regions of the plan's region; `year` defaults to each
    district's latest observed year. The city's benchmark series are marked, not counted as
    the districts' gaps.
    """
    check(actor, "indicator.read")
    city_rows = alignment.plan_indicator_rows(db, actor, plan_id)
    region, kids = _region_and_children(db, plan_id)
    districts = [
        _district(db, actor, plan_id, city_rows, kid, kid_plan, title, year)
        for kid, kid_plan, title in kids
    ]
    benchmarks = _benchmark_series(city_rows, districts)
    columns = [
        RollupColumn(
            code=r["code"],
            name=r["name"],
            unit=r["unit"],
            direction=r["direction"],
            benchmark=r["code"] in benchmarks,
        )
        for r in city_rows
    ]
    if benchmarks:
        districts = [
            d.model_copy(update={"gaps": [g for g in d.gaps if g not in benchmarks]})
            for d in districts
        ]
    return RollupView(plan_id=plan_id, region=region, columns=columns, districts=districts)


def _benchmark_series(city_rows: list[dict[str, Any]], districts: list[RollupDistrict]) -> set[str]:
    """Codes of the city rows that are there to compare against, not to be carried out.

    Such a row is another row's benchmark (the national average of 高于全国平均水平) that no
    district with a plan lines up with: the same series for every district, not one a district
    lacks. A benchmark the districts do measure (the city's GDP growth, which income growth is
    to keep in step with) stays an indicator of their own.
    """
    named = {r["benchmark"] for r in city_rows if r["benchmark"]}
    planned = [d for d in districts if d.plan_id is not None]
    return {
        str(r["code"])
        for k, r in enumerate(city_rows)
        if r["code"] in named and all(d.cells[k] is None for d in planned)
    }


def _district(
    db: Database,
    actor: Actor,
    city_plan: int,
    city_rows: list[dict[str, Any]],
    region: RegionView,
    plan_id: int | None,
    title: str | None,
    year: int | None,
) -> RollupDistrict:
    """One district's row of the roll-up."""
    if plan_id is None:
        return RollupDistrict(
            region=region,
            plan_id=None,
            plan_title=None,
            year=None,
            cells=[None] * len(city_rows),
            gaps=[str(r["code"]) for r in city_rows],
            local_only=[],
            coverage=None,
            uncovered=None,
            statuses={},
            tasks={},
        )
    aligned = alignment.align_plan(db, actor, plan_id, f"{alignment.PLAN_REF}{city_plan}")
    matched = aligned.result.get("indicators") or {"pairs": [], "missing": [], "local_only": []}
    targets = indicators.list_targets(db, actor, plan_id, limit=10_000).items
    year = year if year is not None else dashboard.evaluation_year(db, actor, plan_id)
    judged = {
        r.target.indicator.code: r
        for r in dashboard.indicator_rows(db, actor, plan_id, year, targets)
    }
    by_upper = {str(p["upper"]["code"]): p for p in matched["pairs"]}
    cells: list[RollupCell | None] = []
    for city in city_rows:
        pair = by_upper.get(str(city["code"]))
        if pair is None:
            cells.append(None)
            continue
        row = judged[str(pair["lower"]["code"])]
        cells.append(
            RollupCell(
                code=row.target.indicator.code,
                name=row.target.indicator.name,
                unit=row.target.indicator.unit,
                relation=pair["relation"],
                status=row.status,
                reason=row.reason,
                latest_year=row.latest_year,
                latest_value=row.latest_value,
                target_id=row.target.id,
            )
        )
    task_rows = tasks.list_tasks(db, actor, plan_id=plan_id, limit=1000).items
    counted = Counter(t.status for t in task_rows)
    today = date.today()
    counted["overdue"] = sum(
        1 for t in task_rows if t.status == "open" and t.due_date and t.due_date < today
    )
    return RollupDistrict(
        region=region,
        plan_id=plan_id,
        plan_title=title,
        year=year,
        cells=cells,
        gaps=[str(m["upper"]["code"]) for m in matched["missing"]],
        local_only=[str(r["code"]) for r in matched["local_only"]],
        coverage=aligned.result["summary"]["coverage"],
        uncovered=len(aligned.result["uncovered"]),
        statuses=dict(Counter(r.status for r in judged.values())),
        tasks=dict(counted),
    )


def _in_unit(value: float | None, unit: str | None, to_unit: str | None) -> float | None:
    """`value` in `unit` converted to `to_unit` when both are of one dimension."""
    if value is None or unit == to_unit:
        return value
    a, b = unit_factor(unit), unit_factor(to_unit)
    if a and b and a[0] == b[0]:
        return value * a[1] / b[1]
    return None


def ranking(
    db: Database, actor: Actor, plan_id: int, code: str | None = None, year: int | None = None
) -> RankingView:
    """The districts ranked on the city indicator `code` (default the first of the table)."""
    return rank_districts(rollup(db, actor, plan_id, year), code)


def rank_districts(view: RollupView, code: str | None = None) -> RankingView:
    """A roll-up's districts ranked on one column, best first in the indicator's direction.

    Values are the latest, in the city's unit; districts without one come last, unranked.
    Benchmark series are not ranked: no district has one of its own.
    """
    ranked_columns = [c for c in view.columns if not c.benchmark]
    if not ranked_columns:
        return RankingView(plan_id=view.plan_id, column=None, columns=[], entries=[])
    column = next((c for c in ranked_columns if c.code == code), ranked_columns[0])
    if code is not None and column.code != code:
        raise Invalid(f"规划的指标表中没有 {code} no such indicator in the plan's table")
    at = view.columns.index(column)
    entries = []
    for d in view.districts:
        cell = d.cells[at]
        entries.append(
            RankEntry(
                rank=None,
                region=d.region,
                plan_id=d.plan_id,
                code=cell.code if cell else None,
                value=_in_unit(cell.latest_value, cell.unit, column.unit) if cell else None,
                year=cell.latest_year if cell else None,
                status=cell.status if cell else None,
            )
        )
    sign = 1 if column.direction == "down" else -1
    entries.sort(key=lambda e: (e.value is None, sign * (e.value or 0.0)))
    ranked = [
        e.model_copy(update={"rank": k + 1}) if e.value is not None else e
        for k, e in enumerate(entries)
    ]
    return RankingView(plan_id=view.plan_id, column=column, columns=ranked_columns, entries=ranked)


def sample_districts_path() -> Path:
    """The bundled illustrative districts (data/samples/districts/districts.yaml)."""
    return Path(
        str(resources.files("luoshi").joinpath("data", "samples", "districts", "districts.yaml"))
    )


def load_sample_districts(
    db: Database,
    actor: Actor,
    path: Path | None = None,
    *,
    start_year: int = 2026,
    with_tasks: bool = True,
) -> list[int]:
    """Store sample districts: regions, plans, indicator tables, data and tasks; the plan ids.

    Regions are added when missing; the tasks' departments must exist (`with_tasks=False`
    leaves the tasks out, for a catalog without the city's departments).
    """
    path = path or sample_districts_path()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    known = {r.code for r in catalog.list_regions(db, actor)}
    plan_ids = []
    for d in data["districts"]:
        if d["code"] not in known:
            catalog.add_region(db, actor, d["code"], d["name"], "district", d["parent"])
        imported = plans.import_plan(
            db,
            actor,
            {"title": d["title"], "children": d["outline"]},
            title=d["title"],
            source_name=path.name,
            region_code=d["code"],
            start_year=start_year,
            end_year=start_year + 4,
        )
        assert imported.plan_id is not None
        indicators.import_indicators(db, actor, imported.plan_id, path.with_name(d["indicators"]))
        indicators.import_observations(
            db, actor, path.with_name(d["observations"]), plan_id=imported.plan_id
        )
        for task in (d.get("tasks") or ()) if with_tasks else ():
            view = tasks.assign_task(
                db, actor, imported.plan_id, str(task["path"]), task["department"],
                due_date=task["due"],
            )  # fmt: skip
            if task["status"] != "open":
                tasks.update_task(db, actor, view.id, view.version, status=task["status"])
        plan_ids.append(imported.plan_id)
    return plan_ids


__all__ = [
    "PlanBrief",
    "RankEntry",
    "RankingView",
    "RegionNode",
    "RollupCell",
    "RollupColumn",
    "RollupDistrict",
    "RollupView",
    "load_sample_districts",
    "rank_districts",
    "ranking",
    "region_tree",
    "rollup",
    "set_plan_region",
]
