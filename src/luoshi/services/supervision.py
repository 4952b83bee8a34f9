"""Supervision (督查督办): milestones, report review, the board, reminders (督办单), the inbox.

Every task (a measure given to a department) gets one signal from `SIGNALS`, decided by
`judge` from plain facts (deadline, milestones, reports) and the clock's today, with the
thresholds of `Rules` (settings STALL_DAYS, AT_RISK_DAYS, AT_RISK_GAP). The board groups the
signals by key area (the 重点任务 heading above the measure), by department or by deadline
quarter. A department reporter sees only its own department's tasks, reminders and board rows;
supervisors and planners see all.

A progress report moves draft → submitted → accepted or returned (→ submitted again); one
function, `update_report`, makes every move after the report is written (`review_report` and
the API's PATCH go through it). Each change, its audit event and the inbox messages it causes
(a submission to those who review reports, a review to the author; likewise for reminders)
are written in one transaction; then the messages are e-mailed when a mailer is configured.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.errors import Invalid, NotFound
from luoshi.services import clock, evidence, plans
from luoshi.services.audit import record, record_added, snapshot
from luoshi.services.dashboard import node_label
from luoshi.services.mailer import Mailer
from luoshi.services.permissions import (
    Actor,
    check,
    role_allows,
    scope_to_department,
)
from luoshi.services.transactions import (
    check_version,
    get_or_404,
    read_page,
    reading,
    where_given,
    writing,
)
from luoshi.services.views import AttachmentView, NodeView, Page, ReportView, View
from luoshi.settings import Settings, get_settings
from luoshi.storage import Database
from luoshi.storage.models import (
    Attachment,
    AuditEvent,
    Department,
    ProgressReport,
    TaskAssignment,
    User,
)
from luoshi.storage.supervision_models import (
    InboxMessage,
    Milestone,
    NotificationAddress,
    Reminder,
)

# ── rules ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Signal:
    """One state a task can be in on the board."""

    code: str
    warning: str  # red | yellow | green (预警)
    zh: str
    en: str
    rule: str


# Checked in this order; the first that applies is the task's signal (docs/supervision.md).
SIGNALS: tuple[Signal, ...] = (
    Signal("done", "green", "已完成", "Done", "任务已办结,或完成100%的进展报告已通过审核"),
    Signal("overdue", "red", "逾期", "Overdue", "已过完成时限或某个阶段节点的时限,仍未完成"),
    Signal("stalled", "yellow", "停滞", "Stalled", "超过 STALL_DAYS 天没有提交进展报告"),
    Signal(
        "at_risk",
        "yellow",
        "有风险",
        "At risk",
        "距时限不足 AT_RISK_DAYS 天且未完成,或完成比例落后时间进度超过 AT_RISK_GAP",
    ),
    Signal("on_track", "green", "正常推进", "On track", "以上都不符合"),
)
BY_SIGNAL = {s.code: s for s in SIGNALS}
WARNING_RANK = {"red": 0, "yellow": 1, "green": 2}
GROUPINGS = ("area", "department", "deadline")
REVIEW_DECISIONS = {"accept": "accepted", "return": "returned"}


@dataclass(frozen=True)
class Rules:
    """Thresholds of the supervision rules (from the settings of the same names)."""

    stall_days: int = 45
    at_risk_days: int = 30
    at_risk_gap: float = 0.25
    report_grace_days: int = 15

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Rules:
        """The thresholds the settings give (the process settings by default)."""
        s = settings or get_settings()
        return cls(s.stall_days, s.at_risk_days, s.at_risk_gap, s.report_grace_days)


@dataclass(frozen=True)
class TaskFacts:
    """What the rules look at for one task."""

    status: str
    due_date: date | None
    assigned_on: date
    milestones: tuple[tuple[str, date, date | None], ...] = ()  # title, due, done on
    last_report_on: date | None = None  # last submission
    percent: float | None = None  # of the latest submitted or accepted report
    accepted_full: bool = False  # a 100% report was accepted


class Reason(View):
    """Why a task has its signal, in both interface languages."""

    zh: str
    en: str


def judge(facts: TaskFacts, today: date, rules: Rules) -> tuple[str, list[Reason]]:
    """The task's signal code and every reason that applies, most serious first."""
    if facts.status in ("done", "closed") or facts.accepted_full:
        return "done", []
    found: dict[str, list[Reason]] = defaultdict(list)

    def add(code: str, zh: str, en: str) -> None:
        found[code].append(Reason(zh=zh, en=en))

    if facts.due_date and today > facts.due_date:
        days = (today - facts.due_date).days
        add(
            "overdue",
            f"已超过完成时限 {days} 天",
            f"{days} day{'s' * (days != 1)} past the deadline",
        )
    for title, due, done_on in facts.milestones:
        if done_on is None and today > due:
            add(
                "overdue",
                f"阶段节点“{title}”已过期({due})",
                f"milestone “{title}” past due ({due})",
            )
    since = facts.last_report_on or facts.assigned_on
    quiet = (today - since).days
    if quiet > rules.stall_days:
        add("stalled", f"{quiet} 天没有提交进展报告", f"no report for {quiet} days")
    percent = facts.percent or 0.0
    if facts.due_date and 0 <= (facts.due_date - today).days <= rules.at_risk_days:
        left = (facts.due_date - today).days
        add(
            "at_risk",
            f"距完成时限 {left} 天,完成 {percent:g}%",
            f"due in {left} day{'s' * (left != 1)}, {percent:g}% done",
        )
    if facts.due_date and facts.due_date > facts.assigned_on:
        share = (today - facts.assigned_on).days / (facts.due_date - facts.assigned_on).days
        if 0 < share <= 1 and share - percent / 100 > rules.at_risk_gap:
            add(
                "at_risk",
                f"时间进度 {share:.0%},完成 {percent:g}%",
                f"{share:.0%} of the time used, {percent:g}% done",
            )
    code = next((s.code for s in SIGNALS if s.code in found), "on_track")
    return code, [reason for s in SIGNALS for reason in found.get(s.code, [])]


