"""Regions and roll-up: the plan on the region tree, its districts side by side, a ranking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from luoshi.errors import Invalid
from luoshi.indicators.interchange import FIRST_YEAR, LAST_YEAR
from luoshi.services import plans, regions
from luoshi.services.permissions import Actor, role_allows
from luoshi.web.deps import DbDep, Id, allowed, whole_number
from luoshi.web.pages.overview import plan_years, remember_plan
from luoshi.web.pages.templating import render

router = APIRouter()


@router.get("/plans/{plan_id}/regions")
def rollup_page(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    code: str = "",
    year: str = "",
) -> Response:
    """The region tree, the districts' indicators and tasks side by side, and a ranking."""
    plan = plans.get_plan(db, actor, plan_id)
    chosen = whole_number(year)  # None (""): each district's latest year
    if chosen is not None and not FIRST_YEAR <= chosen <= LAST_YEAR:
        raise Invalid(
            f"年份 year 应在 {FIRST_YEAR}–{LAST_YEAR} 之间 "
            f"must be between {FIRST_YEAR} and {LAST_YEAR}, got {chosen}"
        )
    view = regions.rollup(db, actor, plan_id, chosen)
    rank = regions.rank_districts(view, code or None)
    tree = regions.region_tree(db, actor) if role_allows(actor.role, "catalog.read") else []
    response = render(
        request,
        "pages/regions/rollup.html",
        title_key="regions.title",
        actor=actor,
        plan=plan,
        active="regions",
        view=view,
        rank=rank,
        tree=tree,
        year=chosen,
        years=plan_years(plan),
    )
    return remember_plan(response, plan_id)


@router.post("/plans/{plan_id}/region")
def set_region(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
    version: Annotated[int, Form()],
    region_code: Annotated[str, Form()] = "",
) -> Response:
    """Put the plan on the region tree."""
    regions.set_plan_region(db, actor, plan_id, region_code or None, version)
    return RedirectResponse(f"/plans/{plan_id}/regions?msg=region_set", status_code=303)
