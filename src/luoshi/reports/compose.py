"""Compose a report from indicator rows and task records: counts, summary sentence, drafts.

Everything a report says is decided here, once; the Word, PDF and HTML renderers only lay it
out. The narrative sections (overall progress, problems, next steps) are drafted from the data
and the planner's edits, when given, replace the drafts section by section.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from luoshi.errors import Invalid
from luoshi.reports.model import (
    KINDS,
    MIN_JUDGED,
    NARRATIVE_KEYS,
    NO_INDICATORS,
    NO_PERIOD,
    TOO_FEW_JUDGED,
    VERDICTS,
    Completion,
    GoalCounts,
    IndicatorRow,
    Report,
    StatusCount,
    TaskRecord,
    TaskSummary,
)

ORDINALS = "一二三四五六七八九十"
# Statuses that count as "not going well" in 存在问题 and the binding-indicator sentence.
TROUBLED = frozenset({"lagging", "not_achieved"})
UNJUDGED = frozenset({"not_evaluable"})
NO_INDICATOR_PROBLEM = (
    "规划主要指标尚未录入。缺少主要指标及其目标值，无法监测评估规划目标完成情况。"
)
NO_INDICATOR_STEP = "完善规划指标体系。尽快录入规划主要指标及目标值，按年度开展监测评估。"
LIST_LIMIT = 6  # names listed in one sentence before "等N项"
MAX_SECTION_CHARS = 20_000  # an edited narrative section longer than this is refused

RUN_IN = re.compile(r"^([(（][一二三四五六七八九十]+[)）][^。]*。)(.*)$", re.S)


def run_in_heading(paragraph: str) -> tuple[str, str]:
    """Split "（一）加快补短板。正文…" into its run-in heading and the rest （"" when none）."""
    m = RUN_IN.match(paragraph)
    return (m.group(1), m.group(2)) if m else ("", paragraph)


def _ordinal(i: int) -> str:
    return ORDINALS[i] if i < len(ORDINALS) else str(i + 1)


def _names(rows: Sequence[IndicatorRow]) -> str:
    names = "、".join(r.name for r in rows[:LIST_LIMIT])
    return f"{names}等{len(rows)}项" if len(rows) > LIST_LIMIT else names


def count_statuses(
    rows: Sequence[IndicatorRow], statuses: Sequence[tuple[str, str]]
) -> tuple[StatusCount, ...]:
    """Count rows per status, in the order of the `statuses` table (key, Chinese label)."""
    counts = Counter(r.status for r in rows)
    known = [StatusCount(k, label, counts.get(k, 0)) for k, label in statuses]
    labels = dict(statuses)
    extra = [StatusCount(k, labels.get(k, k), n) for k, n in counts.items() if k not in labels]
    return tuple(known + extra)


def summary_sentence(counts: Sequence[StatusCount]) -> str:
    """'X项主要指标中，A项提前实现、B项快于预期…。' over the statuses that occur."""
    total = sum(c.count for c in counts)
    if not total:
        return "暂无主要指标数据。"
    parts = "、".join(f"{c.count}项{c.label}" for c in counts if c.count)
    return f"{total}项主要指标中，{parts}。"


def on_course(row: IndicatorRow) -> bool:
    """Neither lagging nor not achieved, and judged."""
    return row.status not in TROUBLED | UNJUDGED


def verdict(kind: str, rows: Sequence[IndicatorRow]) -> str:
    """The overall judgement of `kind`: the first row of `VERDICTS` the indicators satisfy."""
    if not rows:
        return NO_INDICATORS
    judged = [r for r in rows if r.status not in UNJUDGED]
    if not judged or len(judged) < MIN_JUDGED * len(rows):
        return TOO_FEW_JUDGED
    share = sum(on_course(r) for r in judged) / len(judged)
    binding_ok = all(on_course(r) for r in judged if r.attribute == "约束性")
    for v in VERDICTS:
        if v.kind == kind and share >= v.share and (binding_ok or not v.binding):
            return v.text
    raise AssertionError(f"VERDICTS has no row for {kind} at {share:.2f}")  # pragma: no cover


def plan_period(rows: Sequence[IndicatorRow]) -> tuple[int, int] | None:
    """The plan period the indicators imply: the year after the base year to the target year."""
    if not rows:
        return None
    return min(r.base_year for r in rows) + 1, max(r.target_year for r in rows)


def opening(report: Report) -> str:
    """The first sentence of 总体进展: the kind's lead-in and the overall judgement."""
    if report.period is None:
        lead = NO_PERIOD.format(plan=report.plan, year=report.year)
    else:
        start, end = report.period
        lead = report.kind.opening.format(
            plan=report.plan, year=report.year, period=f"（{start}—{end}年）"
        )
    return lead + report.verdict


