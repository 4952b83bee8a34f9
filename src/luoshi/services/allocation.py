"""Allocation (任务分工) in the product: suggestions for a plan's measures, confirmation, the table.

For every measure of a plan, luoshi.matching's suggester proposes lead and cooperating units
with the reason. A planner confirms or corrects them with a deadline; that creates or changes
the measure's task assignments and stores the decision (`AllocationDecision`), which the
suggester reads back as its feedback memory, so a correction for one measure improves the
suggestions for similar ones. A unit of the chosen catalog that is not yet a department of the
database becomes one when it is first given a task. The standard allocation table (序号, 重点任务,
具体举措, 牵头单位, 配合单位, 完成时限) is written by luoshi.reports.allocation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import DataError, Invalid
from luoshi.matching.assign import Ranked, Suggester
from luoshi.matching.catalog import Catalog, bundled_catalog
from luoshi.matching.feedback import FeedbackMemory
from luoshi.reports.allocation import AllocationRow, allocation_docx, allocation_xlsx
from luoshi.services import clock, plans
from luoshi.services.audit import record, record_added, snapshot
from luoshi.services.dashboard import node_label
from luoshi.services.permissions import Actor, check
from luoshi.services.tasks import change_task
from luoshi.services.transactions import reading, writing
from luoshi.services.views import View
from luoshi.storage import Database
from luoshi.storage.models import (
    Department,
    OutlineNode,
    Plan,
    PlanVersion,
    ProgressReport,
    TaskAssignment,
)
from luoshi.storage.supervision_models import (
    AllocationDecision,
)

CATALOGS = ("municipal", "national")
EXPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class UnitScore(View):
    unit: str
    score: float


class AllocationItem(View):
    """One measure: what is suggested, and what is decided (its tasks)."""

    node_path: str
    key_task: str
    measure: str
    text: str
    suggested_lead: list[UnitScore]
    suggested_cooperate: list[UnitScore]
    candidates: list[UnitScore]
    reason: str  # Chinese
    reason_en: str  # the same reason in English, shown by the English interface
    lead: list[str]  # units given the measure as lead, from its tasks
    cooperate: list[str]
    due_date: date | None
    confirmed: bool


@cache
def catalog(name: str) -> Catalog:
    """A bundled catalog by name (municipal | national)."""
    if name not in CATALOGS:
        raise Invalid(f"未知部门目录 unknown catalog: {name}(可选 {', '.join(CATALOGS)})")
    return bundled_catalog(name)


def feedback_memory(db: Database, catalog_name: str) -> FeedbackMemory:
    """The decisions people made with this catalog, oldest first, as the suggester's memory."""
    memory = FeedbackMemory()
    with reading(db) as s:
        rows = s.scalars(
            select(AllocationDecision)
            .where(AllocationDecision.catalog == catalog_name)
            .order_by(AllocationDecision.id)
        )
        for row in rows:
            try:
                memory.record(row.task, row.lead, row.cooperate)
            except DataError:  # a decision without units teaches nothing
                continue
    return memory


def _measures(db: Database, actor: Actor, plan_id: int) -> list[tuple[str, str, str, str]]:
    """(path, key task, label, text to match) of every measure, in outline order."""
    nodes = plans.outline(db, actor, plan_id).items
    by_id = {n.id: n for n in nodes}
    out = []
    for node in nodes:
        if node.kind != "measure":
            continue
        parent = by_id.get(node.parent_id or -1)
        while parent is not None and not parent.title:
            parent = by_id.get(parent.parent_id or -1)
        key_task = (parent.title or "") if parent else ""
        text = node.text.strip()
        if node.title and not text.startswith(node.title):
            text = f"{node.title}。{text}"
        out.append((node.path, key_task, node_label(node), text or node_label(node)))
    return out


def _scores(ranked: Sequence[Ranked]) -> list[UnitScore]:
    return [UnitScore(unit=r.unit, score=round(r.score, 3)) for r in ranked]


