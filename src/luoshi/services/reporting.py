"""Evaluation reports of a plan in the database: gather, compose, render, keep edits and history.

The indicator part comes from the plan's indicator table and observations (the same engine as
`luoshi evaluate`); the key-task part from its lead task assignments and their latest progress
reports. Planner-edited narrative sections (table report_narratives, one row per plan, kind
and year, with a version for optimistic locking) and every generated file with its bytes (table
evaluation_reports) are kept in the database, so any web worker serves them; each save or
generation is written to the audit log in the same transaction.

Task states, as of the end of the report year (or today, if earlier), by the supervision
board's rules (supervision.judge) so that report and board agree:
  done          the board's done: the assignment is done or closed, or a 100% report accepted
  late          the board's overdue: past its due date or a milestone's, and not done
  on_track      otherwise, with a progress report submitted or accepted
  not_started   otherwise, no progress report yet
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import Conflict, Invalid, NotFound
from luoshi.reports import FORMATS, render
from luoshi.reports.compose import MAX_SECTION_CHARS, build_report
from luoshi.reports.evaluated import indicator_rows, status_table
from luoshi.reports.model import KINDS, NARRATIVE_KEYS, Report, TaskRecord, TaskState
from luoshi.services import clock, plans, supervision
from luoshi.services import indicators as indicator_service
from luoshi.services.audit import record
from luoshi.services.permissions import Actor, check
from luoshi.services.transactions import check_version, reading, writing
from luoshi.storage import Database
from luoshi.storage.models import (
    EvaluationReport,
    ReportNarrative,
)

MAX_AREAS = 12  # key areas are the deepest outline level with at most this many task groups
REASON_CHARS = 80  # a late task's reason: the start of its latest progress report
ON_TRACK_REPORTS = ("submitted", "accepted")


@dataclass(frozen=True)
class SavedReport:
    """A generated report file kept in the plan's history."""

    id: int
    name: str
    plan_id: int
    year: int
    kind: str
    format: str
    size: int
    sha256: str
    created_at: str
    created_by: str
    # The narrative sections as published in this file (drafts and the planner's edits).
    narrative: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class SavedNarrative:
    """The planner's edits of one report (plan, kind, year); version 0 until first saved."""

    plan_id: int
    year: int
    kind: str
    sections: dict[str, list[str]]
    version: int
    updated_by: str = ""
    updated_at: str = ""


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise Invalid(f"未知报告类型 {kind!r}，应为 {'、'.join(KINDS)}", where="kind")


def _area_depth(paths: Sequence[str]) -> int:
    """The deepest outline level at which the tasks fall into at most MAX_AREAS groups."""
    depth = 1
    deepest = max((p.count(".") + 1 for p in paths), default=1)
    for d in range(1, deepest):
        groups = {".".join(p.split(".")[:d]) for p in paths}
        if len(groups) > MAX_AREAS:
            break
        depth = d
    return depth


def _short(title: str | None, text: str = "") -> str:
    """A node's heading as a table cell: its title up to the first comma, else its text."""
    words = (title or text or "").strip()
    return re.split(r"[,，;；。]", words, maxsplit=1)[0][:40]


def plan_tasks(db: Database, actor: Actor, plan_id: int, year: int) -> list[TaskRecord]:
    """The plan's lead tasks as the report sees them: key area, department, state, reason."""
    as_of = min(clock.today(), date(year, 12, 31))
    data = supervision.plan_data(db, actor, plan_id, "task.read")
    rules = supervision.Rules.from_settings()
    leads = [t for t in data.tasks if t.role == "lead"]
    nodes = {n.path: n for n in plans.outline(db, actor, plan_id).items}
    depth = _area_depth([t.node_path for t in leads])
    out = []
    for task in leads:
        node = nodes.get(task.node_path)
        area_node = nodes.get(".".join(task.node_path.split(".")[:depth]))
        reports = data.reports.get(task.id, [])
        signal, _ = supervision.judge(supervision.task_facts(data, task, as_of), as_of, rules)
        state: TaskState
        if signal == "done":
            state = "done"
        elif signal == "overdue":
            state = "late"
        elif any(r.status in ON_TRACK_REPORTS for r in reports):
            state = "on_track"
        else:
            state = "not_started"
        reason = ""
        if state == "late":
            reason = (reports[-1].text if reports else task.note).strip()[:REASON_CHARS]
        out.append(
            TaskRecord(
                title=_short(node.title, node.text) if node else task.node_path,
                area=_short(area_node.title, area_node.text) if area_node else "其他",
                department=data.departments.get(task.department_id, ""),
                state=state,
                due=task.due_date.isoformat() if task.due_date else "",
                late_reason=reason,
            )
        )
    return out