def goal_counts(
    rows: Sequence[IndicatorRow], statuses: Sequence[tuple[str, str]]
) -> tuple[GoalCounts, ...]:
    """Status counts per goal (indicator category), goals in first-seen order."""
    goals: dict[str, list[IndicatorRow]] = {}
    for r in rows:
        goals.setdefault(r.category or "其他", []).append(r)
    return tuple(GoalCounts(g, count_statuses(rs, statuses)) for g, rs in goals.items())


def _completion(group: str, tasks: Sequence[TaskRecord]) -> Completion:
    states = Counter(t.state for t in tasks)
    return Completion(
        group, len(tasks), states["done"], states["on_track"], states["late"], states["not_started"]
    )


def summarise_tasks(tasks: Iterable[TaskRecord]) -> TaskSummary:
    """Completion by key area and by department, the late tasks and the major projects."""
    tasks = list(tasks)
    by_area: dict[str, list[TaskRecord]] = {}
    by_dept: dict[str, list[TaskRecord]] = {}
    for t in tasks:
        by_area.setdefault(t.area or "其他", []).append(t)
        by_dept.setdefault(t.department or "未分工", []).append(t)
    depts = sorted(
        (_completion(d, ts) for d, ts in by_dept.items()), key=lambda c: (-c.late, c.rate, c.group)
    )
    return TaskSummary(
        total=len(tasks),
        by_area=tuple(_completion(a, ts) for a, ts in by_area.items()),
        by_department=tuple(depts),
        late=tuple(t for t in tasks if t.state == "late"),
        projects=tuple(t for t in tasks if t.is_project),
    )


def task_sentence(s: TaskSummary) -> str:
    """'N项重点任务和举措（每项按牵头单位计）中，已完成A项、按进度推进B项、滞后C项、未启动D项。'

    Counts measures, each once at its lead unit; the supervision board counts assignments
    (lead and cooperating units), see docs/reports.md.
    """
    done = sum(c.done for c in s.by_area)
    on_track = sum(c.on_track for c in s.by_area)
    late = sum(c.late for c in s.by_area)
    idle = sum(c.not_started for c in s.by_area)
    parts = [f"已完成{done}项", f"按进度推进{on_track}项", f"滞后{late}项"]
    if idle:
        parts.append(f"未启动{idle}项")
    projects = f"其中重大项目{len(s.projects)}项。" if s.projects else ""
    return f"{s.total}项重点任务和举措（每项按牵头单位计）中，" + "、".join(parts) + "。" + projects


def _draft_overall(report: Report) -> list[str]:
    kind = report.kind
    text = opening(report) + (report.summary if report.indicators else "")
    binding = [r for r in report.indicators if r.attribute == "约束性"]
    if binding:
        ok = [r for r in binding if on_course(r)]
        text += f"{len(binding)}项约束性指标中，{len(ok)}项{kind.binding_ok}。"
    paragraphs = [text]
    if report.tasks and report.tasks.total:
        paragraphs.append(task_sentence(report.tasks))
    return paragraphs


def _draft_problems(report: Report) -> list[str]:
    troubled = [r for r in report.indicators if r.status in TROUBLED]
    unjudged = [r for r in report.indicators if r.status in UNJUDGED]
    late = report.tasks.late if report.tasks else ()
    points: list[str] = []
    if troubled:
        details = "；".join(f"{r.name}{r.reason.rstrip('。')}" for r in troubled[:LIST_LIMIT])
        says = report.kind.troubled
        points.append(f"部分指标{says}。{_names(troubled)}指标{says}，其中{details}。")
    if late:
        areas = Counter(t.area for t in late).most_common(3)
        where = "、".join(a for a, _ in areas)
        reasons = "；".join(
            f"{t.title}（{t.department}）：{t.late_reason.rstrip('。')}"
            for t in late[:LIST_LIMIT]
            if t.late_reason
        )
        points.append(
            f"部分重点任务推进滞后。{len(late)}项任务未按计划推进，主要集中在{where}等领域"
            + (f"，主要原因：{reasons}。" if reasons else "。")
        )
    if unjudged:
        points.append(f"部分指标监测数据不全。{_names(unjudged)}指标暂无法评估，需加快统计监测。")
    if not report.indicators:
        points.append(NO_INDICATOR_PROBLEM)
    if not points:
        tasks = "，重点任务未发现滞后" if report.tasks and report.tasks.total else ""
        return [f"主要指标进展均符合预期{tasks}，未发现明显问题。"]
    return [f"{_ordinal(i)}是{p}" for i, p in enumerate(points)]


