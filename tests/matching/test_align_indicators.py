"""Indicator alignment: one measure under many names and units, target proposals, gaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.indicators import read_indicators
from luoshi.matching.align_indicators import (
    align_indicators,
    compare_targets,
    name_key,
    propose_target,
    same_indicator,
)

DATA = Path(__file__).parents[1] / "data" / "align"


def _row(name: str, unit: str = "%", **more) -> dict:
    return {"code": name, "name": name, "unit": unit, **more}


@pytest.mark.parametrize(
    ("upper", "lower", "relation", "factor"),
    [
        (_row("研发经费投入强度"), _row("R&D经费占GDP比重(%)"), "same", 1.0),
        (_row("国内生产总值增长"), _row("全市地区生产总值增长"), "same", 1.0),
        (_row("单位国内生产总值二氧化碳排放降低"), _row("单位GDP二氧化碳排放下降"), "same", 1.0),
        (_row("城镇新增就业", "万人"), _row("全区城镇新增就业人数", "人"), "same", 1e4),
        (_row("居民人均可支配收入", "元"), _row("居民人均可支配收入", "万元"), "same", 1e-4),
        (_row("全社会研发经费投入增长"), _row("研发经费投入强度"), "related", 1.0),
        (_row("森林覆盖率"), _row("人均预期寿命", "岁"), "different", 1.0),
        (_row("城镇新增就业", "万人"), _row("城镇新增就业", "亿元"), "related", 1.0),
        (_row("国内生产总值增长"), _row("要在保持经济增速"), "similar", 1.0),
    ],
)
def test_same_indicator_under_other_names_and_units(upper, lower, relation, factor) -> None:
    same = same_indicator(upper, lower)
    assert same.relation == relation, same.reason
    assert same.factor == pytest.approx(factor)


def test_name_key_drops_region_words_units_and_abbreviations() -> None:
    assert name_key("全市地区生产总值增长(%)") == name_key("国内生产总值增长") == "生产总值增长"


UPPER = {"code": "U", "name": "x", "base_year": 2025, "target_year": 2030}


@pytest.mark.parametrize(
    ("upper", "local_base", "above", "kind", "target", "says"),
    [
        ({"kind": "cumulative_reduction", "target": 17}, None, False, "cumulative_reduction",
         17, "1 − (1 − 17%)^(1/5) = 3.66%"),
        ({"kind": "level", "target": 12.5, "base_value": 10, "unit": "%"}, 9.5, False,
         "level", 12.5, "需提高3%"),
        ({"kind": "level", "target": 26, "base_value": 25, "unit": "%"}, 40, False,
         "level", 41, "40 + 1 = 41%"),
        ({"kind": "level", "target": 30, "base_value": 35, "unit": "微克/立方米",
          "direction": "down"}, 28, False, "level", 23, "28 + -5 = 23"),
        ({"kind": "at_most", "target": 5.5, "unit": "%"}, 4.8, False, "at_most", 5.5,
         "已满足"),
        ({"kind": "avg_rate_at_least", "target": 7}, None, False, "avg_rate_at_least", 7,
         "不低于7%"),
        ({"kind": "avg_rate_in_range", "target": None}, None, True, "rate_above", None,
         "rate_above"),
        ({"kind": "avg_rate_in_range", "target": 4.5, "target_high": 5}, None, False,
         "avg_rate_in_range", 4.5, "4.5%—5%"),
        ({"kind": "cumulative_increase", "target": 1, "unit": "岁"}, 78.6, False,
         "cumulative_increase", 1, "78.6 + 1 = 79.6岁"),
        ({"kind": "qualitative", "target_text": "明显提高"}, None, False, "qualitative", None,
         "明显提高"),
    ],
)  # fmt: skip
def test_proposal_per_kind_shows_its_arithmetic(upper, local_base, above, kind, target, says):
    proposal = propose_target({**UPPER, **upper}, local_base, above_upper=above)
    assert proposal.kind == kind
    assert proposal.target == (None if target is None else pytest.approx(target))
    assert says in proposal.arithmetic
    if above:
        assert proposal.benchmark == "U"


def test_totals_keep_the_upper_rate_of_change_in_the_local_unit() -> None:
    upper = {**UPPER, "kind": "level", "target": 12, "unit": "万人", "base_value": 10}
    proposal = propose_target(upper, 90000, local_unit="人")
    assert proposal.target == pytest.approx(108000)
    assert proposal.unit == "人"
    assert "90000 × 1.2 = 108000人" in proposal.arithmetic


def test_totals_are_not_copied_down_without_bases() -> None:
    upper = {**UPPER, "kind": "level", "target": 140, "unit": "万亿元"}
    proposal = propose_target(upper, None)
    assert proposal.target is None
    assert "总量指标不能照搬" in proposal.arithmetic


@pytest.mark.parametrize(
    ("upper", "lower", "status"),
    [
        ({"kind": "cumulative_reduction", "target": 18}, {"kind": "cumulative_reduction",
          "target": 16}, "weaker"),
        ({"kind": "at_most", "target": 5.5}, {"kind": "at_most", "target": 5.0}, "meets"),
        ({"kind": "avg_rate_in_range"}, {"kind": "rate_above", "benchmark": "全国平均水平"},
         "meets"),
        ({"kind": "level", "target": 3}, {"kind": "at_least", "target": 3}, "not_comparable"),
    ],
)  # fmt: skip
def test_compare_local_target_with_upper(upper, lower, status) -> None:
    assert compare_targets(upper, lower)[0] == status


def _rows(name: str) -> list[dict]:
    return [i.to_dict() for i in read_indicators(DATA / name)]


def test_district_plan_missing_a_city_indicator_shows_exactly_that_gap() -> None:
    result = align_indicators(_rows("city-indicators.csv"), _rows("district-indicators.csv"))
    assert [g["upper"]["code"] for g in result.missing] == ["C05"]
    assert result.local_only == []
    pairs = {p["upper"]["code"]: p for p in result.pairs}
    assert {c: p["lower"]["code"] for c, p in pairs.items()} == {
        "C01": "D1", "C02": "D2", "C03": "D3", "C04": "D4", "C06": "D5",
    }  # fmt: skip
    assert pairs["C04"]["target_status"] == "weaker"  # [16] < [18]
    assert pairs["C02"]["target_status"] == "weaker"  # 2.5% < 3%
    assert pairs["C03"]["target_status"] == "not_comparable"  # a total: shares, not levels
    gap = result.missing[0]["proposal"]
    assert gap["kind"] == "level" and gap["target"] == 41


def test_local_bases_feed_the_gap_proposal() -> None:
    city = _rows("city-indicators.csv")
    result = align_indicators(city, _rows("district-indicators.csv"), local_bases={"C05": 45.0})
    assert "45 + 0.8 = 45.8%" in result.missing[0]["proposal"]["arithmetic"]


def test_a_pair_people_confirmed_counts_as_the_same_indicator() -> None:
    upper, lower = _row("每万人口高价值发明专利拥有量", "件"), _row("万人有效发明专利数", "件")
    assert same_indicator(upper, lower).relation == "different"
    same = same_indicator(upper, lower, confirmed=[(upper["name"], lower["name"])])
    assert (same.relation, same.reason) == ("same", "已由人工确认为同一指标")
    result = align_indicators([upper], [lower], confirmed=[(upper["name"], lower["name"])])
    assert result.missing == [] and len(result.pairs) == 1
