"""The plans list and the leaders' overview of one plan (the home page)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from luoshi.errors import NotFound
from luoshi.services import dashboard, plans
from luoshi.services.permissions import Actor
from luoshi.services.views import PlanView
from luoshi.storage import Database
from luoshi.web.deps import INT64_MAX, CurrentUser, DbDep, Id, Year, allowed, whole_number
from luoshi.web.pages.templating import render, render_kept

router = APIRouter()
PLAN_COOKIE = "luoshi_plan"


def plan_years(plan: PlanView) -> list[int]:
    """The years a plan can be evaluated in, base year first."""
    start = (plan.start_year or 2026) - 1
    return list(range(start, (plan.end_year or start + 5) + 1))


def current_plan(request: Request, db: Database, actor: Actor) -> PlanView | None:
    """The plan the user last opened (cookie), else the newest plan, else None."""
    remembered = whole_number(request.cookies.get(PLAN_COOKIE, ""))
    if remembered is not None:
        try:
            return plans.get_plan(db, actor, remembered)
        except NotFound:
            pass
    newest = plans.list_plans(db, actor, limit=1).items
    return newest[0] if newest else None


def remember_plan(response: Response, plan_id: int) -> Response:
    """Keep the plan being looked at for the next visit (pages without a plan in the URL)."""
    response.set_cookie(PLAN_COOKIE, str(plan_id), samesite="lax", path="/", httponly=True)
    return response


@router.get("/")
def home(request: Request, db: DbDep, actor: CurrentUser) -> Response:
    """The overview of the current plan, or the way to import a first one."""
    plan = current_plan(request, db, actor)
    if plan is None:
        return render(request, "pages/no_plan.html", title_key="plans.title", actor=actor)
    return RedirectResponse(f"/plans/{plan.id}", status_code=303)


@router.get("/plans")
def plan_list(
    request: Request,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.read")],
    offset: Annotated[int, Query(le=INT64_MAX)] = 0,
) -> Response:
    """Every plan, newest first."""
    page = plans.list_plans(db, actor, limit=50, offset=max(offset, 0))
    plan = current_plan(request, db, actor)
    return render(
        request,
        "pages/plans.html",
        title_key="plans.title",
        actor=actor,
        plan=plan,
        active="plans",
        plans=page,
        current_id=plan.id if plan else None,
    )


@router.get("/plans/{plan_id}")
def plan_overview(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.read")],
    year: Year | None = None,
) -> Response:
    """Statuses by goal and key area, counts, and what slipped since last year."""
    view = dashboard.overview(db, actor, plan_id, year)
    response = render_kept(
        request,
        "pages/overview.html",
        data=view,
        title_key="overview.title",
        actor=actor,
        plan=view.plan,
        active="overview",
        view=view,
        years=plan_years(view.plan),
    )
    return remember_plan(response, plan_id)
