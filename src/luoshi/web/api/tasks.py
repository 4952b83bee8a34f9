"""Task assignments, progress reports and evidence files.

Writing, submitting and reviewing a report go through luoshi.services.supervision, the one
path that also tells reviewers of a submission and the author of a review (as the pages do).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Response, UploadFile
from pydantic import BaseModel, Field

from luoshi.services import supervision, tasks
from luoshi.services.permissions import Actor
from luoshi.services.views import AttachmentView, Page, ReportView, TaskView
from luoshi.web.api.uploads import read_upload
from luoshi.web.deps import DbDep, Id, IfMatch, MailerDep, PageDep, SettingsDep, allowed, etag

router = APIRouter(tags=["tasks 任务与进展"])


@router.get("/tasks")
def list_tasks(
    db: DbDep,
    actor: Annotated[Actor, allowed("task.read")],
    page: PageDep,
    plan_id: Id | None = None,
    department_id: Id | None = None,
    status: str | None = None,
    node_path: str | None = None,
) -> Page[TaskView]:
    """Tasks (a department reporter sees only its own department's)."""
    return tasks.list_tasks(
        db,
        actor,
        plan_id=plan_id,
        department_id=department_id,
        status=status,
        node_path=node_path,
        limit=page.limit,
        offset=page.offset,
    )


class TaskIn(BaseModel):
    plan_id: Id
    node_path: str
    department_code: str
    role: str = "lead"
    due_date: date | None = None
    reason: str = ""


@router.post("/tasks", status_code=201)
def assign(body: TaskIn, db: DbDep, actor: Annotated[Actor, allowed("task.edit")]) -> TaskView:
    """Give a measure to a department."""
    return tasks.assign_task(
        db,
        actor,
        body.plan_id,
        body.node_path,
        body.department_code,
        role=body.role,
        due_date=body.due_date,
        reason=body.reason,
    )


@router.get("/tasks/{task_id}")
def get_task(
    task_id: Id, db: DbDep, actor: Annotated[Actor, allowed("task.read")], response: Response
) -> TaskView:
    """One task."""
    view = tasks.get_task(db, actor, task_id)
    response.headers["ETag"] = etag(view.version)
    return view


class TaskChange(BaseModel):
    due_date: date | None = None
    status: str | None = None
    note: str | None = None
    role: str | None = None


@router.patch("/tasks/{task_id}")
def update_task(
    task_id: Id,
    body: TaskChange,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("task.edit")],
) -> TaskView:
    """Change a task (If-Match: its version)."""
    return tasks.update_task(db, actor, task_id, version, **body.model_dump(exclude_unset=True))


class ReportIn(BaseModel):
    period: str = Field(min_length=1, max_length=20)
    text: str
    percent: float | None = None
    submit: bool = False


@router.post("/tasks/{task_id}/reports", status_code=201)
def write_report(
    task_id: Id,
    body: ReportIn,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("report.write")],
) -> ReportView:
    """Write a progress report on one's own department's task; submitted at once
    (`submit: true`), it reaches the inbox of those who review reports."""
    return supervision.write_report(
        db,
        actor,
        task_id,
        body.period,
        body.text,
        percent=body.percent,
        submit=body.submit,
        mailer=mailer,
    )


@router.get("/reports")
def list_reports(
    db: DbDep,
    actor: Annotated[Actor, allowed("report.read")],
    page: PageDep,
    task_id: Id | None = None,
    status: str | None = None,
) -> Page[ReportView]:
    """Progress reports, newest first (reporters: their department's)."""
    return tasks.list_reports(
        db, actor, task_id=task_id, status=status, limit=page.limit, offset=page.offset
    )


@router.get("/reports/{report_id}")
def get_report(
    report_id: Id, db: DbDep, actor: Annotated[Actor, allowed("report.read")]
) -> ReportView:
    """One progress report."""
    return tasks.get_report(db, actor, report_id)


class ReportChange(BaseModel):
    text: str | None = None
    percent: float | None = None
    status: str | None = None
    review_note: str | None = None


@router.patch("/reports/{report_id}")
def update_report(
    report_id: Id,
    body: ReportChange,
    version: IfMatch,
    db: DbDep,
    mailer: MailerDep,
    actor: Annotated[Actor, allowed("report.read")],
) -> ReportView:
    """Edit or submit (reporters), accept or return (supervisors; returning needs a
    `review_note`) a report (If-Match: its version). A submission reaches the inbox of those
    who review reports, a review the author's."""
    return supervision.update_report(
        db, actor, report_id, version, mailer=mailer, **body.model_dump(exclude_unset=True)
    )


@router.post("/reports/{report_id}/attachments", status_code=201)
async def add_attachment(
    report_id: Id,
    file: UploadFile,
    db: DbDep,
    settings: SettingsDep,
    actor: Annotated[Actor, allowed("report.write")],
) -> AttachmentView:
    """Attach a file of evidence."""
    data = await read_upload(file, settings)
    return supervision.add_attachment(
        db,
        actor,
        report_id,
        file.filename or "file",
        file.content_type or "",
        data,
        settings.data_dir / "evidence",
    )


@router.get("/reports/{report_id}/attachments")
def list_attachments(
    report_id: Id, db: DbDep, actor: Annotated[Actor, allowed("report.read")]
) -> list[AttachmentView]:
    """The evidence files of a report."""
    return tasks.list_attachments(db, actor, report_id)
