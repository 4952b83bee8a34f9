"""Generated reasons in English beside the Chinese ones: same facts, English wording, the
quoted terms, names and units as the plans write them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luoshi.indicators import read_indicators
from luoshi.matching.align import REASON_WORDING, _reason, plan_nodes
from luoshi.matching.align_indicators import (
    WORDING,
    align_indicators,
    compare_targets,
    propose_target,
    same_indicator,
)
from luoshi.matching.align_samples import load_plan
from luoshi.matching.assign import REASON_WORDING as ASSIGN_WORDING

DATA = Path(__file__).parents[1] / "data" / "align"
QUOTED = re.compile(r"“[^”]*”")


def _rows(name: str) -> list[dict]:
    return [r.to_dict() for r in read_indicators(DATA / name)]


def _chinese_words(*tables: dict[str, str]) -> set[str]:
    """Runs of 2+ Chinese characters of the Chinese templates, outside their quotes."""
    return {
        run
        for table in tables
        for text in table.values()
        for run in re.findall(r"[\u4e00-\u9fff]{2,}", QUOTED.sub("", text))
    }


@pytest.mark.parametrize("table", [REASON_WORDING, WORDING, ASSIGN_WORDING])
def test_every_sentence_has_both_languages_with_the_same_placeholders(table) -> None:
    assert set(table["zh"]) == set(table["en"])
    for key, zh in table["zh"].items():
        fields = sorted(re.findall(r"\{(\w+)", zh))
        assert fields == sorted(re.findall(r"\{(\w+)", table["en"][key])), key
        assert not re.search(r"[\u4e00-\u9fff]", QUOTED.sub("", table["en"][key])), key


def test_indicator_pairs_compare_targets_in_english_too() -> None:
    result = align_indicators(_rows("city-indicators.csv"), _rows("district-indicators.csv"))
    pairs = {p["upper"]["code"]: p for p in result.pairs}
    assert pairs["C02"]["target_reason"] == "本地目标2.5%,低于上级要求3%"
    assert pairs["C02"]["target_reason_en"] == "local target 2.5%, below the upper requirement 3%"
    assert pairs["C01"]["target_reason_en"].endswith("not below the upper requirement 5.5%")
    assert pairs["C03"]["reason_en"] == (
        "synonyms: 城镇新增就业 = 全区城镇新增就业人数; unit conversion 1万人 = 10000人"
    )
    gap = result.missing[0]["proposal"]
    assert gap["arithmetic_en"].startswith("Local base unknown: keep the upper target 41%")
    words = _chinese_words(WORDING["zh"])
    for pair in result.pairs:
        for key in ("reason_en", "target_reason_en"):
            assert not [w for w in words if w in pair[key]], pair[key]


def test_compare_targets_speaks_the_language_asked_for() -> None:
    upper = {"kind": "level", "target": 80.0, "unit": "岁"}
    lower = {"kind": "level", "target": 81.0, "unit": "岁"}
    assert compare_targets(upper, lower) == ("meets", "本地目标81岁,不低于上级要求80岁")
    assert compare_targets(upper, lower, language="en") == (
        "meets",
        "local target 81岁, not below the upper requirement 80岁",
    )


@pytest.mark.parametrize(
    ("kind", "local_base", "says"),
    [
        ("cumulative_reduction", None, "i.e. an annual reduction of 1 − (1 − 17%)^(1/5) = 3.66%."),
        ("at_most", 20.0, "Keep the upper bound: at most 17% every year; the local base 20%"),
        ("level", 10.0, "a rise of 7% (about 1.4% a year)"),
        ("cumulative_increase", 3.0, "at least 17%: 3 + 17 = 20%."),
    ],
)
def test_proposals_keep_their_arithmetic_in_english(kind, local_base, says) -> None:
    upper = {"name": "某指标", "code": "X1", "kind": kind, "target": 17.0, "unit": "%",
             "base_value": 15.0, "base_year": 2025, "target_year": 2030}  # fmt: skip
    proposal = propose_target(upper, local_base)
    assert says in proposal.arithmetic_en
    numbers = re.findall(r"\d+(?:\.\d+)?", proposal.arithmetic)
    assert sorted(numbers) == sorted(re.findall(r"\d+(?:\.\d+)?", proposal.arithmetic_en))


def test_same_indicator_reason_in_english() -> None:
    same = same_indicator({"name": "国内生产总值增长"}, {"name": "要在保持经济增速高于全国"})
    assert same.reason == "表述中含同义指标“国内生产总值增长”,请人工确认"
    assert same.reason_en == "the wording contains the synonym “国内生产总值增长”; please check"


def test_node_pair_reasons_in_english() -> None:
    nodes = plan_nodes(load_plan("city-speech").outline)
    goal = next(n for n in nodes if n.role == "goal")
    task = next(n for n in nodes if n.role == "task")
    assert _reason(goal, task, ["科技创新", "创新"], False, True) == (
        "已由人工确认;共同要点:科技创新、创新;上级目标对应下级任务",
        "confirmed by a person; shared terms: 科技创新, 创新; upper goal to lower task",
    )
    assert _reason(goal, goal, [], True, False) == (
        "主要目标一一对应",
        "main goals paired one to one",
    )
    assert _reason(task, task, ["水"], False, False)[1] == "shared terms: 水; both a task"