# ── views ─────────────────────────────────────────────────────────────────────────────


class MilestoneView(View):
    id: int
    task_id: int
    title: str
    due_date: date
    done_on: date | None
    version: int


class BoardRow(View):
    """One task on the board."""

    task_id: int
    plan_id: int
    node_path: str
    measure: str
    area: str
    department_id: int
    department: str
    role: str
    due_date: date | None
    signal: str
    warning: str
    reasons: list[Reason]
    percent: float | None
    last_report_on: date | None
    open_reminders: int


class BoardGroup(View):
    """The tasks of one key area, department or deadline quarter."""

    key: str
    warning: str
    counts: dict[str, int]
    rows: list[BoardRow]


class Board(View):
    plan_id: int
    today: date
    by: str
    counts: dict[str, int]
    groups: list[BoardGroup]


class ReminderView(View):
    id: int
    plan_id: int
    task_id: int
    department_id: int
    title: str
    text: str
    reply_by: date | None
    status: str
    reply: str
    issued_by: int | None
    issued_at: Any
    closed_at: Any
    close_note: str
    version: int


class MessageView(View):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: Any
    read_at: Any
    email_status: str


# ── milestones ────────────────────────────────────────────────────────────────────────


def _task(s: Session, actor: Actor, task_id: int, action: str) -> TaskAssignment:
    task = get_or_404(s, TaskAssignment, task_id, "任务 task")
    check(actor, action, task.department_id)
    return task


def add_milestone(
    db: Database, actor: Actor, task_id: int, title: str, due_date: date
) -> MilestoneView:
    """Add a dated step (阶段节点) to a task."""
    check(actor, "milestone.edit")
    title = title.strip()
    if not title:
        raise Invalid("阶段节点需要名称 a milestone needs a title")
    with writing(db) as s:
        task = _task(s, actor, task_id, "milestone.edit")
        if task.due_date and due_date > task.due_date:
            raise Invalid(
                f"阶段节点时限 {due_date} 晚于任务完成时限 {task.due_date} "
                "a milestone cannot be due after its task"
            )
        row = Milestone(task_id=task.id, title=title[:300], due_date=due_date)
        record_added(s, actor, row, "milestone.add", "milestone", plan_id=task.plan_id)
        return MilestoneView.model_validate(row)


