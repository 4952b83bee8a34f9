"""Department scorecards (部门考评): how each department keeps its tasks, reports and indicators.

Per department of a plan: tasks (as lead and cooperating unit), tasks done and done on time
(a task is done on the day its 100% report was submitted, if a supervisor accepted it), tasks
overdue now; reports submitted, submitted on time (within REPORT_GRACE_DAYS after the end of
the period they report on, `PERIODS`), and returned (ever, from the audit log); indicators the
department owns (the indicator's source department names it) and their evaluation statuses.
A department reporter gets only its own card. `scorecards_xlsx` writes the cards as a sheet.
"""

from __future__ import annotations

import calendar
import io
import re
from collections import Counter
from datetime import date, timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select

from luoshi.indicators.rules import statuses
from luoshi.services import clock
from luoshi.services.dashboard import evaluation_year, indicator_rows
from luoshi.services.permissions import Actor, is_department_scoped
from luoshi.services.supervision import Rules, judge, plan_data, task_facts
from luoshi.services.transactions import reading
from luoshi.services.views import View
from luoshi.storage import Database
from luoshi.storage.models import AuditEvent, Department

# How a report's period is written, and the last day of the period it names.
PERIODS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.I), "quarter"),  # 2026-Q1
    (re.compile(r"^(\d{4})-?H([12])$", re.I), "half"),  # 2026-H1
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),  # 2026-05
    (re.compile(r"^(\d{4})$"), "year"),  # 2026
)


def period_end(period: str) -> date | None:
    """The last day of a reporting period (2026-Q1 → 2026-03-31); None when unreadable."""
    for pattern, kind in PERIODS:
        m = pattern.match(period.strip())
        if not m:
            continue
        year = int(m.group(1))
        part = int(m.group(2)) if m.lastindex and m.lastindex > 1 else 12
        month = {"quarter": part * 3, "half": part * 6, "month": part, "year": 12}[kind]
        if not 1 <= month <= 12:
            return None
        return date(year, month, calendar.monthrange(year, month)[1])
    return None


class Scorecard(View):
    """One department's figures for a plan."""

    department_id: int
    department: str
    tasks: int
    lead_tasks: int
    done: int
    done_on_time: int
    overdue: int
    reports: int
    reports_on_time: int
    returned: int
    indicators: int
    indicator_statuses: dict[str, int]


def scorecards(
    db: Database, actor: Actor, plan_id: int, *, rules: Rules | None = None
) -> list[Scorecard]:
    """The scorecard of every department with tasks or indicators in the plan (reporters: own)."""
    rules = rules or Rules.from_settings()
    data = plan_data(db, actor, plan_id, "board.read")
    today = clock.today()
    c = clock.clock()
    cards: dict[int, Counter[str]] = {}
    for task in data.tasks:
        card = cards.setdefault(task.department_id, Counter())
        card["tasks"] += 1
        card["lead_tasks"] += task.role == "lead"
        code, _ = judge(task_facts(data, task, today), today, rules)
        card["done"] += code == "done"
        card["overdue"] += code == "overdue"
        finished = [
            r.submitted_at
            for r in data.reports.get(task.id, [])
            if r.status == "accepted" and (r.percent or 0) >= 100 and r.submitted_at
        ]
        if finished and task.due_date and c.local_date(min(finished)) <= task.due_date:
            card["done_on_time"] += 1
        for report in data.reports.get(task.id, []):
            if report.submitted_at is None:
                continue
            card["reports"] += 1
            end = period_end(report.period)
            grace = timedelta(days=rules.report_grace_days)
            if end is not None and c.local_date(report.submitted_at) <= end + grace:
                card["reports_on_time"] += 1
    report_dept = {r.id: t.department_id for t in data.tasks for r in data.reports.get(t.id, [])}
    with reading(db) as s:
        returned = s.scalars(
            select(AuditEvent.entity_id).where(
                AuditEvent.action == "report.returned", AuditEvent.plan_id == plan_id
            )
        )
        for report_id in returned:
            dept = report_dept.get(int(report_id or 0))
            if dept is not None:
                cards.setdefault(dept, Counter())["returned"] += 1
        departments = list(s.scalars(select(Department)))
    owned = _indicators(db, actor, plan_id, departments)
    scoped = is_department_scoped(actor.role, "board.read")
    for dept_id in owned:
        if not scoped or dept_id == actor.department_id:
            cards.setdefault(dept_id, Counter())
    names = {d.id: d.name for d in departments}
    return sorted(
        (
            Scorecard(
                department_id=dept_id,
                department=names.get(dept_id, ""),
                tasks=card["tasks"],
                lead_tasks=card["lead_tasks"],
                done=card["done"],
                done_on_time=card["done_on_time"],
                overdue=card["overdue"],
                reports=card["reports"],
                reports_on_time=card["reports_on_time"],
                returned=card["returned"],
                indicators=sum(owned.get(dept_id, Counter()).values()),
                indicator_statuses=dict(owned.get(dept_id, Counter())),
            )
            for dept_id, card in cards.items()
        ),
        key=lambda sc: (-sc.overdue, -sc.tasks, sc.department),
    )


def _indicators(
    db: Database, actor: Actor, plan_id: int, departments: list[Department]
) -> dict[int, Counter[str]]:
    """department id → evaluation status counts of the indicators it is the source of."""
    rows = indicator_rows(db, actor, plan_id, evaluation_year(db, actor, plan_id))
    out: dict[int, Counter[str]] = {}
    for row in rows:
        source = (row.target.indicator.source_department or "").strip()
        if not source:
            continue
        for dept in departments:
            names = {dept.name, dept.short_name or dept.name, dept.name.removeprefix("市")}
            if any(n and n in source for n in names):
                out.setdefault(dept.id, Counter())[row.status] += 1
                break
    return out


HEADERS = (
    "部门 Department",
    "任务 Tasks",
    "牵头 Lead",
    "已完成 Done",
    "按时完成 Done on time",
    "逾期 Overdue",
    "报告 Reports",
    "按时报告 Reports on time",
    "被退回 Returned",
    "指标 Indicators",
)


def scorecards_xlsx(cards: list[Scorecard], title: str) -> bytes:
    """The scorecards as an .xlsx sheet, one row per department, status counts at the right."""
    codes = [s for s in statuses() if any(c.indicator_statuses.get(s) for c in cards)]
    book = Workbook()
    sheet = book.active
    sheet.title = "部门考评"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    labels = statuses()
    sheet.append([*HEADERS, *(f"{labels[c].zh} {labels[c].en}" for c in codes)])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for card in cards:
        sheet.append(
            [
                card.department,
                card.tasks,
                card.lead_tasks,
                card.done,
                card.done_on_time,
                card.overdue,
                card.reports,
                card.reports_on_time,
                card.returned,
                card.indicators,
                *(card.indicator_statuses.get(c, 0) for c in codes),
            ]
        )
    sheet.column_dimensions["A"].width = 24
    sheet.freeze_panes = "B3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