def suggestions(
    db: Database,
    actor: Actor,
    plan_id: int,
    *,
    catalog_name: str = "municipal",
    node_path: str | None = None,
) -> list[AllocationItem]:
    """Suggested and decided units for every measure of the plan (or one), in outline order."""
    check(actor, "allocation.read")
    units = catalog(catalog_name)
    measures = [m for m in _measures(db, actor, plan_id) if node_path in (None, m[0])]
    suggester = Suggester(units, feedback_memory(db, catalog_name))
    found = suggester.suggest_many([m[3] for m in measures], [m[1] for m in measures])
    with reading(db) as s:
        names = {d.id: d.name for d in s.scalars(select(Department))}
        decided = set(
            s.scalars(
                select(AllocationDecision.node_path).where(AllocationDecision.plan_id == plan_id)
            )
        )
        assigned: dict[str, list[TaskAssignment]] = {}
        for task in s.scalars(
            select(TaskAssignment)
            .where(TaskAssignment.plan_id == plan_id, TaskAssignment.status != "closed")
            .order_by(TaskAssignment.id)
        ):
            assigned.setdefault(task.node_path, []).append(task)
        s.expunge_all()
    items = []
    for (path, key_task, label, text), suggestion in zip(measures, found, strict=True):
        given = assigned.get(path, [])
        lead_tasks = [t for t in given if t.role == "lead"]
        items.append(
            AllocationItem(
                node_path=path,
                key_task=key_task,
                measure=label,
                text=text,
                suggested_lead=_scores(suggestion.lead),
                suggested_cooperate=_scores(suggestion.cooperate),
                candidates=_scores(suggestion.candidates),
                reason=suggestion.reason,
                reason_en=suggestion.reason_en,
                lead=[names.get(t.department_id, "") for t in lead_tasks],
                cooperate=[names.get(t.department_id, "") for t in given if t.role != "lead"],
                due_date=next((t.due_date for t in lead_tasks if t.due_date), None),
                confirmed=path in decided,
            )
        )
    return items


def _department(s: Session, units: Catalog, name: str, actor: Actor) -> Department:
    """The department a unit name stands for; a catalog unit new to the database is added."""
    canonical = units.resolve(name) or name.strip()
    for dept in s.scalars(select(Department)):
        if canonical in (dept.name, dept.code) or units.resolve(dept.name) == canonical:
            return dept
    if units.resolve(name) is None:
        raise Invalid(f"部门目录中没有 {name} unknown unit: {name}")
    dept = Department(code=canonical, name=canonical, short_name=None)
    record_added(s, actor, dept, "department.add", "department")
    return dept


