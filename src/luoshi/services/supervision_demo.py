"""Illustrative supervision data for the demo (`make run`), so the board is not empty.

Dates are set relative to the clock's today, so whenever the demo is loaded it shows one
measure of each kind: overdue (with a reminder), at risk, on track, done, a returned report,
and deadlines spread over the coming quarters. Everything goes through the services.
"""

from __future__ import annotations

from datetime import timedelta

from luoshi.services import catalog, clock, supervision, tasks
from luoshi.services.permissions import SYSTEM
from luoshi.storage import Database

# (days from today to the deadline, percent reported, what happens to the report)
EXAMPLES: tuple[tuple[int, float | None, str], ...] = (
    (-20, 60, "submitted"),  # overdue
    (20, 50, "submitted"),  # at risk: due soon, half done
    (200, 40, "accepted"),  # on track
    (10, 100, "accepted"),  # done before its deadline
    (150, 30, "returned"),  # returned for more evidence
)
# Deadlines of the other lead tasks, in days from today, taken in turn.
SPREAD = (90, 180, 270, 365)


def add_examples(db: Database, plan_id: int, departments: tuple[str, ...]) -> int:
    """Deadlines for every allocated measure, and reports, milestones and a reminder on a few."""
    today = clock.today()
    period = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    ids = {d.name: d.id for d in catalog.list_departments(db, SYSTEM)}
    wanted = [ids[name] for name in departments if name in ids]
    given = tasks.list_tasks(db, SYSTEM, plan_id=plan_id, limit=10_000).items
    leads = [t for t in given if t.role == "lead"]
    leads.sort(key=lambda t: (t.department_id not in wanted, t.id))
    dated: set[int] = set()
    for i, task in enumerate(leads):
        if i < len(EXAMPLES):
            days, percent, outcome = EXAMPLES[i]
        else:
            days, percent, outcome = SPREAD[i % len(SPREAD)], None, ""
        due = today + timedelta(days=days)
        for same in given:  # the measure's lead and cooperating tasks
            if same.node_path == task.node_path and same.id not in dated:
                tasks.update_task(db, SYSTEM, same.id, same.version, due_date=due)
                dated.add(same.id)
        if i == 0:
            step = supervision.add_milestone(
                db, SYSTEM, task.id, "完成实施方案编制", today - timedelta(days=60)
            )
            supervision.complete_milestone(db, SYSTEM, step.id, step.version)
            supervision.add_milestone(
                db, SYSTEM, task.id, "主体工程开工", today - timedelta(days=30)
            )
            supervision.issue_reminder(
                db,
                SYSTEM,
                task.id,
                "请说明逾期原因并报送整改计划",
                "该举措已超过完成时限,请于一周内书面答复。",
                today + timedelta(days=7),
            )
        if not outcome:
            continue
        report = supervision.write_report(
            db,
            SYSTEM,
            task.id,
            period,
            f"按计划推进,已完成年度任务的{percent:g}%。(示例数据)",
            percent=percent,
            submit=True,
        )
        if outcome in ("accepted", "returned"):
            comment = "请补充项目批复和现场照片" if outcome == "returned" else "同意"
            decision = "return" if outcome == "returned" else "accept"
            supervision.review_report(db, SYSTEM, report.id, report.version, decision, comment)
    return len(leads)