def _draft_next_steps(report: Report) -> list[str]:
    troubled = [r for r in report.indicators if r.status in TROUBLED]
    steps: list[str] = []
    if troubled:
        steps.append(report.kind.remedy.format(names=_names(troubled)))
    if not report.indicators:
        steps.append(NO_INDICATOR_STEP)
    if report.tasks and report.tasks.late:
        steps.append(
            f"加大重点任务推进力度。对{len(report.tasks.late)}项滞后任务实行清单化管理，"
            "加强督查督办，推动重大项目按期建设。"
        )
    steps.append(
        "强化规划实施监测评估。完善指标统计监测，定期通报进展，"
        "将评估结果作为改进工作和考核评价的重要依据。"
    )
    return [f"（{_ordinal(i)}）{s}" for i, s in enumerate(steps)]


def build_report(
    kind: str,
    plan: str,
    year: int,
    rows: Sequence[IndicatorRow],
    statuses: Sequence[tuple[str, str]],
    tasks: Iterable[TaskRecord] | None = None,
    issuer: str = "",
    on: date | None = None,
    narrative: Mapping[str, Sequence[str]] | None = None,
    period: tuple[int, int] | None = None,
) -> Report:
    """Build a report of `kind` (annual, midterm, final); `narrative` replaces drafted sections.

    `period` is the plan's first and last year; by default the indicators' (`plan_period`).
    """
    if kind not in KINDS:
        raise Invalid(
            f"未知报告类型 {kind!r}，应为 {'/'.join(KINDS)} （unknown report kind）", where="kind"
        )
    unknown = set(narrative or {}) - set(NARRATIVE_KEYS)
    if unknown:
        raise Invalid(
            f"不可编辑的章节 {', '.join(sorted(unknown))}，可编辑: {', '.join(NARRATIVE_KEYS)}",
            where="narrative",
        )
    first = min((r.base_year for r in rows), default=None)
    if first is not None and year <= first:
        raise Invalid(
            f"评估年份 {year} 应晚于基期年 {first} (evaluation year before the plan)", where="year"
        )
    period = period or plan_period(rows)
    if kind == "final" and period is not None and year < period[1]:
        start, end = period
        raise Invalid(
            f"总结评估在规划期末进行：规划期{start}—{end}年，评估年份应为{end}年或以后；"
            f"{year}年请用年度监测(annual)或中期评估(midterm) "
            f"(a final evaluation needs a year at or after the plan's end year {end})",
            where="year",
        )
    k = KINDS[kind]
    counts = count_statuses(rows, statuses)
    report = Report(
        kind=k,
        plan=plan,
        year=year,
        title=k.title.format(plan=plan, year=year),
        issuer=issuer,
        date=(on or date.today()).isoformat(),
        summary=summary_sentence(counts),
        verdict=verdict(kind, rows),
        status_counts=counts,
        goal_counts=goal_counts(rows, statuses),
        indicators=tuple(rows),
        tasks=summarise_tasks(tasks) if tasks is not None else None,
        period=period,
    )
    report.narrative = {
        "overall": _draft_overall(report),
        "problems": _draft_problems(report),
        "next_steps": _draft_next_steps(report),
    }
    for key, paragraphs in (narrative or {}).items():
        cleaned = [p.strip() for p in paragraphs if p.strip()]
        if sum(len(p) for p in cleaned) > MAX_SECTION_CHARS:
            raise Invalid(
                f"章节 {key} 超过 {MAX_SECTION_CHARS} 字 (section too long)", where="narrative"
            )
        if cleaned:
            report.narrative[key] = cleaned
    return report