def confirm(
    db: Database,
    actor: Actor,
    plan_id: int,
    node_path: str,
    lead: Sequence[str],
    cooperate: Sequence[str] = (),
    *,
    due_date: date | None = None,
    catalog_name: str = "municipal",
) -> AllocationItem:
    """Confirm or correct the units of one measure, with its deadline.

    Creates the measure's lead and cooperating tasks (or changes their role and deadline);
    a unit no longer named loses its task, or, when it already reported on it, the task is
    closed so its reports are kept. The decision is stored for the suggester to learn from.
    """
    check(actor, "allocation.edit")
    lead = list(dict.fromkeys(u.strip() for u in lead if u.strip()))
    cooperate = [
        u for u in dict.fromkeys(c.strip() for c in cooperate if c.strip()) if u not in lead
    ]
    if not lead:
        raise Invalid("至少需要一个牵头单位 at least one lead unit is required")
    if due_date is not None and due_date < clock.today():
        raise Invalid(f"完成时限 {due_date} 已过 the deadline is in the past")
    units = catalog(catalog_name)
    measure = next((m for m in _measures(db, actor, plan_id) if m[0] == node_path), None)
    if measure is None:
        raise Invalid(f"规划 {plan_id} 中没有举措 {node_path} no such measure")
    suggested = suggestions(db, actor, plan_id, catalog_name=catalog_name, node_path=node_path)[0]
    with writing(db) as s:
        if s.get(Plan, plan_id) is None or not s.scalar(
            select(OutlineNode.id)
            .join(PlanVersion)
            .where(PlanVersion.plan_id == plan_id, OutlineNode.path == node_path)
            .limit(1)
        ):
            raise Invalid(f"规划 {plan_id} 中没有举措 {node_path} no such measure")
        wanted = {
            _department(s, units, name, actor).id: role
            for role, names in (("lead", lead), ("cooperating", cooperate))
            for name in names
        }
        existing = {
            t.department_id: t
            for t in s.scalars(
                select(TaskAssignment).where(
                    TaskAssignment.plan_id == plan_id, TaskAssignment.node_path == node_path
                )
            )
        }
        for dept_id, role in wanted.items():
            task = existing.get(dept_id)
            if task is None:
                task = TaskAssignment(
                    plan_id=plan_id,
                    node_path=node_path,
                    department_id=dept_id,
                    role=role,
                    due_date=due_date,
                    reason=suggested.reason,
                )
                record_added(s, actor, task, "task.assign", "task", plan_id=plan_id)
                continue
            change_task(s, actor, task, role=role, due_date=due_date, status="open")
        for dept_id, task in existing.items():
            if dept_id in wanted:
                continue
            reported = s.scalar(
                select(ProgressReport.id).where(ProgressReport.task_id == task.id).limit(1)
            )
            if reported is None:
                record(
                    s, actor, "task.remove", "task", task.id, before=snapshot(task), plan_id=plan_id
                )
                s.delete(task)
            else:  # it reported: keep the task and its reports, closed
                change_task(s, actor, task, status="closed")
        names = [units.resolve(n) or n for n in lead], [units.resolve(n) or n for n in cooperate]
        corrected = names[0] != [u.unit for u in suggested.suggested_lead] or set(names[1]) != {
            u.unit for u in suggested.suggested_cooperate
        }
        decision = AllocationDecision(
            plan_id=plan_id,
            node_path=node_path,
            catalog=catalog_name,
            task=measure[3],
            lead=names[0],
            cooperate=names[1],
            corrected=corrected,
            decided_by=actor.user_id,
            decided_at=clock.now(),
        )
        record_added(
            s,
            actor,
            decision,
            "allocation.correct" if corrected else "allocation.confirm",
            "allocation",
            plan_id=plan_id,
            summary=f"{node_path} → {'、'.join(names[0])}",
        )
    return suggestions(db, actor, plan_id, catalog_name=catalog_name, node_path=node_path)[0]


def deadline_text(due: date | None) -> str:
    """A deadline as the table writes it: 2026年12月底 for a month's last day, else the date."""
    if due is None:
        return ""
    next_day = date.fromordinal(due.toordinal() + 1)
    if next_day.day == 1:
        return f"{due.year}年{due.month}月底"
    return f"{due.year}年{due.month}月{due.day}日"


def allocation_rows(
    db: Database, actor: Actor, plan_id: int, *, catalog_name: str = "municipal"
) -> list[AllocationRow]:
    """The table's rows: decided units where the measure has tasks, else the suggestion."""
    rows = []
    for number, item in enumerate(
        suggestions(db, actor, plan_id, catalog_name=catalog_name), start=1
    ):
        decided = bool(item.lead)
        rows.append(
            AllocationRow(
                number=number,
                key_task=item.key_task,
                measure=item.text,
                lead=tuple(item.lead if decided else (u.unit for u in item.suggested_lead)),
                cooperate=tuple(
                    item.cooperate if decided else (u.unit for u in item.suggested_cooperate)
                ),
                deadline=deadline_text(item.due_date),
                reason="人工确定 decided by a person" if item.confirmed else item.reason,
            )
        )
    return rows


def export_table(
    db: Database, actor: Actor, plan_id: int, fmt: str, *, catalog_name: str = "municipal"
) -> bytes:
    """The standard allocation table of the plan as .xlsx or .docx bytes."""
    if fmt not in EXPORT_FORMATS:
        raise Invalid(f"不支持的格式 unsupported format: {fmt}(可选 xlsx、docx)")
    title = f"{plans.get_plan(db, actor, plan_id).title}重点任务分工方案"
    rows = allocation_rows(db, actor, plan_id, catalog_name=catalog_name)
    return allocation_xlsx(rows, title) if fmt == "xlsx" else allocation_docx(rows, title)
