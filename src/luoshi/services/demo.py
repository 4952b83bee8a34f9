"""The demo data set behind `make run`: the sample plan, ready to explore.

Everything goes through the same service functions people use, so the demo is also a check
that they fit together. The indicator values are the illustrative sample tables shipped in
luoshi/data/samples (labelled 示例数据 illustrative in their source column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy import select

from luoshi.indicators import GOALS
from luoshi.matching.assign import Suggester
from luoshi.matching.catalog import bundled_catalog
from luoshi.services import (
    accounts,
    catalog,
    indicators,
    plans,
    regions,
    supervision_demo,
    tasks,
)
from luoshi.services.permissions import ROLES, SYSTEM
from luoshi.services.transactions import reading
from luoshi.storage import Database
from luoshi.storage.models import Indicator, OutlineNode, PlanVersion, Target

SAMPLE_PLAN = "city-15th-fyp-speech.txt"
SAMPLE_TITLE = "我市“十五五”规划(领导干部会议讲话节选)"
SAMPLE_INDICATORS = "city-indicators.csv"
SAMPLE_OBSERVATIONS = "city-observations.csv"
DEMO_PASSWORD = "luoshi-demo"
# Regions of the demo: a sample province, city and district (names are placeholders).
REGIONS = (
    ("P01", "示例省", "province", None),
    ("C01", "示例市", "city", "P01"),
    ("D01", "示例区", "district", "C01"),
)
# Demo reporters: one per department, for two departments with many measures.
REPORTER_DEPARTMENTS = ("市工业和信息化局", "市科技局")
# How many cooperating units a suggested allocation keeps per measure.
COOPERATE_LIMIT = 2


@dataclass
class DemoSummary:
    """What `load_demo` stored, for the CLI to print."""

    plan_id: int
    nodes: int
    indicators: int
    observations: int
    tasks: int
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, label


def sample_path(name: str) -> Path:
    """A bundled sample file."""
    return Path(str(resources.files("luoshi").joinpath("data", "samples", name)))


def load_demo(db: Database, password: str = DEMO_PASSWORD) -> DemoSummary:
    """Fill an empty, migrated database with the demo plan, indicators, tasks and accounts."""
    units = bundled_catalog("municipal").units
    catalog.import_departments(
        db,
        SYSTEM,
        [{"code": u.name, "name": u.name, "short_name": (u.aliases or (None,))[0]} for u in units],
        "municipal.yaml",
    )
    for code, name, level, parent in REGIONS:
        catalog.add_region(db, SYSTEM, code, name, level, parent)
    # Illustrative districts with small plans, before the city's plan so the city's is newest.
    regions.load_sample_districts(db, SYSTEM)
    imported = plans.import_plan_file(
        db,
        SYSTEM,
        sample_path(SAMPLE_PLAN),
        title=SAMPLE_TITLE,
        region_code="C01",
        start_year=2026,
        end_year=2030,
    )
    plan_id = imported.plan_id
    assert plan_id is not None
    indicators.load_library(db, SYSTEM)
    indicators.import_indicators(db, SYSTEM, plan_id, sample_path(SAMPLE_INDICATORS))
    goal_paths = _attach_goals(db, plan_id)
    observed = indicators.import_observations(
        db, SYSTEM, sample_path(SAMPLE_OBSERVATIONS), plan_id=plan_id
    )
    task_count = _allocate(db, plan_id)
    summary = DemoSummary(
        plan_id=plan_id,
        nodes=imported.created["nodes"],
        indicators=len(goal_paths),
        observations=observed.created["observations"],
        tasks=task_count,
    )
    labels = {name: zh for name, zh, _ in ROLES}
    for role in ("admin", "planner", "supervisor", "viewer"):
        accounts.add_user(db, SYSTEM, role, password, role, display_name=f"示例{labels[role]}")
        summary.accounts.append((role, role, labels[role]))
    for i, dept in enumerate(REPORTER_DEPARTMENTS, start=1):
        name = f"reporter{i}"
        accounts.add_user(
            db,
            SYSTEM,
            name,
            password,
            "reporter",
            display_name=f"{dept}联络员",
            department_code=dept,
        )
        summary.accounts.append((name, "reporter", f"{labels['reporter']}({dept})"))
    supervision_demo.add_examples(db, plan_id, REPORTER_DEPARTMENTS)
    return summary


def _attach_goals(db: Database, plan_id: int) -> dict[str, str]:
    """Attach each row of the plan's indicator table to the goal of its library indicator.

    A goal node is the outline node whose title contains the goal's wording (经济发展取得新成效
    in 推动经济发展取得新成效); goals the plan does not state are left out. Library indicators
    the table has no row for stay in the library: attached without a target or data they
    would only show as 无法评估 not evaluable.
    """
    with reading(db) as s:
        version = s.scalar(
            select(PlanVersion.id)
            .where(PlanVersion.plan_id == plan_id)
            .order_by(PlanVersion.number.desc())
        )
        nodes = s.execute(
            select(OutlineNode.path, OutlineNode.title).where(
                OutlineNode.plan_version_id == version
            )
        ).all()
        plan_rows = s.execute(
            select(Indicator.code, Indicator.library_code)
            .join(Target, Target.indicator_id == Indicator.id)
            .where(Target.plan_id == plan_id)
        ).all()
    goal_node: dict[str, str] = {}
    for main_goal in GOALS.values():
        path = next((p for p, t in nodes if t and main_goal.zh in t), None)
        if path is not None:
            goal_node[main_goal.code] = path
    library = indicators.library_goals()
    attached: dict[str, str] = {}
    for code, library_code in plan_rows:
        goal_code = library.get(library_code or code)
        if goal_code in goal_node:
            attached[code] = goal_node[goal_code]
    for code, path in attached.items():
        indicators.attach_indicator(db, SYSTEM, plan_id, code, path)
    return attached


def _allocate(db: Database, plan_id: int) -> int:
    """Give every measure its suggested lead unit and up to two cooperating units."""
    measures = plans.outline(db, SYSTEM, plan_id, kind="measure").items
    if not measures:
        return 0
    by_id = {n.id: n for n in plans.outline(db, SYSTEM, plan_id).items}
    suggester = Suggester(bundled_catalog("municipal"))
    contexts = [(by_id[m.parent_id].title or "") if m.parent_id in by_id else "" for m in measures]
    suggestions = suggester.suggest_many([f"{m.title or ''}。{m.text}" for m in measures], contexts)
    count = 0
    for measure, suggestion in zip(measures, suggestions, strict=True):
        units = [("lead", r.unit) for r in suggestion.lead[:1]] + [
            ("cooperating", r.unit) for r in suggestion.cooperate[:COOPERATE_LIMIT]
        ]
        for role, unit in units:
            tasks.assign_task(
                db, SYSTEM, plan_id, measure.path, unit, role=role, reason=suggestion.reason
            )
            count += 1
    return count
