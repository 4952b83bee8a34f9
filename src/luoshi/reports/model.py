"""The report model: what an annual monitoring, mid-term or final evaluation report says.

Plain dataclasses, built once from evaluation results and task progress (see `compose`), then
rendered to Word, PDF or HTML without further computation. The wording that differs between
kinds of report (title, section headings, the verb of the summary) lives in the `KINDS` table,
so a planning office can read and change it in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

KindKey = Literal["annual", "midterm", "final"]


@dataclass(frozen=True)
class ReportKind:
    """How one kind of report is titled and structured, as planning offices write it."""

    key: KindKey
    name_zh: str
    name_en: str
    title: str  # formatted with {plan} and {year}
    overall: str  # heading 一、
    indicators: str  # heading 二、
    tasks: str  # heading 三、
    problems: str  # heading 四、
    next_steps: str  # heading 五、
    opening: str  # lead-in of 总体进展, formatted with {plan}, {year} and {period}; see VERDICTS
    binding_ok: str  # what binding indicators on course are said to do
    troubled: str  # what lagging indicators are said to be, in 存在问题
    remedy: str  # the next step for them, formatted with {names}


# One row per kind of report. Headings follow the usual outline of 规划实施监测/评估报告.
KINDS: dict[str, ReportKind] = {
    row.key: row
    for row in (
        ReportKind(
            key="annual",
            name_zh="年度监测报告",
            name_en="Annual monitoring report",
            title="{plan}{year}年实施情况监测报告",
            overall="规划实施总体情况",
            indicators="主要指标完成情况",
            tasks="重点任务和重大项目推进情况",
            problems="存在的主要问题",
            next_steps="下一步工作安排",
            opening="{year}年，各地区各部门认真贯彻落实{plan}确定的目标任务，",
            binding_ok="进展符合要求",
            troubled="进展滞后",
            remedy="加快补齐滞后指标短板。针对{names}进度滞后指标，逐项分析原因，"
            "明确责任单位和时间节点，确保年度目标和规划目标如期实现。",
        ),
        ReportKind(
            key="midterm",
            name_zh="中期评估报告",
            name_en="Mid-term evaluation report",
            title="{plan}实施中期评估报告",
            overall="规划实施总体进展",
            indicators="主要指标进展情况",
            tasks="重点任务和重大项目推进情况",
            problems="规划实施中存在的主要问题",
            next_steps="推进规划后半程实施的对策建议",
            opening="{plan}{period}实施以来，截至{year}年，",
            binding_ok="进展符合要求",
            troubled="进展滞后",
            remedy="加快补齐滞后指标短板。针对{names}进度滞后指标，逐项分析原因，"
            "在规划后半程加大政策和资源保障力度，确保规划目标如期实现。",
        ),
        ReportKind(
            key="final",
            name_zh="总结评估报告",
            name_en="Final evaluation report",
            title="{plan}实施总结评估报告",
            overall="规划目标完成总体情况",
            indicators="主要指标完成情况",
            tasks="重点任务和重大项目完成情况",
            problems="规划实施中存在的主要问题",
            next_steps="经验启示和下一步工作建议",
            opening="{plan}{period}实施期已满，截至{year}年，",
            binding_ok="实现规划目标",
            troubled="未实现规划目标",
            remedy="深入分析未完成指标的原因。对{names}未实现目标的指标，逐项说明原因，"
            "在编制和实施下一个五年规划时统筹考虑、接续推进。",
        ),
    )
}


@dataclass(frozen=True)
class Verdict:
    """One overall judgement of 总体进展, chosen by the share of indicators on course."""

    kind: KindKey
    share: float  # at least this share of the judged indicators is on course (0..1)
    binding: bool  # and, when True, every judged binding (约束性) indicator is on course
    text: str  # follows the kind's opening


# The overall judgement of each kind: the first row of the kind whose conditions hold. An
# indicator is on course when its status is neither lagging nor not achieved; the share is
# over the indicators with a status other than not evaluable (docs/reports.md).
VERDICTS: tuple[Verdict, ...] = (
    Verdict("annual", 0.90, True, "规划实施总体平稳有序，主要指标进展符合预期。"),
    Verdict("annual", 0.75, False, "规划实施总体平稳，部分指标进展滞后。"),
    Verdict("annual", 0.50, False, "规划实施总体推进，但进展滞后的指标较多。"),
    Verdict("annual", 0.00, False, "规划实施面临较大困难，多数主要指标进展滞后。"),
    Verdict("midterm", 0.90, True, "规划确定的目标任务总体进展顺利。"),
    Verdict("midterm", 0.75, False, "规划确定的目标任务总体进展基本顺利，部分指标进度滞后。"),
    Verdict("midterm", 0.50, False, "规划实施进展不够平衡，进度滞后的指标较多，后半程任务较重。"),
    Verdict("midterm", 0.00, False, "多数主要指标进度滞后，规划目标如期实现面临较大压力。"),
    Verdict("final", 0.90, True, "规划确定的主要目标任务总体完成。"),
    Verdict("final", 0.75, False, "规划确定的主要目标任务基本完成，部分指标未实现规划目标。"),
    Verdict("final", 0.50, False, "规划确定的主要目标任务部分完成，未实现规划目标的指标较多。"),
    Verdict("final", 0.00, False, "多数主要指标未实现规划目标。"),
)
# With fewer judged indicators than this share of all, no judgement is made (data too thin).
MIN_JUDGED = 0.5
NO_INDICATORS = "规划尚未录入主要指标，暂无法对目标任务完成情况作出总体判断。"
TOO_FEW_JUDGED = "多数主要指标暂无监测数据，暂无法对目标任务完成情况作出总体判断。"
NO_PERIOD = "{plan}实施以来，截至{year}年，"  # the opening when the plan period is unknown

TaskState = Literal["done", "on_track", "late", "not_started"]

# Chinese labels of task states, in the order the report lists them.
TASK_STATES: dict[TaskState, str] = {
    "done": "已完成",
    "on_track": "按进度推进",
    "late": "滞后",
    "not_started": "未启动",
}


@dataclass(frozen=True)
class Point:
    """One (year, value) point of a chart series."""

    year: int
    value: float


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the main indicators table, with the series its chart needs."""

    code: str
    name: str
    category: str
    unit: str
    attribute: str  # 预期性 / 约束性
    base_year: int
    base_value: float | None
    target_text: str  # the target as printed, e.g. "[13.5]" or "年均增长7%以上"
    target_year: int
    latest_year: int | None
    latest_value: float | None
    status: str
    status_zh: str
    reason: str
    warning: str  # green / yellow / red
    projection: str  # one sentence, may be empty
    series_label: str  # what the series shows, e.g. "年度增速(%)"
    series: tuple[Point, ...] = ()  # observed since the base year
    target_path: tuple[Point, ...] = ()
    history: tuple[Point, ...] = ()  # observed in the years before and at the base year


