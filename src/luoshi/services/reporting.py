"""Evaluation reports of a plan in the database: gather, compose, render, keep edits and history.

The indicator part comes from the plan's indicator table and observations (the same engine as
`luoshi evaluate`); the key-task part from its lead task assignments and their latest progress
reports. Planner-edited narrative sections and every generated file are kept under
LUOSHI_DATA_DIR/reports/plan-<id>/ (written atomically, like evidence files), and each save or
generation is written to the audit log.

Task states, as of the end of the report year (or today, if earlier):
  done          the assignment is done or closed
  late          past its due date and not done
  on_track      a progress report was submitted or accepted
  not_started   no progress report yet
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from luoshi.errors import Invalid, LuoshiError, NotFound
from luoshi.reports import FORMATS, render, write_file
from luoshi.reports.compose import build_report
from luoshi.reports.evaluated import indicator_rows, status_table
from luoshi.reports.model import KINDS, NARRATIVE_KEYS, Report, TaskRecord, TaskState
from luoshi.services import indicators as indicator_service
from luoshi.services import plans
from luoshi.services.audit import record
from luoshi.services.permissions import Actor, check
from luoshi.services.transactions import reading, writing
from luoshi.settings import get_settings
from luoshi.storage import Database
from luoshi.storage.models import Department, ProgressReport, TaskAssignment

MAX_AREAS = 12  # key areas are the deepest outline level with at most this many task groups
REASON_CHARS = 80  # a late task's reason: the start of its latest progress report
ON_TRACK_REPORTS = ("submitted", "accepted")
SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class SavedReport:
    """A generated report file kept in the plan's history."""

    name: str
    plan_id: int
    year: int
    kind: str
    format: str
    size: int
    created_at: str
    created_by: str
    # The narrative sections as published in this file (drafts and the planner's edits).
    narrative: dict[str, list[str]] = field(default_factory=dict)


def store_dir(plan_id: int, root: Path | None = None) -> Path:
    """Where a plan's reports and narrative edits are kept."""
    base = root if root is not None else get_settings().data_dir / "reports"
    return Path(base) / f"plan-{plan_id}"


def _load(path: Path) -> Any:
    """A stored JSON file; a damaged one is named instead of raising a traceback."""
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise LuoshiError(f"报告存档文件已损坏 damaged store file: {exc}", where=str(path)) from exc


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
    check(actor, "task.read")
    as_of = min(date.today(), date(year, 12, 31))
    with reading(db) as s:
        tasks = s.execute(
            select(TaskAssignment, Department.name)
            .join(Department, Department.id == TaskAssignment.department_id)
            .where(TaskAssignment.plan_id == plan_id, TaskAssignment.role == "lead")
            .order_by(TaskAssignment.id)
        ).all()
        latest = (
            select(ProgressReport.task_id, func.max(ProgressReport.id).label("id"))
            .group_by(ProgressReport.task_id)
            .subquery()
        )
        reports = {
            r.task_id: r
            for r in s.scalars(
                select(ProgressReport).join(latest, ProgressReport.id == latest.c.id)
            )
        }
    nodes = {n.path: n for n in plans.outline(db, actor, plan_id).items}
    depth = _area_depth([t.node_path for t, _ in tasks])
    out = []
    for task, department in tasks:
        node = nodes.get(task.node_path)
        area_node = nodes.get(".".join(task.node_path.split(".")[:depth]))
        report = reports.get(task.id)
        state: TaskState
        if task.status in ("done", "closed"):
            state = "done"
        elif task.due_date is not None and task.due_date < as_of:
            state = "late"
        elif report is not None and report.status in ON_TRACK_REPORTS:
            state = "on_track"
        else:
            state = "not_started"
        reason = ""
        if state == "late":
            reason = (report.text if report else task.note).strip()[:REASON_CHARS]
        out.append(
            TaskRecord(
                title=_short(node.title, node.text) if node else task.node_path,
                area=_short(area_node.title, area_node.text) if area_node else "其他",
                department=department,
                state=state,
                due=task.due_date.isoformat() if task.due_date else "",
                late_reason=reason,
            )
        )
    return out


def _narrative_file(plan_id: int, year: int, kind: str, root: Path | None) -> Path:
    return store_dir(plan_id, root) / f"narrative-{kind}-{year}.json"


def saved_narrative(
    db: Database, actor: Actor, plan_id: int, year: int, kind: str, root: Path | None = None
) -> dict[str, list[str]]:
    """The planner's edited sections for this report, {} when none were saved."""
    check(actor, "plan.read")
    _check_kind(kind)
    plans.get_plan(db, actor, plan_id)
    path = _narrative_file(plan_id, year, kind, root)
    return _load(path) if path.exists() else {}


