"""The public read-only page of a plan's published indicators (off until a planner turns it on)."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import Response

from luoshi.errors import Forbidden, NotFound, Unauthenticated
from luoshi.services import dashboard, plans
from luoshi.web.deps import DbDep, Id, Year
from luoshi.web.pages.templating import render

router = APIRouter()


@router.get("/public/plans/{plan_id}")
def public_page(request: Request, plan_id: Id, db: DbDep, year: Year | None = None) -> Response:
    """Indicators and their statuses, for anyone, when the plan's public page is on."""
    try:
        plan = plans.get_plan(db, None, plan_id)
    except (Unauthenticated, Forbidden, NotFound):
        return render(request, "pages/public_off.html", title_key="public.title", status_code=404)
    year = year if year is not None else dashboard.evaluation_year(db, None, plan_id)
    rows = dashboard.indicator_rows(db, None, plan_id, year)
    counts = Counter(r.status for r in rows)
    return render(
        request,
        "pages/public.html",
        title_key="public.title",
        public_plan=plan,
        year=year,
        rows=rows,
        counts=counts,
    )
