"""The order of a report: numbered sections made of paragraphs, subheadings, tables and figures.

Word and HTML (and so PDF) lay out the same sequence of blocks, so a report reads the same in
every format and a section, table column or caption is changed in one place.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from luoshi.indicators.evaluation import fmt
from luoshi.reports.compose import ORDINALS, TROUBLED, task_sentence
from luoshi.reports.model import TASK_STATES, Completion, IndicatorRow, Report, TaskRecord


@dataclass(frozen=True)
class Column:
    """One table column: header, relative width, and whether it holds numbers."""

    label: str
    width: float
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A captioned table of text cells."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    small: bool = False  # set in a smaller size (many columns)
    statuses: tuple[str, ...] = ()  # status code of each row, for colour on screen


@dataclass(frozen=True)
class Sub:
    """A second-level heading, e.g. （一）分领域推进情况."""

    text: str


@dataclass(frozen=True)
class Figure:
    """A chart, referred to by its caption."""

    caption: str


Block = str | Sub | Table | Figure


@dataclass(frozen=True)
class Section:
    """A first-level section: 一、heading and its blocks."""

    key: str
    heading: str
    blocks: tuple[Block, ...]


def _same(values: Sequence[int | None]) -> int | None:
    """The one value all rows share, else None (then each cell carries its own year)."""
    found = set(values)
    return found.pop() if len(found) == 1 else None


def _indicator_table(report: Report) -> Table:
    rows = report.indicators
    base = _same([r.base_year for r in rows])
    target = _same([r.target_year for r in rows])
    latest = _same([r.latest_year for r in rows if r.latest_year])
    columns = (
        Column("序号", 3, True),
        Column("指标（单位）", 10),
        Column("属性", 4.5, True),
        Column(f"基期值（{base}年）" if base else "基期值", 5, True),
        Column(f"目标值（{target}年）" if target else "目标值", 7, True),
        Column(f"最新值（{latest}年）" if latest else "最新值", 5.5, True),
        Column("评估状态", 5, True),
        Column("说明", 10.5),
    )
    cells = tuple(_indicator_cells(i, r, base, target, latest) for i, r in enumerate(rows, 1))
    return Table(
        "表1 主要指标评估情况", columns, cells, small=True, statuses=tuple(r.status for r in rows)
    )


def _indicator_cells(
    i: int, r: IndicatorRow, base: int | None, target: int | None, latest: int | None
) -> tuple[str, ...]:
    def year(value: str, y: int | None, shared: int | None) -> str:
        return value if y is None or y == shared or value == "—" else f"{value}（{y}）"

    name = f"{r.name}（{r.unit}）" if r.unit else r.name
    return (
        str(i),
        name,
        r.attribute,
        year(fmt(r.base_value), r.base_year, base),
        year(r.target_text or "—", r.target_year, target),
        year(fmt(r.latest_value), r.latest_year, latest),
        r.status_zh,
        r.reason,
    )


def _completion_table(caption: str, first: str, groups: Sequence[Completion]) -> Table:
    columns = (
        Column(first, 22),
        Column("任务数", 7, True),
        *(Column(label, 8, True) for label in TASK_STATES.values()),
        Column("推进率", 8, True),
    )
    rows = tuple(
        (
            c.group,
            str(c.total),
            str(c.done),
            str(c.on_track),
            str(c.late),
            str(c.not_started),
            f"{c.rate:.0%}",
        )
        for c in groups
    )
    return Table(caption, columns, rows)


def _task_table(caption: str, tasks: Sequence[TaskRecord], reason: str) -> Table:
    columns = (
        Column("序号", 6, True),
        Column("任务", 26),
        Column("重点领域", 12),
        Column("牵头单位", 11),
        Column("进展", 9, True),
        Column(reason, 20),
    )
    rows = tuple(
        (str(i), t.title, t.area, t.department, TASK_STATES[t.state], t.late_reason or "—")
        for i, t in enumerate(tasks, 1)
    )
    return Table(caption, columns, rows)


def _goal_paragraph(i: int, report: Report, goal: str) -> str:
    rows = [r for r in report.indicators if (r.category or "其他") == goal]
    counts = next(g.counts for g in report.goal_counts if g.goal == goal)
    parts = "、".join(f"{c.count}项{c.label}" for c in counts if c.count)
    text = (
        f"（{ORDINALS[i] if i < len(ORDINALS) else i + 1}）{goal}。{len(rows)}项指标中，{parts}。"
    )
    early = [r.name for r in rows if r.status == "achieved_early"]
    if early:
        text += f"{'、'.join(early)}已提前实现规划目标。"
    notes = [
        f"{r.name}{r.reason.rstrip('。')}"
        + (f"，{r.projection.rstrip('。')}" if r.projection else "")
        for r in rows
        if r.status in TROUBLED
    ]
    return text + ("其中，" + "；".join(notes) + "。" if notes else "")


APPENDIX = "appendix"  # key of the last section: the indicator charts, after the signature
APPENDIX_TITLE = "主要指标实际值与目标路径"
SIGNED_AFTER = "next_steps"  # the issuer and date follow this section, on the same page


def sections(report: Report, figures: Collection[str]) -> list[Section]:
    """The report's sections in order; `figures` are the captions of the rendered charts.

    The last section, when there are indicator charts, is the appendix (附件): it follows the
    signature and starts on a new page.
    """
    k = report.kind
    charts = [Figure(c) for c in figures]
    indicator_blocks: list[Block] = [report.summary]
    if report.indicators:
        indicator_blocks += [_indicator_table(report), *charts[:1]]
        indicator_blocks += [
            _goal_paragraph(i, report, g.goal) for i, g in enumerate(report.goal_counts)
        ]
        if charts[1:]:
            indicator_blocks.append("各项指标实际值与目标路径见附件。")
    if report.tasks is None:
        task_blocks: list[Block] = [
            "本报告的指标部分直接根据指标数据文件生成；重点任务和重大项目的推进情况，"
            "需在系统中录入规划、任务分工和进展报告后生成。"
        ]
    else:
        t = report.tasks
        task_blocks = [
            task_sentence(t),
            Sub("（一）分领域推进情况"),
            _completion_table("表2 重点任务分领域推进情况", "重点领域", t.by_area),
            Sub("（二）分部门推进情况"),
            _completion_table("表3 重点任务分部门推进情况", "牵头单位", t.by_department),
        ]
        n = 4
        if t.late:
            task_blocks += [
                Sub("（三）滞后任务及原因"),
                _task_table(f"表{n} 滞后任务清单", t.late, "滞后原因"),
            ]
            n += 1
        if t.projects:
            task_blocks += [
                Sub(f"（{'四' if t.late else '三'}）重大项目推进情况"),
                _task_table(f"表{n} 重大项目推进情况", t.projects, "说明"),
            ]
    appendix = [Section(APPENDIX, "附件", (APPENDIX_TITLE, *charts[1:]))] if charts[1:] else []
    return [
        Section("overall", f"一、{k.overall}", tuple(report.narrative["overall"])),
        Section("indicators", f"二、{k.indicators}", tuple(indicator_blocks)),
        Section("tasks", f"三、{k.tasks}", tuple(task_blocks)),
        Section("problems", f"四、{k.problems}", tuple(report.narrative["problems"])),
        Section("next_steps", f"五、{k.next_steps}", tuple(report.narrative["next_steps"])),
        *appendix,
    ]
