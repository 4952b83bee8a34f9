"""Allocation (任务分工) and supervision (督查督办): suggestions, the board, milestones, review,
reminders, the inbox, scorecards and evidence downloads."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from luoshi.services import allocation, evidence, plans, scorecards, supervision
from luoshi.services.allocation import AllocationItem
from luoshi.services.permissions import Actor
from luoshi.services.scorecards import Scorecard
from luoshi.services.supervision import (
    Board,
    MessageView,
    MilestoneView,
    ReminderView,
)
from luoshi.services.views import Page, ReportView
from luoshi.web.deps import DbDep, Id, IfMatch, MailerDep, PageDep, RulesDep, SettingsDep, allowed

router = APIRouter(tags=["supervision 分工与督办"])
XLSX = allocation.EXPORT_FORMATS["xlsx"]


def download(data: bytes, filename: str, media_type: str) -> Response:
    """A file the browser saves and never renders (attachment, nosniff, sandboxed)."""
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


# ── allocation ────────────────────────────────────────────────────────────────────────


@router.get("/plans/{plan_id}/allocation")
def list_allocation(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("allocation.read")],
    catalog: str = "municipal",
) -> list[AllocationItem]:
    """Suggested and decided units for every measure of the plan."""
    return allocation.suggestions(db, actor, plan_id, catalog_name=catalog)


class AllocationIn(BaseModel):
    lead: list[str] = Field(min_length=1)
    cooperate: list[str] = []
    due_date: date | None = None
    catalog: str = "municipal"


@router.put("/plans/{plan_id}/allocation/{node_path}")
def confirm_allocation(
    plan_id: Id,
    node_path: str,
    body: AllocationIn,
    db: DbDep,
    actor: Annotated[Actor, allowed("allocation.edit")],
) -> AllocationItem:
    """Confirm or correct the units and deadline of one measure (learned from)."""
    return allocation.confirm(
        db,
        actor,
        plan_id,
        node_path,
        body.lead,
        body.cooperate,
        due_date=body.due_date,
        catalog_name=body.catalog,
    )


@router.get("/plans/{plan_id}/allocation/export")
def export_allocation(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("allocation.read")],
    format: Annotated[str, Query(pattern="^(xlsx|docx)$")] = "xlsx",
    catalog: str = "municipal",
) -> Response:
    """The standard allocation table (序号, 重点任务, 具体举措, 牵头单位, 配合单位, 完成时限)."""
    data = allocation.export_table(db, actor, plan_id, format, catalog_name=catalog)
    title = plans.get_plan(db, actor, plan_id).title
    return download(data, f"{title}-任务分工.{format}", allocation.EXPORT_FORMATS[format])


# ── board and scorecards ──────────────────────────────────────────────────────────────


@router.get("/plans/{plan_id}/board")
def get_board(
    plan_id: Id,
    db: DbDep,
    rules: RulesDep,
    actor: Annotated[Actor, allowed("board.read")],
    by: str = "area",
    signal: str | None = None,
    department_id: Id | None = None,
) -> Board:
    """The red/yellow/green board, grouped by key area, department or deadline."""
    return supervision.board(
        db,
        actor,
        plan_id,
        by=by,
        rules=rules,
        signal=signal,
        department_id=department_id,
    )


@router.get("/plans/{plan_id}/scorecards")
def get_scorecards(
    plan_id: Id, db: DbDep, rules: RulesDep, actor: Annotated[Actor, allowed("board.read")]
) -> list[Scorecard]:
    """Department scorecards (a reporter gets its own)."""
    return scorecards.scorecards(db, actor, plan_id, rules=rules)


@router.get("/plans/{plan_id}/scorecards/export")
def export_scorecards(
    plan_id: Id, db: DbDep, rules: RulesDep, actor: Annotated[Actor, allowed("board.read")]
) -> Response:
    """The scorecards as .xlsx."""
    cards = scorecards.scorecards(db, actor, plan_id, rules=rules)
    title = f"{plans.get_plan(db, actor, plan_id).title}部门考评"
    return download(scorecards.scorecards_xlsx(cards, title), f"{title}.xlsx", XLSX)


# ── milestones and review ─────────────────────────────────────────────────────────────


@router.get("/tasks/{task_id}/milestones")
def list_milestones(
    task_id: Id, db: DbDep, actor: Annotated[Actor, allowed("task.read")]
) -> list[MilestoneView]:
    """A task's milestones by date."""
    return supervision.list_milestones(db, actor, task_id)


class MilestoneIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    due_date: date


@router.post("/tasks/{task_id}/milestones", status_code=201)
def add_milestone(
    task_id: Id,
    body: MilestoneIn,
    db: DbDep,
    actor: Annotated[Actor, allowed("milestone.edit")],
) -> MilestoneView:
    """Add a milestone to a task."""
    return supervision.add_milestone(db, actor, task_id, body.title, body.due_date)