def _iso(at: datetime) -> str:
    """A stored time in ISO form, UTC (SQLite hands back naive datetimes)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def _saved(row: EvaluationReport) -> SavedReport:
    return SavedReport(
        row.id,
        row.name,
        row.plan_id,
        row.year,
        row.kind,
        row.format,
        row.size,
        row.sha256,
        _iso(row.created_at),
        row.created_by,
        row.narrative,
    )


def _narrative_row(s: Session, plan_id: int, year: int, kind: str) -> ReportNarrative | None:
    return s.scalar(
        select(ReportNarrative).where(
            ReportNarrative.plan_id == plan_id,
            ReportNarrative.kind == kind,
            ReportNarrative.year == year,
        )
    )


def _edit_view(plan_id: int, year: int, kind: str, row: ReportNarrative | None) -> SavedNarrative:
    if row is None:
        return SavedNarrative(plan_id, year, kind, {}, 0)
    return SavedNarrative(
        plan_id,
        year,
        kind,
        dict(row.sections),
        row.version,
        row.updated_by,
        _iso(row.updated_at),
    )


def narrative_edits(
    db: Database, actor: Actor, plan_id: int, year: int, kind: str
) -> SavedNarrative:
    """The planner's edited sections of this report with their version (0: none saved)."""
    check(actor, "evaluation_report.read")
    _check_kind(kind)
    plans.get_plan(db, actor, plan_id)
    with reading(db) as s:
        return _edit_view(plan_id, year, kind, _narrative_row(s, plan_id, year, kind))


def saved_narrative(
    db: Database, actor: Actor, plan_id: int, year: int, kind: str
) -> dict[str, list[str]]:
    """The planner's edited sections for this report, {} when none were saved."""
    return narrative_edits(db, actor, plan_id, year, kind).sections


def save_narrative(
    db: Database,
    actor: Actor,
    plan_id: int,
    year: int,
    kind: str,
    narrative: Mapping[str, str | Sequence[str]],
    *,
    expected_version: int | None = None,
) -> SavedNarrative:
    """Keep edits of overall / problems / next_steps (empty text resets one); stale → Conflict.

    `expected_version` is the version the planner edited (0 when nothing was saved yet);
    None skips the check (batch use).
    """
    check(actor, "evaluation_report.edit")
    _check_kind(kind)
    unknown = set(narrative) - set(NARRATIVE_KEYS)
    if unknown:
        raise Invalid(
            f"不可编辑的章节 {', '.join(sorted(unknown))}，可编辑: {', '.join(NARRATIVE_KEYS)}",
            where="narrative",
        )
    plans.get_plan(db, actor, plan_id)
    changes: dict[str, list[str]] = {}
    for key, value in narrative.items():
        lines = value.splitlines() if isinstance(value, str) else list(value)
        changes[key] = [p.strip() for p in lines if p.strip()]
        if sum(len(p) for p in changes[key]) > MAX_SECTION_CHARS:
            raise Invalid(f"章节 {key} 超过 {MAX_SECTION_CHARS} 字 (section too long)", where=key)
    with writing(db) as s:
        row = _narrative_row(s, plan_id, year, kind)
        if row is None:
            if expected_version not in (None, 0):
                raise Conflict(
                    f"叙述章节已被他人重置(你的版本 {expected_version}),请刷新后重试 "
                    "stale version, reload"
                )
            before: dict[str, list[str]] = {}
            row = ReportNarrative(
                plan_id=plan_id, kind=kind, year=year, sections={}, updated_by=actor.username
            )
            s.add(row)
        else:
            check_version(row, expected_version, "叙述章节 narrative")
            before = dict(row.sections)
        after = dict(before)
        for key, paragraphs in changes.items():
            if paragraphs:
                after[key] = paragraphs
            else:
                after.pop(key, None)
        row.sections = after
        row.updated_by = actor.username
        record(
            s,
            actor,
            "evaluation_report.narrative",
            "evaluation_report",
            f"{plan_id}/{kind}/{year}",
            before=before,
            after=after,
            plan_id=plan_id,
            summary=f"编辑{KINDS[kind].name_zh}({year}年)叙述章节",
        )
        s.flush()
        return _edit_view(plan_id, year, kind, row)


