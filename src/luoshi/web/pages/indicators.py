"""The plan's indicator table with status colours, one indicator's chart, attaching indicators
to goals and switching the public page on or off."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from luoshi.errors import Invalid, NotFound, TableError
from luoshi.indicators.rules import kinds
from luoshi.services import dashboard, indicators, plans
from luoshi.services.permissions import Actor
from luoshi.storage import Database
from luoshi.web.deps import DbDep, Id, Year, allowed
from luoshi.web.pages.overview import plan_years, remember_plan
from luoshi.web.pages.templating import render

router = APIRouter()
# Outline kinds an indicator can measure (goals and key areas, down to items).
GOAL_KINDS = ("part", "chapter", "section", "item")


@router.get("/plans/{plan_id}/indicators")
def indicator_table(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    year: Year | None = None,
    status: str = "",
    node: str = "",
) -> Response:
    """Every indicator of the plan with its status in the evaluation year, filterable."""
    plan = plans.get_plan(db, actor, plan_id)
    year = year if year is not None else dashboard.evaluation_year(db, actor, plan_id)
    rows = dashboard.indicator_rows(db, actor, plan_id, year)
    shown = [
        r
        for r in rows
        if (not status or r.status == status) and (not node or r.target.node_path == node)
    ]
    nodes = plans.outline(db, actor, plan_id).items
    goals = [n for n in nodes if n.kind in GOAL_KINDS]
    labels = {n.path: dashboard.node_label(n) for n in goals}
    library = []
    if actor.role in ("admin", "planner"):
        library = indicators.list_indicators(db, actor, limit=1000).items
    response = render(
        request,
        "pages/indicators.html",
        title_key="indicators.title",
        actor=actor,
        plan=plan,
        active="indicators",
        year=year,
        years=plan_years(plan),
        rows=shown,
        total=len(rows),
        status=status,
        node=node,
        goals=goals,
        labels=labels,
        library=library,
    )
    return remember_plan(response, plan_id)


@router.post("/plans/{plan_id}/indicators/attach")
def attach(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.edit")],
    code: Annotated[str, Form()],
    node_path: Annotated[str, Form()],
) -> Response:
    """Attach an indicator (from the library or the plan's table) to a goal."""
    indicators.attach_indicator(db, actor, plan_id, code.strip(), node_path)
    return RedirectResponse(f"/plans/{plan_id}/indicators?msg=attached", status_code=303)


@router.post("/plans/{plan_id}/public")
def set_public(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.publish")],
    version: Annotated[int, Form()],
    public: Annotated[bool, Form()],
) -> Response:
    """Switch the plan's public page on or off."""
    plans.update_plan(db, actor, plan_id, version, public=public)
    message = "public_on" if public else "public_off"
    return RedirectResponse(f"/plans/{plan_id}/indicators?msg={message}", status_code=303)


def _detail(
    request: Request,
    db: Database,
    actor: Actor,
    plan_id: Id,
    target_id: Id,
    year: int | None,
    *,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    plan = plans.get_plan(db, actor, plan_id)
    year = year if year is not None else dashboard.evaluation_year(db, actor, plan_id)
    row = next(
        (r for r in dashboard.indicator_rows(db, actor, plan_id, year) if r.target.id == target_id),
        None,
    )
    if row is None:
        raise NotFound(f"指标目标 target {target_id} 不在规划 {plan_id} 中 not in this plan")
    return render(
        request,
        "pages/indicator.html",
        title_key="indicators.title",
        actor=actor,
        plan=plan,
        active="indicators",
        status_code=status_code,
        row=row,
        year=year,
        series=dashboard.chart_series(db, actor, row),
        observed=indicators.observations(db, actor, row.target.indicator.id),
        kinds=kinds(),
        problems=problems or [],
    )


@router.get("/plans/{plan_id}/indicators/{target_id}")
def indicator_detail(
    request: Request,
    plan_id: Id,
    target_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    year: Year | None = None,
) -> Response:
    """One indicator: its judgement, the chart of observed against target and projection."""
    return _detail(request, db, actor, plan_id, target_id, year)


def _number(text: str) -> float | None:
    """A number typed in a form (empty: none); ValueError names nothing, the caller does."""
    text = text.strip().replace(",", "")
    return float(text) if text else None


@router.post("/plans/{plan_id}/indicators/{target_id}")
def save_target(
    request: Request,
    plan_id: Id,
    target_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.edit")],
    version: Annotated[int, Form()],
    kind: Annotated[str, Form()],
    attribute: Annotated[str, Form()],
    base_year: Annotated[int, Form()],
    target_year: Annotated[int, Form()],
    base_value: Annotated[str, Form()] = "",
    target: Annotated[str, Form()] = "",
    target_high: Annotated[str, Form()] = "",
    tolerance: Annotated[str, Form()] = "",
    benchmark: Annotated[str, Form()] = "",
    target_text: Annotated[str, Form()] = "",
) -> Response:
    """Change the plan's target for an indicator; every bad field is listed, nothing saved."""
    numbers = {
        "base_value": base_value,
        "target": target,
        "target_high": target_high,
        "tolerance": tolerance,
    }
    changes: dict[str, object] = {}
    problems = []
    for field, text in numbers.items():
        try:
            changes[field] = _number(text)
        except ValueError:
            problems.append(f"{field}: “{text}” 不是数字 not a number")
    if not problems:
        changes.update(
            kind=kind,
            attribute=attribute,
            base_year=base_year,
            target_year=target_year,
            benchmark=benchmark.strip() or None,
            target_text=target_text.strip() or None,
        )
        try:
            indicators.update_target(db, actor, target_id, version, **changes)
        except TableError as exc:
            problems = [f"{p.column or ''}: {p.message}".lstrip(": ") for p in exc.errors]
        except Invalid as exc:
            problems = [str(exc)]
    if problems:
        return _detail(
            request, db, actor, plan_id, target_id, None, problems=problems, status_code=422
        )
    return RedirectResponse(f"/plans/{plan_id}/indicators/{target_id}?msg=saved", status_code=303)
