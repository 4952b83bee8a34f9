"""Task assignments (任务分工) and progress reports (进展报告) with evidence.

A department reporter sees and changes only its own department's tasks and reports; the
permission table's "department" scope says so and every function here applies it.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import Invalid
from luoshi.services import clock, evidence
from luoshi.services.audit import record, record_added, snapshot
from luoshi.services.permissions import Actor, check, scope_to_department
from luoshi.services.transactions import (
    check_version,
    get_or_404,
    read_page,
    reading,
    where_given,
    writing,
)
from luoshi.services.views import AttachmentView, Page, ReportView, TaskView
from luoshi.storage import Database
from luoshi.storage.models import (
    Attachment,
    Department,
    OutlineNode,
    Plan,
    PlanVersion,
    ProgressReport,
    TaskAssignment,
)

TASK_ROLES = ("lead", "cooperating")
TASK_STATUSES = ("open", "done", "closed")
# report status → statuses it may move to, and the action that allows the move
REPORT_FLOW: dict[tuple[str, str], str] = {
    ("draft", "submitted"): "report.write",
    ("returned", "submitted"): "report.write",
    ("submitted", "accepted"): "report.review",
    ("submitted", "returned"): "report.review",
}


def assign_task(
    db: Database,
    actor: Actor,
    plan_id: int,
    node_path: str,
    department_code: str,
    *,
    role: str = "lead",
    due_date: date | None = None,
    reason: str = "",
) -> TaskView:
    """Give a measure of a plan to a department as lead or cooperating unit."""
    check(actor, "task.edit")
    if role not in TASK_ROLES:
        raise Invalid(f"未知分工 unknown role: {role}(可选 {', '.join(TASK_ROLES)})")
    with writing(db) as s:
        get_or_404(s, Plan, plan_id, "规划 plan")
        node = s.scalar(
            select(OutlineNode.id)
            .join(PlanVersion)
            .where(PlanVersion.plan_id == plan_id, OutlineNode.path == node_path)
            .limit(1)
        )
        if node is None:
            raise Invalid(f"规划中没有节点 no node {node_path} in plan {plan_id}")
        dept = s.scalar(select(Department).where(Department.code == department_code))
        if dept is None:
            raise Invalid(f"部门不存在 unknown department: {department_code}")
        task = TaskAssignment(
            plan_id=plan_id,
            node_path=node_path,
            department_id=dept.id,
            role=role,
            due_date=due_date,
            reason=reason,
        )
        record_added(
            s,
            actor,
            task,
            "task.assign",
            "task",
            plan_id=plan_id,
            summary=f"{node_path} → {dept.name}",
        )
        return TaskView.model_validate(task)


def list_tasks(
    db: Database,
    actor: Actor,
    *,
    plan_id: int | None = None,
    department_id: int | None = None,
    status: str | None = None,
    node_path: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[TaskView]:
    """Tasks, filtered; a reporter gets only its own department's."""
    check(actor, "task.read")
    query = where_given(
        scope_to_department(
            select(TaskAssignment), actor, "task.read", TaskAssignment.department_id
        ),
        (TaskAssignment.plan_id, plan_id),
        (TaskAssignment.department_id, department_id),
        (TaskAssignment.status, status),
        (TaskAssignment.node_path, node_path),
    )
    return read_page(db, query, TaskAssignment.id, TaskView, limit, offset)


def _task(s: Session, actor: Actor, task_id: int, action: str) -> TaskAssignment:
    task = get_or_404(s, TaskAssignment, task_id, "任务 task")
    check(actor, action, task.department_id)
    return task


def get_task(db: Database, actor: Actor, task_id: int) -> TaskView:
    """One task (reporters: only their department's)."""
    check(actor, "task.read")
    with reading(db) as s:
        return TaskView.model_validate(_task(s, actor, task_id, "task.read"))


def update_task(
    db: Database, actor: Actor, task_id: int, expected_version: int | None, **changes: Any
) -> TaskView:
    """Change a task's due date, status, note or role."""
    check(actor, "task.edit")
    unknown = set(changes) - {"due_date", "status", "note", "role"}
    if unknown:
        raise Invalid(f"不能修改的字段 fields cannot be edited: {', '.join(sorted(unknown))}")
    if changes.get("status") not in (None, *TASK_STATUSES):
        raise Invalid(f"未知状态 unknown status: {changes['status']}")
    if changes.get("role") not in (None, *TASK_ROLES):
        raise Invalid(f"未知分工 unknown role: {changes['role']}")
    with writing(db) as s:
        task = _task(s, actor, task_id, "task.edit")
        check_version(task, expected_version, "任务 task")
        change_task(s, actor, task, **changes)
        return TaskView.model_validate(task)


def change_task(s: Session, actor: Actor, task: TaskAssignment, **changes: Any) -> None:
    """Change a task's fields in the caller's transaction and record what changed (if anything)."""
    if all(getattr(task, name) == value for name, value in changes.items()):
        return
    before = snapshot(task)
    for name, value in changes.items():
        setattr(task, name, value)
    s.flush()
    record(
        s,
        actor,
        "task.update",
        "task",
        task.id,
        before=before,
        after=snapshot(task),
        plan_id=task.plan_id,
    )


