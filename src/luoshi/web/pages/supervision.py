"""Allocation and supervision pages: the allocation table, the board, a task's file, reminders,
scorecards and the inbox. Thin like the API: parse the form, call one service, redirect."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from luoshi.errors import Invalid
from luoshi.matching.tasks import units
from luoshi.services import allocation, catalog, plans, scorecards, supervision, tasks
from luoshi.services.evidence import accepted_extensions
from luoshi.services.permissions import Actor, is_department_scoped, role_allows
from luoshi.services.supervision import GROUPINGS, SIGNALS
from luoshi.services.views import ReportView
from luoshi.storage import Database
from luoshi.web.api.uploads import read_upload
from luoshi.web.deps import DbDep, Id, MailerDep, RulesDep, SettingsDep, allowed
from luoshi.web.pages.templating import render

router = APIRouter()


def _back(url: str, message: str) -> RedirectResponse:
    sep = "&" if "?" in url else "?"
    return RedirectResponse(f"{url}{sep}msg={message}", status_code=303)


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"日期格式应为 YYYY-MM-DD date expected: {value}") from None


# ── allocation ────────────────────────────────────────────────────────────────────────


@router.get("/plans/{plan_id}/allocation")
def allocation_page(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("allocation.read")],
) -> Response:
    """Every measure with its suggested and decided units; planners confirm or correct."""
    plan = plans.get_plan(db, actor, plan_id)
    items = allocation.suggestions(db, actor, plan_id)
    return render(
        request,
        "pages/supervision/allocation.html",
        title_key="sv.allocation",
        actor=actor,
        plan=plan,
        active="allocation",
        items=items,
        confirmed=sum(1 for i in items if i.confirmed),
        assigned=sum(1 for i in items if i.lead),
    )


@router.post("/plans/{plan_id}/allocation/{node_path}")
def allocation_confirm(
    plan_id: Id,
    node_path: str,
    db: DbDep,
    actor: Annotated[Actor, allowed("allocation.edit")],
    lead: Annotated[str, Form()],
    cooperate: Annotated[str, Form()] = "",
    due_date: Annotated[str, Form()] = "",
) -> Response:
    """Confirm or correct one measure's units and deadline."""
    allocation.confirm(
        db, actor, plan_id, node_path, units(lead), units(cooperate), due_date=_date(due_date)
    )
    anchor = "m-" + node_path.replace(".", "-")
    return RedirectResponse(f"/plans/{plan_id}/allocation?msg=allocated#{anchor}", status_code=303)


# ── board ─────────────────────────────────────────────────────────────────────────────


@router.get("/plans/{plan_id}/supervision")
def board_page(
    request: Request,
    plan_id: Id,
    db: DbDep,
    rules: RulesDep,
    actor: Annotated[Actor, allowed("board.read")],
    by: str = "area",
    signal: str | None = None,
) -> Response:
    """The red/yellow/green board of the plan's tasks."""
    plan = plans.get_plan(db, actor, plan_id)
    board = supervision.board(
        db,
        actor,
        plan_id,
        by=by if by in GROUPINGS else "area",
        signal=signal or None,
        rules=rules,
    )
    return render(
        request,
        "pages/supervision/board.html",
        title_key="sv.board",
        actor=actor,
        plan=plan,
        active="supervision",
        board=board,
        signals=SIGNALS,
        groupings=GROUPINGS,
        signal=signal or "",
        to_review=_to_review(db, actor, plan_id),
    )


def _to_review(db: Database, actor: Actor, plan_id: int) -> list[ReportView]:
    """Submitted reports of the plan's tasks waiting for this reviewer, oldest first."""
    if not role_allows(actor.role, "report.review"):
        return []
    ids = {t.id for t in tasks.list_tasks(db, actor, plan_id=plan_id, limit=1000).items}
    waiting = tasks.list_reports(db, actor, status="submitted", limit=1000).items
    return [r for r in reversed(waiting) if r.task_id in ids]