def list_milestones(db: Database, actor: Actor, task_id: int) -> list[MilestoneView]:
    """A task's milestones by date (reporters: only their department's tasks)."""
    check(actor, "task.read")
    with reading(db) as s:
        _task(s, actor, task_id, "task.read")
        rows = s.scalars(
            select(Milestone).where(Milestone.task_id == task_id).order_by(Milestone.due_date)
        )
        return [MilestoneView.model_validate(m) for m in rows]


def complete_milestone(
    db: Database, actor: Actor, milestone_id: int, expected_version: int | None, done: bool = True
) -> MilestoneView:
    """Mark a milestone done today (or not done again)."""
    check(actor, "milestone.complete")
    with writing(db) as s:
        row = get_or_404(s, Milestone, milestone_id, "阶段节点 milestone")
        task = _task(s, actor, row.task_id, "milestone.complete")
        check_version(row, expected_version, "阶段节点 milestone")
        before = snapshot(row)
        row.done_on = clock.today() if done else None
        s.flush()
        record(
            s,
            actor,
            "milestone.done" if done else "milestone.reopen",
            "milestone",
            row.id,
            before=before,
            after=snapshot(row),
            plan_id=task.plan_id,
        )
        return MilestoneView.model_validate(row)


# ── the board ─────────────────────────────────────────────────────────────────────────


@dataclass
class PlanData:
    """Everything the board and the scorecards read of one plan, fetched once."""

    tasks: list[TaskAssignment]
    departments: dict[int, str]
    milestones: dict[int, list[Milestone]] = field(default_factory=dict)
    reports: dict[int, list[ProgressReport]] = field(default_factory=dict)
    assigned: dict[int, date] = field(default_factory=dict)
    reminders: Counter[int] = field(default_factory=Counter)


def plan_data(db: Database, actor: Actor, plan_id: int, action: str) -> PlanData:
    """The tasks of a plan the actor may see, with their milestones, reports and reminders."""
    check(actor, action)
    plans.get_plan(db, actor, plan_id)
    query = scope_to_department(
        select(TaskAssignment).where(TaskAssignment.plan_id == plan_id),
        actor,
        action,
        TaskAssignment.department_id,
    )
    c = clock.clock()
    with reading(db) as s:
        rows = list(s.scalars(query.order_by(TaskAssignment.id)))
        ids = [t.id for t in rows]
        data = PlanData(rows, {d.id: d.name for d in s.scalars(select(Department))})
        for m in s.scalars(select(Milestone).where(Milestone.task_id.in_(ids))):
            data.milestones.setdefault(m.task_id, []).append(m)
        reports = select(ProgressReport).where(ProgressReport.task_id.in_(ids))
        for r in s.scalars(reports.order_by(ProgressReport.id)):
            data.reports.setdefault(r.task_id, []).append(r)
        assigned = (
            select(AuditEvent.entity_id, func.min(AuditEvent.at))
            .where(AuditEvent.action == "task.assign", AuditEvent.plan_id == plan_id)
            .group_by(AuditEvent.entity_id)
        )
        data.assigned = {int(i): c.local_date(at) for i, at in s.execute(assigned) if i}
        open_reminders = (
            select(Reminder.task_id, func.count())
            .where(Reminder.plan_id == plan_id, Reminder.status != "closed")
            .group_by(Reminder.task_id)
        )
        data.reminders.update({task_id: n for task_id, n in s.execute(open_reminders)})
        s.expunge_all()
    return data


