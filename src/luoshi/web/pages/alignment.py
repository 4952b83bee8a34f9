"""The coverage matrix of 对标对表: the plan against its upper plan, gaps one click from work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from luoshi.services import alignment, plans
from luoshi.services.permissions import Actor
from luoshi.web.deps import DbDep, Id, allowed
from luoshi.web.pages.overview import remember_plan
from luoshi.web.pages.templating import render

router = APIRouter()
# Score bands of a matrix cell (CSS class): strong, fair, weak.
BANDS = ((0.5, "strong"), (0.3, "fair"), (0.0, "weak"))


def band(score: float | None) -> str:
    """The CSS band of a cell score ('' for an empty cell)."""
    if score is None:
        return ""
    return next(name for floor, name in BANDS if score >= floor)


def _back(plan_id: int, upper: str, message: str) -> str:
    return f"/plans/{plan_id}/alignment?upper={upper}&msg={message}"


@router.get("/plans/{plan_id}/alignment")
def alignment_page(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("alignment.read")],
    upper: str | None = None,
    upper_depth: int = 0,
    lower_depth: int = 1,
) -> Response:
    """The matrix, the gaps with their one-click actions, the pairs and the indicators."""
    plan = plans.get_plan(db, actor, plan_id)
    view = alignment.align_plan(
        db,
        actor,
        plan_id,
        upper or None,
        upper_depth=min(max(upper_depth, 0), 3),
        lower_depth=min(max(lower_depth, 0), 3),
    )
    verdict_of = {(v.kind, v.upper_key, v.lower_key): v.verdict for v in view.verdicts}
    rejected = [v for v in view.verdicts if v.verdict == "reject"]
    response = render(
        request,
        "pages/alignment/matrix.html",
        title_key="alignment.title",
        actor=actor,
        plan=plan,
        active="alignment",
        view=view,
        band=band,
        verdict_of=verdict_of,
        rejected=rejected,
        upper_depth=upper_depth,
        lower_depth=lower_depth,
    )
    return remember_plan(response, plan_id)


@router.post("/plans/{plan_id}/alignment/verdict")
def verdict(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("alignment.review")],
    upper: Annotated[str, Form()],
    upper_key: Annotated[str, Form()],
    lower_key: Annotated[str, Form()],
    verdict: Annotated[str, Form()],
    kind: Annotated[str, Form()] = "node",
) -> Response:
    """Confirm or reject one pair."""
    alignment.record_verdict(
        db, actor, plan_id, upper, kind=kind, upper_key=upper_key, lower_key=lower_key,
        verdict=verdict,
    )  # fmt: skip
    return RedirectResponse(_back(plan_id, upper, f"align_{verdict}"), status_code=303)


@router.post("/plans/{plan_id}/alignment/task")
def add_task(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
    upper: Annotated[str, Form()],
    upper_id: Annotated[str, Form()],
    parent_path: Annotated[str, Form()] = "",
) -> Response:
    """Add the upper item as a task of this plan, then show it in the outline."""
    node = alignment.add_task_from_upper(
        db, actor, plan_id, upper, upper_id, parent_path=parent_path or None
    )
    return RedirectResponse(
        f"/plans/{plan_id}/outline?msg=task_added#node-{node.id}", status_code=303
    )


@router.post("/plans/{plan_id}/alignment/indicator")
def add_indicator(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.edit")],
    upper: Annotated[str, Form()],
    upper_code: Annotated[str, Form()],
) -> Response:
    """Add the upper indicator with its proposed local target to this plan's table."""
    target = alignment.add_indicator_from_upper(db, actor, plan_id, upper, upper_code)
    return RedirectResponse(
        f"/plans/{plan_id}/indicators/{target.id}?msg=indicator_added", status_code=303
    )