def save_narrative(
    db: Database,
    actor: Actor,
    plan_id: int,
    year: int,
    kind: str,
    narrative: Mapping[str, str | Sequence[str]],
    root: Path | None = None,
) -> dict[str, list[str]]:
    """Keep the planner's edits of overall / problems / next_steps; an empty text resets one."""
    check(actor, "plan.edit")
    _check_kind(kind)
    unknown = set(narrative) - set(NARRATIVE_KEYS)
    if unknown:
        raise Invalid(
            f"不可编辑的章节 {', '.join(sorted(unknown))}，可编辑: {', '.join(NARRATIVE_KEYS)}",
            where="narrative",
        )
    before = saved_narrative(db, actor, plan_id, year, kind, root)
    after = dict(before)
    for key, value in narrative.items():
        lines = value.splitlines() if isinstance(value, str) else list(value)
        paragraphs = [p.strip() for p in lines if p.strip()]
        if paragraphs:
            after[key] = paragraphs
        else:
            after.pop(key, None)
    with writing(db) as s:
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
        write_file(
            _narrative_file(plan_id, year, kind, root),
            json.dumps(after, ensure_ascii=False, indent=1).encode("utf-8"),
        )
    return after


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
    root: Path | None = None,
) -> Report:
    """Compose a plan's report; `narrative` overrides saved edits, which override drafts."""
    _check_kind(kind)
    plan = plans.get_plan(db, actor, plan_id)
    check(actor, "indicator.read")
    table, observations, _incomplete = indicator_service.plan_tables(db, actor, plan_id)
    from luoshi.indicators.evaluation import evaluate

    evaluations = evaluate(table, observations, year, region=region or None) if len(table) else []
    rows = indicator_rows(table, observations, evaluations, region or None)
    edits = saved_narrative(db, actor, plan_id, year, kind, root) | dict(narrative or {})
    return build_report(
        kind,
        plan.title,
        year,
        rows,
        status_table(),
        plan_tasks(db, actor, plan_id, year),
        issuer=issuer,
        narrative=edits,
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
    root: Path | None = None,
) -> SavedReport:
    """Render the plan's report and keep it in the plan's history (planners only)."""
    check(actor, "plan.edit")
    if fmt not in FORMATS:
        raise Invalid(f"未知格式 {fmt!r}，应为 {'、'.join(FORMATS)}", where="format")
    report = plan_report(db, actor, plan_id, year, kind, issuer=issuer, root=root)
    data = render(report, fmt)
    now = datetime.now(UTC)
    name = f"{kind}-{year}-{now:%Y%m%dT%H%M%S%f}.{fmt}"
    saved = SavedReport(
        name,
        plan_id,
        year,
        kind,
        fmt,
        len(data),
        now.isoformat(timespec="seconds"),
        actor.username,
        report.narrative,
    )
    folder = store_dir(plan_id, root)
    with writing(db) as s:
        record(
            s,
            actor,
            "evaluation_report.generate",
            "evaluation_report",
            name,
            after={k: v for k, v in asdict(saved).items() if k != "narrative"},
            plan_id=plan_id,
            summary=f"生成{KINDS[kind].name_zh}({year}年,{fmt})",
        )
        write_file(folder / name, data)
        write_file(folder / f"{name}.json", json.dumps(asdict(saved), ensure_ascii=False).encode())
    return saved


def history(
    db: Database, actor: Actor, plan_id: int, root: Path | None = None
) -> list[SavedReport]:
    """The plan's generated reports, newest first."""
    check(actor, "plan.read")
    plans.get_plan(db, actor, plan_id)
    folder = store_dir(plan_id, root)
    found = [SavedReport(**_load(p)) for p in folder.glob("*.*.json")]
    return sorted(found, key=lambda r: r.created_at + r.name, reverse=True)


def saved_file(
    db: Database, actor: Actor, plan_id: int, name: str, root: Path | None = None
) -> tuple[SavedReport, bytes]:
    """One generated report of the plan's history and its bytes."""
    check(actor, "plan.read")
    plans.get_plan(db, actor, plan_id)
    folder = store_dir(plan_id, root)
    path, meta = folder / name, folder / f"{name}.json"
    if not SAFE_NAME.match(name) or name.startswith(".") or not meta.exists():
        raise NotFound(f"报告 {name} 不存在 not found", where=f"plan {plan_id}")
    return SavedReport(**_load(meta)), path.read_bytes()