def task_facts(data: PlanData, task: TaskAssignment, today: date) -> TaskFacts:
    """What the rules look at for one task of `data`."""
    c = clock.clock()
    submitted = [r for r in data.reports.get(task.id, []) if r.status in ("submitted", "accepted")]
    last = max((r.submitted_at for r in submitted if r.submitted_at), default=None)
    latest = max(submitted, key=lambda r: (r.submitted_at is not None, r.id), default=None)
    return TaskFacts(
        status=task.status,
        due_date=task.due_date,
        assigned_on=data.assigned.get(task.id, today),
        milestones=tuple(
            (m.title, m.due_date, m.done_on) for m in data.milestones.get(task.id, [])
        ),
        last_report_on=c.local_date(last) if last else None,
        percent=latest.percent if latest else None,
        accepted_full=any(
            r.status == "accepted" and (r.percent or 0) >= 100
            for r in data.reports.get(task.id, [])
        ),
    )


def _areas(db: Database, actor: Actor, plan_id: int) -> dict[str, tuple[str, str]]:
    """node path → (measure label, key area: the nearest titled heading above it)."""
    nodes = plans.outline(db, actor, plan_id).items
    by_id: dict[int, NodeView] = {n.id: n for n in nodes}
    out: dict[str, tuple[str, str]] = {}
    for node in nodes:
        parent = by_id.get(node.parent_id or -1)
        while parent is not None and not parent.title:
            parent = by_id.get(parent.parent_id or -1)
        area = node_label(parent) if parent else "—"
        out[node.path] = (node_label(node), area)
    return out


def signals(db: Database, actor: Actor, plan_id: int) -> dict[int, str]:
    """Each task's board signal by task id (what `board` shows, without its groups)."""
    data = plan_data(db, actor, plan_id, "board.read")
    rules = Rules.from_settings()
    today = clock.today()
    return {t.id: judge(task_facts(data, t, today), today, rules)[0] for t in data.tasks}


def deadline_bucket(due: date | None) -> str:
    """The deadline group of a task: its quarter, e.g. 2026年第4季度."""
    if due is None:
        return "未定时限 no deadline"
    return f"{due.year}年第{(due.month - 1) // 3 + 1}季度 {due.year}-Q{(due.month - 1) // 3 + 1}"


def board(
    db: Database,
    actor: Actor,
    plan_id: int,
    *,
    by: str = "area",
    rules: Rules | None = None,
    signal: str | None = None,
    department_id: int | None = None,
) -> Board:
    """The red/yellow/green board of a plan's tasks, grouped by key area, department or deadline."""
    if by not in GROUPINGS:
        raise Invalid(f"未知分组 unknown grouping: {by}(可选 {', '.join(GROUPINGS)})")
    if signal is not None and signal not in BY_SIGNAL:
        raise Invalid(f"未知状态 unknown signal: {signal}")
    rules = rules or Rules.from_settings()
    data = plan_data(db, actor, plan_id, "board.read")
    labels = _areas(db, actor, plan_id)
    today = clock.today()
    rows: list[BoardRow] = []
    for task in data.tasks:
        if department_id is not None and task.department_id != department_id:
            continue
        facts = task_facts(data, task, today)
        code, reasons = judge(facts, today, rules)
        if signal is not None and code != signal:
            continue
        measure, area = labels.get(task.node_path, (task.node_path, "—"))
        rows.append(
            BoardRow(
                task_id=task.id,
                plan_id=plan_id,
                node_path=task.node_path,
                measure=measure,
                area=area,
                department_id=task.department_id,
                department=data.departments.get(task.department_id, ""),
                role=task.role,
                due_date=task.due_date,
                signal=code,
                warning=BY_SIGNAL[code].warning,
                reasons=reasons,
                percent=facts.percent,
                last_report_on=facts.last_report_on,
                open_reminders=data.reminders.get(task.id, 0),
            )
        )
    key = {
        "area": lambda r: r.area,
        "department": lambda r: r.department,
        "deadline": lambda r: deadline_bucket(r.due_date),
    }[by]
    grouped: dict[str, list[BoardRow]] = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    groups = [
        BoardGroup(
            key=k,
            warning=min((r.warning for r in members), key=WARNING_RANK.__getitem__),
            counts=_counts(members),
            rows=sorted(
                members,
                key=lambda r: (WARNING_RANK[r.warning], r.due_date or date.max, r.role != "lead"),
            ),
        )
        for k, members in grouped.items()
    ]
    if by == "deadline":
        groups.sort(key=lambda g: (g.key.startswith("未定"), g.key))
    else:
        groups.sort(key=lambda g: (WARNING_RANK[g.warning], -len(g.rows)))
    return Board(plan_id=plan_id, today=today, by=by, counts=_counts(rows), groups=groups)