class MilestoneDone(BaseModel):
    done: bool = True


@router.post("/milestones/{milestone_id}/done")
def complete_milestone(
    milestone_id: Id,
    body: MilestoneDone,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("milestone.complete")],
) -> MilestoneView:
    """Mark a milestone done today, or not done (If-Match: its version)."""
    return supervision.complete_milestone(db, actor, milestone_id, version, body.done)


class ReviewIn(BaseModel):
    decision: str = Field(pattern="^(accept|return)$")
    comment: str = ""


@router.post("/reports/{report_id}/review")
def review_report(
    report_id: Id,
    body: ReviewIn,
    version: IfMatch,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("report.review")],
) -> ReportView:
    """Accept or return a submitted report; returning needs a comment."""
    return supervision.review_report(
        db, actor, report_id, version, body.decision, body.comment, mailer
    )


@router.get("/attachments/{attachment_id}")
def get_attachment(
    attachment_id: Id,
    db: DbDep,
    settings: SettingsDep,
    actor: Annotated[Actor, allowed("report.read")],
) -> Response:
    """An evidence file, as a download, to those who may read its report."""
    view, data = evidence.read_attachment(db, actor, attachment_id, settings.data_dir / "evidence")
    return download(data, view.filename, view.content_type)


# ── reminders ─────────────────────────────────────────────────────────────────────────


@router.get("/reminders")
def list_reminders(
    db: DbDep,
    actor: Annotated[Actor, allowed("reminder.read")],
    page: PageDep,
    plan_id: Id | None = None,
    task_id: Id | None = None,
    status: str | None = None,
) -> Page[ReminderView]:
    """Reminders (督办单), newest first (reporters: those to their department)."""
    return supervision.list_reminders(
        db,
        actor,
        plan_id=plan_id,
        task_id=task_id,
        status=status,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/reminders/{reminder_id}")
def get_reminder(
    reminder_id: Id, db: DbDep, actor: Annotated[Actor, allowed("reminder.read")]
) -> ReminderView:
    """One reminder."""
    return supervision.get_reminder(db, actor, reminder_id)


class ReminderIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    text: str = ""
    reply_by: date | None = None


@router.post("/tasks/{task_id}/reminders", status_code=201)
def issue_reminder(
    task_id: Id,
    body: ReminderIn,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("reminder.issue")],
) -> ReminderView:
    """Issue a reminder on a task to its department."""
    return supervision.issue_reminder(
        db, actor, task_id, body.title, body.text, body.reply_by, mailer
    )


class ReminderText(BaseModel):
    text: str = ""


@router.post("/reminders/{reminder_id}/reply")
def reply_reminder(
    reminder_id: Id,
    body: ReminderText,
    version: IfMatch,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("reminder.reply")],
) -> ReminderView:
    """The department's answer to a reminder (If-Match: its version)."""
    return supervision.reply_reminder(db, actor, reminder_id, version, body.text, mailer)


@router.post("/reminders/{reminder_id}/close")
def close_reminder(
    reminder_id: Id,
    body: ReminderText,
    version: IfMatch,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("reminder.issue")],
) -> ReminderView:
    """Close (办结) a reminder (If-Match: its version)."""
    return supervision.close_reminder(db, actor, reminder_id, version, body.text, mailer)


# ── inbox ─────────────────────────────────────────────────────────────────────────────


@router.get("/inbox")
def list_inbox(
    db: DbDep, actor: Annotated[Actor, allowed("inbox.read")], page: PageDep, unread: bool = False
) -> Page[MessageView]:
    """The signed-in user's messages, newest first."""
    return supervision.inbox(db, actor, unread=unread, limit=page.limit, offset=page.offset)


@router.post("/inbox/{message_id}/read")
def mark_read(
    message_id: Id, db: DbDep, actor: Annotated[Actor, allowed("inbox.read")]
) -> MessageView:
    """Mark one of one's messages read."""
    return supervision.mark_read(db, actor, message_id)


class EmailIn(BaseModel):
    email: str | None = None


@router.get("/inbox/email")
def get_email(db: DbDep, actor: Annotated[Actor, allowed("inbox.read")]) -> EmailIn:
    """The address one's messages are e-mailed to."""
    return EmailIn(email=supervision.get_email(db, actor))


@router.put("/inbox/email")
def set_email(body: EmailIn, db: DbDep, actor: Annotated[Actor, allowed("inbox.read")]) -> EmailIn:
    """Set or (empty) remove the address one's messages are e-mailed to."""
    return EmailIn(email=supervision.set_email(db, actor, body.email))