def write_report(
    db: Database,
    actor: Actor,
    task_id: int,
    period: str,
    text: str,
    *,
    percent: float | None = None,
    submit: bool = False,
) -> ReportView:
    """A department's progress report on its task (draft, or submitted at once)."""
    check(actor, "report.write")
    if percent is not None and not 0 <= percent <= 100:
        raise Invalid("完成比例应在0到100之间 percent must be within 0–100")
    with writing(db) as s:
        task = _task(s, actor, task_id, "report.write")
        report = ProgressReport(
            task_id=task.id,
            period=period.strip(),
            text=text,
            percent=percent,
            author_id=actor.user_id,
            status="submitted" if submit else "draft",
            submitted_at=clock.now() if submit else None,
        )
        record_added(s, actor, report, "report.add", "report", plan_id=task.plan_id)
        return ReportView.model_validate(report)


def update_report(
    db: Database,
    actor: Actor,
    report_id: int,
    expected_version: int | None,
    *,
    text: str | None = None,
    percent: float | None = None,
    status: str | None = None,
    review_note: str | None = None,
) -> ReportView:
    """Edit a draft or returned report, submit it, or (supervisors) accept or return it."""
    with writing(db) as s:
        report = get_or_404(s, ProgressReport, report_id, "进展报告 report")
        task = s.get(TaskAssignment, report.task_id)
        assert task is not None
        action = "report.write"
        if status is not None and status != report.status:
            action = REPORT_FLOW.get((report.status, status), "")
            if not action:
                raise Invalid(f"不能从 {report.status} 改为 {status} invalid status change")
        check(actor, action, task.department_id)
        check_version(report, expected_version, "进展报告 report")
        if action == "report.write" and report.status not in ("draft", "returned"):
            raise Invalid("已提交的报告不能修改 a submitted report cannot be edited")
        before = snapshot(report)
        if text is not None:
            report.text = text
        if percent is not None:
            report.percent = percent
        if review_note is not None and action == "report.review":
            report.review_note = review_note
        if status is not None and status != report.status:
            report.status = status
            if status == "submitted":
                report.submitted_at = clock.now()
            else:
                report.reviewer_id = actor.user_id
        s.flush()
        record(
            s,
            actor,
            f"report.{status or 'update'}",
            "report",
            report.id,
            before=before,
            after=snapshot(report),
            plan_id=task.plan_id,
        )
        return ReportView.model_validate(report)


def list_reports(
    db: Database,
    actor: Actor,
    *,
    task_id: int | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[ReportView]:
    """Progress reports, newest first; a reporter gets only its own department's."""
    check(actor, "report.read")
    query = select(ProgressReport).join(TaskAssignment)
    query = scope_to_department(query, actor, "report.read", TaskAssignment.department_id)
    query = where_given(query, (ProgressReport.task_id, task_id), (ProgressReport.status, status))
    return read_page(db, query, ProgressReport.id.desc(), ReportView, limit, offset)


def get_report(db: Database, actor: Actor, report_id: int) -> ReportView:
    """One progress report (reporters: only their department's)."""
    check(actor, "report.read")
    with reading(db) as s:
        report = get_or_404(s, ProgressReport, report_id, "进展报告 report")
        _task(s, actor, report.task_id, "report.read")
        return ReportView.model_validate(report)


def add_attachment(
    db: Database,
    actor: Actor,
    report_id: int,
    filename: str,
    content_type: str,
    data: bytes,
    evidence_dir: Path,
) -> AttachmentView:
    """Store a file of evidence for a report (content-addressed under `evidence_dir`)."""
    check(actor, "report.write")
    content_type = evidence.check_file(filename, data)  # by content; the browser's is ignored
    digest = hashlib.sha256(data).hexdigest()
    with writing(db) as s:
        report = get_or_404(s, ProgressReport, report_id, "进展报告 report")
        task = _task(s, actor, report.task_id, "report.write")
        target = evidence.stored_path(evidence_dir, digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(target)
        att = Attachment(
            report_id=report.id,
            filename=Path(filename).name[:300] or "file",
            content_type=content_type,
            size=len(data),
            sha256=digest,
            uploaded_by=actor.user_id,
        )
        record_added(s, actor, att, "attachment.add", "attachment", plan_id=task.plan_id)
        return AttachmentView.model_validate(att)


def list_attachments(db: Database, actor: Actor, report_id: int) -> list[AttachmentView]:
    """The evidence files of a report."""
    check(actor, "report.read")
    with reading(db) as s:
        report = get_or_404(s, ProgressReport, report_id, "进展报告 report")
        _task(s, actor, report.task_id, "report.read")
        rows = s.scalars(select(Attachment).where(Attachment.report_id == report_id))
        return [AttachmentView.model_validate(a) for a in rows]
