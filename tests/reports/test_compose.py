"""What a report says: counts, the summary sentence, drafts and the planner's edits."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from luoshi.errors import Invalid
from luoshi.indicators.evaluation import Evaluation
from luoshi.reports import plan_name
from luoshi.reports.compose import build_report, run_in_heading, summary_sentence
from luoshi.reports.evaluated import status_table
from luoshi.reports.model import KINDS, Report, StatusCount


def test_summary_sentence_counts_match_the_evaluation(
    report: Report, evaluations: list[Evaluation]
) -> None:
    counts = Counter(e.status_zh for e in evaluations)
    expected = "、".join(f"{n}项{label}" for _, label in status_table() if (n := counts[label]))
    assert report.summary == f"{len(evaluations)}项主要指标中，{expected}。"
    assert sum(c.count for c in report.status_counts) == len(evaluations)


@pytest.mark.parametrize(
    ("counts", "sentence"),
    [
        (
            [("提前实现", 1), ("快于预期", 2), ("基本符合预期", 3), ("进度滞后", 4)],
            "10项主要指标中，1项提前实现、2项快于预期、3项基本符合预期、4项进度滞后。",
        ),
        ([("提前实现", 0), ("基本符合预期", 5)], "5项主要指标中，5项基本符合预期。"),
        ([], "暂无主要指标数据。"),
    ],
)
def test_summary_sentence_lists_statuses_that_occur(
    counts: list[tuple[str, int]], sentence: str
) -> None:
    assert summary_sentence([StatusCount(label, label, n) for label, n in counts]) == sentence


@pytest.mark.parametrize(
    ("text", "heading", "rest"),
    [
        ("（一）加快补短板。正文内容。", "（一）加快补短板。", "正文内容。"),
        ("(十)强化监测。", "(十)强化监测。", ""),
        ("一是部分指标滞后。", "", "一是部分指标滞后。"),
    ],
)
def test_run_in_heading(text: str, heading: str, rest: str) -> None:
    assert run_in_heading(text) == (heading, rest)


def test_goal_counts_cover_every_indicator(report: Report) -> None:
    by_goal = {g.goal: sum(c.count for c in g.counts) for g in report.goal_counts}
    assert by_goal == Counter(r.category for r in report.indicators)


def test_problems_name_lagging_indicators_and_late_tasks(report: Report) -> None:
    problems = "".join(report.narrative["problems"])
    for row in report.indicators:
        assert (row.name in problems) == (
            row.status in {"lagging", "not_achieved", "not_evaluable"}
        )
    assert "征收补偿方案尚未批复" in problems


def test_task_summary_by_area_and_department(report: Report) -> None:
    assert report.tasks is not None
    areas = {c.group: (c.total, c.late) for c in report.tasks.by_area}
    assert areas["城乡融合发展"] == (2, 1)
    assert [t.title for t in report.tasks.projects] == [
        "轨道交通3号线二期工程",
        "建设综合性科学中心",
    ]
    assert report.tasks.by_department[0].late == 1  # departments with late tasks come first


def test_planner_edits_replace_drafts(report: Report) -> None:
    edited = build_report(
        "annual",
        "规划",
        report.year,
        report.indicators,
        status_table(),
        narrative={"next_steps": ["（一）抓好落实。具体措施。", "  "]},
    )
    assert edited.narrative["next_steps"] == ["（一）抓好落实。具体措施。"]
    assert edited.narrative["problems"][0] == report.narrative["problems"][0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "weekly"}, "未知报告类型"),
        ({"narrative": {"summary": ["x"]}}, "不可编辑的章节 summary"),
        ({"narrative": {"problems": ["很长" * 10_001]}}, "章节 problems 超过 20000 字"),
    ],
)
def test_bad_requests_are_refused(report: Report, kwargs: dict, message: str) -> None:
    args = {
        "kind": "annual",
        "plan": "规划",
        "year": report.year,
        "rows": report.indicators,
        "statuses": status_table(),
    } | kwargs
    with pytest.raises(Invalid, match=message):
        build_report(**args)


def test_kinds_differ_in_title_and_headings() -> None:
    titles = {k.title.format(plan="P", year=2027) for k in KINDS.values()}
    assert titles == {"P2027年实施情况监测报告", "P实施中期评估报告", "P实施总结评估报告"}
    assert len({k.next_steps for k in KINDS.values()}) == 3


@pytest.mark.parametrize(
    ("years", "name"),
    [
        ([2030, 2030], "国民经济和社会发展第十五个五年规划纲要"),
        ([2025], "国民经济和社会发展第十四个五年规划纲要"),
        ([2030, 2035], "规划纲要"),
        ([2031], "规划纲要"),
    ],
)
def test_default_plan_name(years: list[int], name: str) -> None:
    assert plan_name(years) == name


def test_final_report_speaks_of_targets_not_met() -> None:
    from luoshi.reports import report_from_tables

    data = Path(__file__).parent.parent / "data" / "reports"
    final = report_from_tables(data / "indicators.csv", data / "observations.csv", 2030, "final")
    assert {r.status for r in final.indicators} <= {"achieved", "not_achieved", "not_evaluable"}
    assert final.summary.endswith("项未实现、1项无法评估。")
    assert final.narrative["problems"][0].startswith("一是部分指标未实现规划目标。")
    assert final.narrative["next_steps"][0].startswith("（一）深入分析未完成指标的原因。")