@dataclass(frozen=True)
class StatusCount:
    """How many indicators have one status."""

    status: str
    label: str
    count: int


@dataclass(frozen=True)
class GoalCounts:
    """Status counts of the indicators of one goal (the indicator category)."""

    goal: str
    counts: tuple[StatusCount, ...]


@dataclass(frozen=True)
class TaskRecord:
    """One measure or major project as the report sees it: where it stands and why."""

    title: str
    area: str  # key area (重点领域) the measure belongs to
    department: str  # lead unit
    state: TaskState
    is_project: bool = False
    due: str = ""  # ISO date or empty
    late_reason: str = ""


@dataclass(frozen=True)
class Completion:
    """Completion of the tasks of one key area or one department."""

    group: str
    total: int
    done: int
    on_track: int
    late: int
    not_started: int

    @property
    def rate(self) -> float:
        """Share of tasks done or on track, 0..1."""
        return (self.done + self.on_track) / self.total if self.total else 0.0


@dataclass(frozen=True)
class TaskSummary:
    """The key tasks and major projects part of a report."""

    total: int
    by_area: tuple[Completion, ...]
    by_department: tuple[Completion, ...]
    late: tuple[TaskRecord, ...]
    projects: tuple[TaskRecord, ...]


# Section keys whose text the planner may edit before publishing.
NARRATIVE_KEYS = ("overall", "problems", "next_steps")


@dataclass
class Report:
    """A complete report, ready to render."""

    kind: ReportKind
    plan: str
    year: int
    title: str
    issuer: str  # e.g. 市发展和改革委员会
    date: str  # ISO date of the report
    summary: str  # "X项主要指标中,A项提前实现、…"
    verdict: str  # the overall judgement (a VERDICTS text, or why there is none)
    status_counts: tuple[StatusCount, ...]
    goal_counts: tuple[GoalCounts, ...]
    indicators: tuple[IndicatorRow, ...]
    tasks: TaskSummary | None
    period: tuple[int, int] | None = None  # first and last year of the plan, when known
    # Narrative sections, one paragraph per string; drafted by `compose`, editable by the planner.
    narrative: dict[str, list[str]] = field(default_factory=dict)