def plan_report(
    db: Database,
    actor: Actor,
    plan_id: int,
    year: int,
    kind: str,
    *,
    narrative: Mapping[str, Sequence[str]] | None = None,
    issuer: str = "",
    region: str = "",
) -> Report:
    """Compose a plan's report; `narrative` overrides saved edits, which override drafts."""
    check(actor, "evaluation_report.read")
    _check_kind(kind)
    plan = plans.get_plan(db, actor, plan_id)
    check(actor, "indicator.read")
    table, observations, _incomplete = indicator_service.plan_tables(db, actor, plan_id)
    from luoshi.indicators.evaluation import evaluate

    evaluations = evaluate(table, observations, year, region=region or None) if len(table) else []
    rows = indicator_rows(table, observations, evaluations, region or None)
    edits = saved_narrative(db, actor, plan_id, year, kind) | dict(narrative or {})
    return build_report(
        kind,
        plan.title,
        year,
        rows,
        status_table(),
        plan_tasks(db, actor, plan_id, year),
        issuer=issuer,
        narrative=edits,
        period=(plan.start_year, plan.end_year) if plan.start_year and plan.end_year else None,
    )


def render_plan_report(
    db: Database, actor: Actor, plan_id: int, year: int, kind: str, fmt: str, **options: object
) -> bytes:
    """The plan's report in one format (docx, pdf or html), not stored."""
    return render(plan_report(db, actor, plan_id, year, kind, **options), fmt)  # type: ignore[arg-type]


def generate(
    db: Database,
    actor: Actor,
    plan_id: int,
    year: int,
    kind: str,
    fmt: str,
    *,
    issuer: str = "",
) -> SavedReport:
    """Render the plan's report and keep it, bytes and narrative, in the plan's history."""
    check(actor, "evaluation_report.edit")
    if fmt not in FORMATS:
        raise Invalid(f"未知格式 {fmt!r}，应为 {'、'.join(FORMATS)}", where="format")
    plan = plans.get_plan(db, actor, plan_id)
    report = plan_report(db, actor, plan_id, year, kind, issuer=issuer)
    data = render(report, fmt)
    now = datetime.now(UTC)
    row = EvaluationReport(
        plan_id=plan_id,
        kind=kind,
        year=year,
        format=fmt,
        name=f"{plan.title}{KINDS[kind].name_zh}-{year}年-{now:%Y%m%d%H%M%S}.{fmt}"[-120:],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        narrative=report.narrative,
        created_by=actor.username,
        created_at=now,
    )
    with writing(db) as s:
        s.add(row)
        s.flush()
        saved = _saved(row)
        record(
            s,
            actor,
            "evaluation_report.generate",
            "evaluation_report",
            row.id,
            after={k: v for k, v in asdict(saved).items() if k != "narrative"},
            plan_id=plan_id,
            summary=f"生成{KINDS[kind].name_zh}({year}年,{fmt})",
        )
    return saved


def history(db: Database, actor: Actor, plan_id: int) -> list[SavedReport]:
    """The plan's generated reports, newest first (without their bytes)."""
    check(actor, "evaluation_report.read")
    plans.get_plan(db, actor, plan_id)
    with reading(db) as s:
        rows = s.scalars(
            select(EvaluationReport)
            .where(EvaluationReport.plan_id == plan_id)
            .order_by(EvaluationReport.created_at.desc(), EvaluationReport.id.desc())
        )
        return [_saved(r) for r in rows]


def saved_file(
    db: Database, actor: Actor, plan_id: int, report_id: int
) -> tuple[SavedReport, bytes]:
    """One generated report of the plan's history and its bytes."""
    check(actor, "evaluation_report.read")
    plans.get_plan(db, actor, plan_id)
    with reading(db) as s:
        row = s.get(EvaluationReport, report_id)
        if row is None or row.plan_id != plan_id:
            raise NotFound(f"报告 {report_id} 不存在 not found", where=f"plan {plan_id}")
        return _saved(row), row.content