def _counts(rows: Iterable[BoardRow]) -> dict[str, int]:
    found = Counter(r.signal for r in rows)
    return {s.code: found.get(s.code, 0) for s in SIGNALS}


# ── progress reports: writing, submission, review ─────────────────────────────────────

# report status → statuses it may move to, and the action that allows the move
REPORT_FLOW: dict[tuple[str, str], str] = {
    ("draft", "submitted"): "report.write",
    ("returned", "submitted"): "report.write",
    ("submitted", "accepted"): "report.review",
    ("submitted", "returned"): "report.review",
}
RETURN_NEEDS_A_COMMENT = "退回时请写明原因 say why the report is returned"


def write_report(
    db: Database,
    actor: Actor,
    task_id: int,
    period: str,
    text: str,
    *,
    percent: float | None = None,
    submit: bool = False,
    file: tuple[str, bytes] | None = None,
    evidence_dir: Path | None = None,
    mailer: Mailer | None = None,
) -> ReportView:
    """A department's progress report on its task: a draft, or submitted (reviewers are told).

    `file` is (name, bytes), kept under `evidence_dir`. Report, file and messages are stored
    together: a file that is refused stores nothing.
    """
    check(actor, "report.write")
    _check_percent(percent)
    if file is not None and evidence_dir is None:
        raise ValueError("a report's file needs the evidence folder (evidence_dir)")
    content_type = evidence.check_file(*file) if file is not None else ""
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
        if file is not None and evidence_dir is not None:
            _store_evidence(s, actor, report, task, content_type, *file, evidence_dir)
        ids = _tell(s, actor, report, task) if submit else []
        view = ReportView.model_validate(report)
    deliver(db, mailer, ids)
    return view


def submit_report(
    db: Database,
    actor: Actor,
    task_id: int,
    period: str,
    text: str,
    *,
    percent: float | None = None,
    file: tuple[str, bytes] | None = None,
    evidence_dir: Path,
    mailer: Mailer | None = None,
) -> ReportView:
    """`write_report`, submitted at once with an optional evidence file; reviewers are told."""
    return write_report(
        db,
        actor,
        task_id,
        period,
        text,
        percent=percent,
        submit=True,
        file=file,
        evidence_dir=evidence_dir,
        mailer=mailer,
    )


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
    mailer: Mailer | None = None,
) -> ReportView:
    """Edit or submit (reviewers are told), accept or return (the author is told) a report.

    Every move of a report's status goes through here (`REPORT_FLOW` says who may make it);
    returning needs a review note.
    """
    _check_percent(percent)
    with writing(db) as s:
        report = get_or_404(s, ProgressReport, report_id, "进展报告 report")
        task = s.get(TaskAssignment, report.task_id)
        assert task is not None
        target = status if status != report.status else None  # the status it moves to
        action = "report.write"
        if target is not None:
            action = REPORT_FLOW.get((report.status, target), "")
            if not action:
                raise Invalid(f"不能从 {report.status} 改为 {target} invalid status change")
        check(actor, action, task.department_id)
        check_version(report, expected_version, "进展报告 report")
        if action == "report.write" and report.status not in ("draft", "returned"):
            raise Invalid("已提交的报告不能修改 a submitted report cannot be edited")
        note = (review_note or "").strip()
        if target == "returned" and not note:
            raise Invalid(RETURN_NEEDS_A_COMMENT)
        before = snapshot(report)
        if text is not None:
            report.text = text
        if percent is not None:
            report.percent = percent
        if review_note is not None and action == "report.review":
            report.review_note = note
        if target is not None:
            report.status = target
            if target == "submitted":
                report.submitted_at = clock.now()
            else:
                report.reviewer_id = actor.user_id
        s.flush()
        record(
            s,
            actor,
            f"report.{target or 'update'}",
            "report",
            report.id,
            before=before,
            after=snapshot(report),
            plan_id=task.plan_id,
        )
        ids = _tell(s, actor, report, task, note) if target is not None else []
        view = ReportView.model_validate(report)
    deliver(db, mailer, ids)
    return view


