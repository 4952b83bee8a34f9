"""The plan's indicator table with status colours, one indicator's chart, attaching indicators
to goals and switching the public page on or off."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from luoshi.errors import NotFound
from luoshi.services import dashboard, indicators, plans
from luoshi.services.permissions import Actor
from luoshi.web.deps import DbDep, allowed
from luoshi.web.pages.overview import plan_years, remember_plan
from luoshi.web.pages.templating import render

router = APIRouter()
# Outline kinds an indicator can measure (goals and key areas, down to items).
GOAL_KINDS = ("part", "chapter", "section", "item")


@router.get("/plans/{plan_id}/indicators")
def indicator_table(
    request: Request,
    plan_id: int,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    year: int | None = None,
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
    plan_id: int,
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
    plan_id: int,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.publish")],
    version: Annotated[int, Form()],
    public: Annotated[bool, Form()],
) -> Response:
    """Switch the plan's public page on or off."""
    plans.update_plan(db, actor, plan_id, version, public=public)
    message = "public_on" if public else "public_off"
    return RedirectResponse(f"/plans/{plan_id}/indicators?msg={message}", status_code=303)


@router.get("/plans/{plan_id}/indicators/{target_id}")
def indicator_detail(
    request: Request,
    plan_id: int,
    target_id: int,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    year: int | None = None,
) -> Response:
    """One indicator: its judgement, the chart of observed against target and projection."""
    plan = plans.get_plan(db, actor, plan_id)
    year = year if year is not None else dashboard.evaluation_year(db, actor, plan_id)
    row = next(
        (r for r in dashboard.indicator_rows(db, actor, plan_id, year) if r.target.id == target_id),
        None,
    )
    if row is None:
        raise NotFound(f"指标目标 target {target_id} 不在规划 {plan_id} 中 not in this plan")
    series = dashboard.chart_series(db, actor, row)
    observed = indicators.observations(db, actor, row.target.indicator.id)
    return render(
        request,
        "pages/indicator.html",
        title_key="indicators.title",
        actor=actor,
        plan=plan,
        active="indicators",
        row=row,
        year=year,
        series=series,
        observed=observed,
    )