@router.get("/plans/{plan_id}/supervision/tasks/{task_id}")
def task_page(
    request: Request,
    plan_id: Id,
    task_id: Id,
    db: DbDep,
    rules: RulesDep,
    actor: Annotated[Actor, allowed("task.read")],
) -> Response:
    """One task: its milestones, reports with evidence, review and reminders."""
    plan = plans.get_plan(db, actor, plan_id)
    task = tasks.get_task(db, actor, task_id)
    board = supervision.board(db, actor, plan_id, rules=rules)
    row = next((r for g in board.groups for r in g.rows if r.task_id == task_id), None)
    reports = tasks.list_reports(db, actor, task_id=task_id).items
    return render(
        request,
        "pages/supervision/task.html",
        title_key="sv.task",
        actor=actor,
        plan=plan,
        active="supervision",
        task=task,
        row=row,
        department=next(
            (d.name for d in catalog.list_departments(db, actor) if d.id == task.department_id),
            "",
        ),
        milestones=supervision.list_milestones(db, actor, task_id),
        reports=reports,
        files={r.id: tasks.list_attachments(db, actor, r.id) for r in reports},
        reminders=supervision.list_reminders(db, actor, task_id=task_id).items,
        accept=accepted_extensions(),
        today=board.today,
        # department-scoped actions (report, mark milestones) only on one's own department's task
        own=not is_department_scoped(actor.role, "report.write")
        or actor.department_id == task.department_id,
    )


def _task_url(plan_id: int, task_id: int) -> str:
    return f"/plans/{plan_id}/supervision/tasks/{task_id}"


@router.post("/plans/{plan_id}/supervision/tasks/{task_id}/reports")
async def report_submit(
    plan_id: Id,
    task_id: Id,
    db: DbDep,
    settings: SettingsDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("report.write")],
    period: Annotated[str, Form(min_length=1, max_length=20)],
    text: Annotated[str, Form()],
    percent: Annotated[float | None, Form(ge=0, le=100)] = None,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """A department submits a progress report, with an optional evidence file."""
    data = await read_upload(file, settings) if file is not None and file.filename else None
    supervision.submit_report(
        db,
        actor,
        task_id,
        period,
        text,
        percent=percent,
        file=(file.filename or "file", data) if file is not None and data is not None else None,
        evidence_dir=settings.data_dir / "evidence",
        mailer=mailer,
    )
    return _back(_task_url(plan_id, task_id), "report_submitted")


@router.post("/plans/{plan_id}/supervision/reports/{report_id}/review")
def report_review(
    plan_id: Id,
    report_id: Id,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("report.review")],
    version: Annotated[int, Form()],
    decision: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    """A supervisor accepts or returns a report."""
    report = supervision.review_report(db, actor, report_id, version, decision, comment, mailer)
    return _back(_task_url(plan_id, report.task_id), f"report_{report.status}")


@router.post("/plans/{plan_id}/supervision/tasks/{task_id}/milestones")
def milestone_add(
    plan_id: Id,
    task_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("milestone.edit")],
    title: Annotated[str, Form()],
    due_date: Annotated[str, Form()],
) -> Response:
    """Add a milestone to a task."""
    due = _date(due_date)
    if due is None:
        raise Invalid("请填写节点时限 a milestone needs a date")
    supervision.add_milestone(db, actor, task_id, title, due)
    return _back(_task_url(plan_id, task_id), "saved")


@router.post("/plans/{plan_id}/supervision/milestones/{milestone_id}/done")
def milestone_done(
    plan_id: Id,
    milestone_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("milestone.complete")],
    version: Annotated[int, Form()],
    done: Annotated[bool, Form()] = True,
) -> Response:
    """Mark a milestone done (or not)."""
    row = supervision.complete_milestone(db, actor, milestone_id, version, done)
    return _back(_task_url(plan_id, row.task_id), "saved")


