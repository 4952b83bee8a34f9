"""Task assignments (任务分工) and progress reports (进展报告) with evidence.

A department reporter sees and changes only its own department's tasks and reports; the
permission table's "department" scope says so and every function here applies it.

Writing, submitting and reviewing a report (`write_report`, `update_report`, `add_attachment`)
live in luoshi.services.supervision, which knows who is told of each step: every caller goes
through that one path.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import Invalid
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


def list_attachments(db: Database, actor: Actor, report_id: int) -> list[AttachmentView]:
    """The evidence files of a report."""
    check(actor, "report.read")
    with reading(db) as s:
        report = get_or_404(s, ProgressReport, report_id, "进展报告 report")
        _task(s, actor, report.task_id, "report.read")
        rows = s.scalars(select(Attachment).where(Attachment.report_id == report_id))
        return [AttachmentView.model_validate(a) for a in rows]
