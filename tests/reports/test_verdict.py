"""The overall judgement of 总体进展 follows the indicators' statuses, for every kind of report."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.errors import Invalid
from luoshi.reports import report_from_tables
from luoshi.reports.compose import build_report, verdict
from luoshi.reports.evaluated import status_table
from luoshi.reports.model import KINDS, NO_INDICATORS, TOO_FEW_JUDGED, VERDICTS, IndicatorRow

DATA = Path(__file__).parent.parent / "data" / "reports"
ZH = dict(status_table())


def row(status: str, attribute: str = "预期性", n: int = 0) -> IndicatorRow:
    return IndicatorRow(
        code=f"I{n}",
        name=f"指标{n}",
        category="经济发展",
        unit="%",
        attribute=attribute,
        base_year=2025,
        base_value=1.0,
        target_text="5",
        target_year=2030,
        latest_year=2026,
        latest_value=1.0,
        status=status,
        status_zh=ZH[status],
        reason="",
        warning="green",
        projection="",
        series_label="",
    )


def rows(**counts: int) -> list[IndicatorRow]:
    out: list[IndicatorRow] = []
    for status, count in counts.items():
        out += [row(status, n=len(out) + i) for i in range(count)]
    return out


def overall(kind: str, year: int, indicators: list[IndicatorRow]) -> str:
    report = build_report(kind, "示例规划", year, indicators, status_table())
    return report.narrative["overall"][0]


# Sentences that are true only when (nearly) every indicator is on course.
TOP = {v.kind: v.text for v in VERDICTS if v.share >= 0.9}


def test_every_kind_has_a_verdict_for_any_share() -> None:
    for kind in KINDS:
        assert any(v.kind == kind and v.share == 0 and not v.binding for v in VERDICTS)


def test_final_report_with_most_indicators_not_achieved_never_says_completed() -> None:
    text = overall("final", 2030, rows(achieved=13, in_line=1, not_achieved=27))
    assert "总体完成" not in text
    assert "基本完成" not in text
    assert "多数主要指标未实现规划目标" in text
    assert "（2026—2030年）实施期已满，截至2030年，" in text


def test_final_report_from_the_test_tables_follows_the_numbers() -> None:
    final = report_from_tables(DATA / "indicators.csv", DATA / "observations.csv", 2030, "final")
    achieved = sum(r.status == "achieved" for r in final.indicators)
    judged = sum(r.status != "not_evaluable" for r in final.indicators)
    text = final.narrative["overall"][0]
    assert ("总体完成" in text) == (achieved >= 0.9 * judged)


@pytest.mark.parametrize(
    ("counts", "annual", "midterm", "final"),
    [
        ({"in_line": 10}, "总体平稳有序", "总体进展顺利", "总体完成"),
        ({"in_line": 8, "lagging": 2}, "部分指标进展滞后", "总体进展基本顺利", "基本完成"),
        ({"in_line": 6, "lagging": 4}, "滞后的指标较多", "进展不够平衡", "部分完成"),
        ({"in_line": 2, "lagging": 8}, "多数主要指标进展滞后", "面临较大压力", "多数"),
    ],
)
def test_thresholds(counts: dict[str, int], annual: str, midterm: str, final: str) -> None:
    troubled = "not_achieved"
    for kind, expected in (("annual", annual), ("midterm", midterm), ("final", final)):
        given = dict(counts)
        if kind == "final":  # at the target year a lagging indicator is not achieved
            given = {("achieved" if s == "in_line" else troubled): n for s, n in counts.items()}
        assert expected in verdict(kind, rows(**given)), kind


def test_a_binding_indicator_off_course_rules_out_the_best_judgement() -> None:
    indicators = [*rows(in_line=19), row("lagging", "约束性", 99)]
    for kind in KINDS:
        assert verdict(kind, indicators) != TOP[kind]
    assert "总体进展基本顺利" in verdict("midterm", indicators)


def test_plan_without_indicators_is_not_said_to_go_smoothly() -> None:
    for kind, year in (("annual", 2026), ("midterm", 2028), ("final", 2030)):
        text = "".join(overall(kind, year, []))
        assert NO_INDICATORS in text
        for claim in ("顺利", "平稳", "总体完成", "暂无主要指标数据"):
            assert claim not in text, (kind, claim)


def test_problems_of_a_plan_without_indicators_name_the_missing_indicators() -> None:
    report = build_report("midterm", "示例规划", 2028, [], status_table(), tasks=[])
    problems = "".join(report.narrative["problems"])
    assert "主要指标尚未录入" in problems
    assert "顺利" not in problems
    assert "按进度推进" not in problems
    assert "录入规划主要指标" in report.narrative["next_steps"][0]


def test_problems_without_any_problem_claim_only_what_was_checked() -> None:
    plain = build_report("annual", "示例规划", 2026, rows(in_line=3), status_table())
    assert plain.narrative["problems"] == ["主要指标进展均符合预期，未发现明显问题。"]


def test_too_few_judged_indicators_give_no_judgement() -> None:
    assert verdict("midterm", rows(in_line=4, not_evaluable=6)) == TOO_FEW_JUDGED
    assert verdict("midterm", rows(in_line=5, not_evaluable=5)) == TOP["midterm"]


def test_explicit_period_is_used_in_the_opening() -> None:
    report = build_report(
        "midterm", "示例规划", 2028, rows(in_line=3), status_table(), period=(2026, 2030)
    )
    lead = "示例规划（2026—2030年）实施以来，截至2028年，"
    assert report.narrative["overall"][0].startswith(lead)


@pytest.mark.parametrize("year", [2026, 2029])
def test_final_report_before_the_plan_end_year_is_refused(year: int) -> None:
    with pytest.raises(Invalid, match="评估年份应为2030年或以后") as raised:
        build_report("final", "示例规划", year, rows(in_line=3), status_table())
    assert raised.value.where == "year"
    with pytest.raises(Invalid, match="规划期2026—2027年"):
        build_report("final", "P", 2026, [], status_table(), period=(2026, 2027))
    with pytest.raises(Invalid, match="annual"):
        report_from_tables(DATA / "indicators.csv", DATA / "observations.csv", year, "final")


@pytest.mark.parametrize("year", [2030, 2031])
def test_final_report_at_or_after_the_end_year_is_written(year: int) -> None:
    report = build_report("final", "示例规划", year, rows(achieved=3), status_table())
    assert report.narrative["overall"][0].startswith(
        f"示例规划（2026—2030年）实施期已满，截至{year}年，规划确定的主要目标任务总体完成。"
    )