@router.post("/plans/{plan_id}/supervision/tasks/{task_id}/reminders")
def reminder_issue(
    plan_id: Id,
    task_id: Id,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("reminder.issue")],
    title: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
    reply_by: Annotated[str, Form()] = "",
) -> Response:
    """Issue a reminder (督办单) on a task."""
    supervision.issue_reminder(db, actor, task_id, title, text, _date(reply_by), mailer)
    return _back(_task_url(plan_id, task_id), "reminder_issued")


@router.post("/plans/{plan_id}/supervision/reminders/{reminder_id}/reply")
def reminder_reply(
    plan_id: Id,
    reminder_id: Id,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("reminder.reply")],
    version: Annotated[int, Form()],
    text: Annotated[str, Form()],
) -> Response:
    """The department answers a reminder."""
    row = supervision.reply_reminder(db, actor, reminder_id, version, text, mailer)
    return _back(_task_url(plan_id, row.task_id), "saved")


@router.post("/plans/{plan_id}/supervision/reminders/{reminder_id}/close")
def reminder_close(
    plan_id: Id,
    reminder_id: Id,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("reminder.issue")],
    version: Annotated[int, Form()],
    text: Annotated[str, Form()] = "",
) -> Response:
    """Close (办结) a reminder."""
    row = supervision.close_reminder(db, actor, reminder_id, version, text, mailer)
    return _back(_task_url(plan_id, row.task_id), "saved")


# ── reminders, scorecards, inbox ──────────────────────────────────────────────────────


@router.get("/plans/{plan_id}/supervision/reminders")
def reminders_page(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("reminder.read")],
    status: str | None = None,
) -> Response:
    """The plan's reminders (reporters: those to their department)."""
    plan = plans.get_plan(db, actor, plan_id)
    page = supervision.list_reminders(db, actor, plan_id=plan_id, status=status or None)
    return render(
        request,
        "pages/supervision/reminders.html",
        title_key="sv.reminders",
        actor=actor,
        plan=plan,
        active="supervision",
        reminders=page,
        departments={d.id: d.name for d in catalog.list_departments(db, actor)},
    )


@router.get("/plans/{plan_id}/supervision/scorecards")
def scorecards_page(
    request: Request,
    plan_id: Id,
    db: DbDep,
    rules: RulesDep,
    actor: Annotated[Actor, allowed("board.read")],
) -> Response:
    """Department scorecards, exportable as .xlsx."""
    plan = plans.get_plan(db, actor, plan_id)
    cards = scorecards.scorecards(db, actor, plan_id, rules=rules)
    return render(
        request,
        "pages/supervision/scorecards.html",
        title_key="sv.scorecards",
        actor=actor,
        plan=plan,
        active="supervision",
        cards=cards,
    )


@router.get("/inbox")
def inbox_page(
    request: Request, db: DbDep, actor: Annotated[Actor, allowed("inbox.read")]
) -> Response:
    """The signed-in user's messages and e-mail address."""
    return render(
        request,
        "pages/supervision/inbox.html",
        title_key="sv.inbox",
        actor=actor,
        active="inbox",
        messages=supervision.inbox(db, actor, limit=100),
        email=supervision.get_email(db, actor) or "",
    )


@router.post("/inbox/{message_id}/read")
def inbox_read(
    message_id: Id, db: DbDep, actor: Annotated[Actor, allowed("inbox.read")]
) -> Response:
    """Mark a message read and open what it is about."""
    link = supervision.mark_read(db, actor, message_id).link
    local = link.startswith("/") and not link.startswith("//")
    return RedirectResponse(link if local else "/inbox", status_code=303)


@router.post("/inbox/email")
def inbox_email(
    db: DbDep, actor: Annotated[Actor, allowed("inbox.read")], email: Annotated[str, Form()] = ""
) -> Response:
    """Set or remove one's e-mail address."""
    supervision.set_email(db, actor, email)
    return _back("/inbox", "saved")