def review_report(
    db: Database,
    actor: Actor,
    report_id: int,
    expected_version: int | None,
    decision: str,
    comment: str = "",
    mailer: Mailer | None = None,
) -> ReportView:
    """Accept or return (with a comment) a submitted report; its author is told.

    The same change as `update_report` with status accepted or returned.
    """
    check(actor, "report.review")
    if decision not in REVIEW_DECISIONS:
        raise Invalid(f"未知审核结论 unknown decision: {decision}(accept | return)")
    return update_report(
        db,
        actor,
        report_id,
        expected_version,
        status=REVIEW_DECISIONS[decision],
        review_note=comment,
        mailer=mailer,
    )


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
    with writing(db) as s:
        report = get_or_404(s, ProgressReport, report_id, "进展报告 report")
        task = _task(s, actor, report.task_id, "report.write")
        row = _store_evidence(s, actor, report, task, content_type, filename, data, evidence_dir)
        return AttachmentView.model_validate(row)


def _check_percent(percent: float | None) -> None:
    if percent is not None and not 0 <= percent <= 100:
        raise Invalid("完成比例应在0到100之间 percent must be within 0–100")


def _store_evidence(
    s: Session,
    actor: Actor,
    report: ProgressReport,
    task: TaskAssignment,
    content_type: str,
    filename: str,
    data: bytes,
    evidence_dir: Path,
) -> Attachment:
    """Keep a checked file under its digest and record it on the report (caller's transaction).

    A file written for a transaction that then fails stays unreferenced; being stored by
    content, it is the same file when it comes again.
    """
    digest = hashlib.sha256(data).hexdigest()
    target = evidence.stored_path(evidence_dir, digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    row = Attachment(
        report_id=report.id,
        filename=Path(filename).name[:300] or "file",
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by=actor.user_id,
    )
    record_added(s, actor, row, "attachment.add", "attachment", plan_id=task.plan_id)
    return row


def _tell(
    s: Session, actor: Actor, report: ProgressReport, task: TaskAssignment, note: str = ""
) -> list[int]:
    """Inbox messages on a report's new status, in the caller's transaction: a submission goes
    to those who review reports (but the submitter), a review to the report's author."""
    link = f"/plans/{task.plan_id}/supervision/tasks/{task.id}#report-{report.id}"
    if report.status == "submitted":
        department = s.get(Department, task.department_id)
        reviewers = [
            u.id
            for u in s.scalars(select(User).where(User.active.is_(True)))
            if role_allows(u.role, "report.review") and u.id != actor.user_id
        ]
        return _notify(
            s,
            reviewers,
            "report.submitted",
            f"待审核的进展报告 report to review:{department.name if department else ''} "
            f"{report.period}",
            report.text[:200],
            link,
        )
    word = "已通过审核 accepted" if report.status == "accepted" else "被退回 returned"
    return _notify(
        s,
        [report.author_id] if report.author_id is not None else [],
        f"report.{report.status}",
        f"进展报告{word}:{report.period}",
        note,
        link,
    )


# ── reminders (督办单) ────────────────────────────────────────────────────────────────


def issue_reminder(
    db: Database,
    actor: Actor,
    task_id: int,
    title: str,
    text: str = "",
    reply_by: date | None = None,
    mailer: Mailer | None = None,
) -> ReminderView:
    """Issue a reminder (督办单) on a task to its department; its people are told."""
    check(actor, "reminder.issue")
    if not title.strip():
        raise Invalid("督办单需要标题 a reminder needs a title")
    if reply_by is not None and reply_by < clock.today():
        raise Invalid(f"答复期限 {reply_by} 已过 the reply date is in the past")
    with writing(db) as s:
        task = _task(s, actor, task_id, "reminder.issue")
        row = Reminder(
            plan_id=task.plan_id,
            task_id=task.id,
            department_id=task.department_id,
            title=title.strip()[:300],
            text=text.strip(),
            reply_by=reply_by,
            issued_by=actor.user_id,
            issued_at=clock.now(),
        )
        record_added(s, actor, row, "reminder.issue", "reminder", plan_id=task.plan_id)
        ids = _notify(
            s,
            _department_users(s, task.department_id),
            "reminder.issued",
            f"督办单 reminder:{row.title}",
            row.text + (f"\n答复期限 reply by {reply_by}" if reply_by else ""),
            f"/plans/{task.plan_id}/supervision/reminders",
        )
        view = ReminderView.model_validate(row)
    deliver(db, mailer, ids)
    return view


def reply_reminder(
    db: Database,
    actor: Actor,
    reminder_id: int,
    expected_version: int | None,
    reply: str,
    mailer: Mailer | None = None,
) -> ReminderView:
    """The department answers a reminder; the supervisor who issued it is told."""
    check(actor, "reminder.reply")
    if not reply.strip():
        raise Invalid("答复不能为空 the reply is empty")
    return _change_reminder(
        db, actor, reminder_id, expected_version, "reminder.reply", "answered", reply, mailer
    )


def close_reminder(
    db: Database,
    actor: Actor,
    reminder_id: int,
    expected_version: int | None,
    note: str = "",
    mailer: Mailer | None = None,
) -> ReminderView:
    """Close (办结) a reminder; the department is told."""
    check(actor, "reminder.issue")
    return _change_reminder(
        db, actor, reminder_id, expected_version, "reminder.issue", "closed", note, mailer
    )


def _change_reminder(
    db: Database,
    actor: Actor,
    reminder_id: int,
    expected_version: int | None,
    action: str,
    status: str,
    text: str,
    mailer: Mailer | None,
) -> ReminderView:
    with writing(db) as s:
        row = get_or_404(s, Reminder, reminder_id, "督办单 reminder")
        check(actor, action, row.department_id)
        check_version(row, expected_version, "督办单 reminder")
        if row.status == "closed":
            raise Invalid("督办单已办结 the reminder is closed")
        before = snapshot(row)
        row.status = status
        if status == "closed":
            row.closed_at, row.close_note = clock.now(), text.strip()
            to, kind, subject = _department_users(s, row.department_id), "reminder.closed", "已办结"
        else:
            row.reply = text.strip()
            to, kind, subject = (
                [row.issued_by] if row.issued_by else [],
                "reminder.answered",
                "已答复",
            )
        s.flush()
        record(
            s,
            actor,
            f"reminder.{status}",
            "reminder",
            row.id,
            before=before,
            after=snapshot(row),
            plan_id=row.plan_id,
        )
        ids = _notify(
            s,
            to,
            kind,
            f"督办单{subject}:{row.title}",
            text.strip(),
            f"/plans/{row.plan_id}/supervision/reminders",
        )
        view = ReminderView.model_validate(row)
    deliver(db, mailer, ids)
    return view


def list_reminders(
    db: Database,
    actor: Actor,
    *,
    plan_id: int | None = None,
    task_id: int | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[ReminderView]:
    """Reminders, newest first; a reporter sees only those to its department."""
    check(actor, "reminder.read")
    query = where_given(
        scope_to_department(select(Reminder), actor, "reminder.read", Reminder.department_id),
        (Reminder.plan_id, plan_id),
        (Reminder.task_id, task_id),
        (Reminder.status, status),
    )
    return read_page(db, query, Reminder.id.desc(), ReminderView, limit, offset)


def get_reminder(db: Database, actor: Actor, reminder_id: int) -> ReminderView:
    """One reminder (reporters: only those to their department)."""
    check(actor, "reminder.read")
    with reading(db) as s:
        row = get_or_404(s, Reminder, reminder_id, "督办单 reminder")
        check(actor, "reminder.read", row.department_id)
        return ReminderView.model_validate(row)


# ── inbox ─────────────────────────────────────────────────────────────────────────────


def _department_users(s: Session, department_id: int) -> list[int]:
    rows = s.scalars(
        select(User.id).where(User.department_id == department_id, User.active.is_(True))
    )
    return list(rows)


def _notify(
    s: Session, user_ids: Sequence[int], kind: str, subject: str, body: str, link: str
) -> list[int]:
    """Put one message in each user's inbox (in the caller's transaction); their ids."""
    rows = [
        InboxMessage(
            user_id=uid,
            kind=kind,
            subject=subject[:300],
            body=body,
            link=link,
            created_at=clock.now(),
        )
        for uid in dict.fromkeys(user_ids)
    ]
    s.add_all(rows)
    s.flush()
    return [r.id for r in rows]


def deliver(db: Database, mailer: Mailer | None, message_ids: Sequence[int]) -> int:
    """E-mail the given inbox messages to users who gave an address; how many were sent.

    Runs after the change is committed: a mail server that is down never undoes a change, it
    only marks the message `failed` (with the error) and the inbox still has it.
    """
    if mailer is None or not message_ids:
        return 0
    with reading(db) as s:
        pending = s.execute(
            select(InboxMessage.id, InboxMessage.subject, InboxMessage.body, InboxMessage.link)
            .add_columns(NotificationAddress.email)
            .join(NotificationAddress, NotificationAddress.user_id == InboxMessage.user_id)
            .where(InboxMessage.id.in_(message_ids))
        ).all()
    outcomes: dict[int, tuple[str, str]] = {}
    for message_id, subject, body, link, email in pending:
        try:
            mailer.send(email, subject, f"{body}\n\n{link}".strip())
            outcomes[message_id] = ("sent", "")
        except OSError as exc:  # smtplib errors are OSErrors
            outcomes[message_id] = ("failed", str(exc)[:500])
    if outcomes:
        with writing(db) as s:
            for message_id, (status, error) in outcomes.items():
                row = s.get(InboxMessage, message_id)
                if row is not None:
                    row.email_status, row.email_error = status, error
    return sum(1 for status, _ in outcomes.values() if status == "sent")


def inbox(
    db: Database, actor: Actor, *, unread: bool = False, limit: int = 50, offset: int = 0
) -> Page[MessageView]:
    """The signed-in user's messages, newest first."""
    check(actor, "inbox.read")
    query = select(InboxMessage).where(InboxMessage.user_id == actor.user_id)
    if unread:
        query = query.where(InboxMessage.read_at.is_(None))
    return read_page(db, query, InboxMessage.id.desc(), MessageView, limit, offset)


def mark_read(db: Database, actor: Actor, message_id: int) -> MessageView:
    """Mark one of one's own messages read."""
    check(actor, "inbox.read")
    with writing(db) as s:
        row = get_or_404(s, InboxMessage, message_id, "消息 message")
        if row.user_id != actor.user_id:  # others' messages are not even said to exist
            raise NotFound(f"消息 message {message_id} 不存在 not found")
        if row.read_at is None:
            row.read_at = clock.now()
        return MessageView.model_validate(row)


def set_email(db: Database, actor: Actor, email: str | None) -> str | None:
    """Set (or, with None or "", remove) the address one's inbox messages are e-mailed to."""
    check(actor, "inbox.read")
    if actor.user_id is None:
        raise Invalid("系统账号没有收件箱 the system account has no inbox")
    email = (email or "").strip()
    if email and (
        email.count("@") != 1 or len(email) > 254 or any(c in email for c in " \r\n<>,;")
    ):
        raise Invalid(f"电子邮件地址无效 not an e-mail address: {email}")
    with writing(db) as s:
        row = s.get(NotificationAddress, actor.user_id)
        before = {"email": row.email if row else None}
        if row is not None and not email:
            s.delete(row)
        elif row is not None:
            row.email = email
        elif email:
            s.add(NotificationAddress(user_id=actor.user_id, email=email))
        record(
            s,
            actor,
            "inbox.email",
            "user",
            actor.user_id,
            before=before,
            after={"email": email or None},
        )
    return email or None


def get_email(db: Database, actor: Actor) -> str | None:
    """The address one's messages are e-mailed to, if any."""
    check(actor, "inbox.read")
    with reading(db) as s:
        row = s.get(NotificationAddress, actor.user_id) if actor.user_id else None
        return row.email if row else None
