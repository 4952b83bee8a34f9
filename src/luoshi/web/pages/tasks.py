"""The tasks of a plan: a department reporter sees only its own department's.

Each task shows the signal the supervision board gives it (done, overdue, stalled, at risk,
on track), not its bare record status, and links to its task page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from luoshi.services import catalog, dashboard, plans, supervision, tasks
from luoshi.services.permissions import Actor
from luoshi.web.deps import INT64_MAX, DbDep, Id, allowed
from luoshi.web.pages.templating import render

router = APIRouter()


@router.get("/plans/{plan_id}/tasks")
def task_list(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("task.read")],
    offset: Annotated[int, Query(le=INT64_MAX)] = 0,
) -> Response:
    """Tasks of the plan (the service limits a reporter to its department)."""
    plan = plans.get_plan(db, actor, plan_id)
    page = tasks.list_tasks(db, actor, plan_id=plan_id, limit=100, offset=max(offset, 0))
    labels = {n.path: dashboard.node_label(n) for n in plans.outline(db, actor, plan_id).items}
    departments = {d.id: d.name for d in catalog.list_departments(db, actor)}
    return render(
        request,
        "pages/tasks.html",
        title_key="tasks.title",
        actor=actor,
        plan=plan,
        active="tasks",
        tasks=page,
        labels=labels,
        departments=departments,
        signals=supervision.signals(db, actor, plan_id),
        warnings={s.code: s.warning for s in supervision.SIGNALS},
    )
