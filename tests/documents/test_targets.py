"""Targets as plans write them → kind (METHOD.md §1), number, unit, year, comparison, subject."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from luoshi.documents.targets import TARGET_PATTERNS, find_targets, parse_target_cell

GOLDEN = Path(__file__).parents[1] / "data" / "documents" / "targets.tsv"


def _cases() -> list[dict[str, str]]:
    """Sentences and what a planner reads in them (tests/data/documents/targets.tsv)."""
    with GOLDEN.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c["sentence"] for c in CASES])
def test_target_is_read_as_planners_mean_it(case: dict[str, str]) -> None:
    (target,) = find_targets(case["sentence"])
    value = float(case["value"]) if case["value"] else None
    year = int(case["year"]) if case["year"] else None
    assert (target.kind, target.value, target.unit, target.year) == (
        case["kind"],
        value,
        case["unit"] or None,
        year,
    )
    assert (target.comparison, target.subject, target.benchmark) == (
        case["comparison"] or None,
        case["subject"] or None,
        case["benchmark"] or None,
    )
    assert target.binding is (case["binding"] == "yes")
    start, end = target.span
    assert case["sentence"][start:end] == target.text
    assert target.text.startswith(case["subject"])


def test_text_without_targets_has_none() -> None:
    assert find_targets("坚持稳中求进工作总基调,完整准确全面贯彻新发展理念。") == []
    assert find_targets("2026年1月10日") == []


def test_several_targets_in_one_sentence_keep_their_own_subjects() -> None:
    targets = find_targets("到2030年,地区生产总值年均增长6%左右,常住人口城镇化率达到65%。")
    assert [(t.subject, t.kind, t.year) for t in targets] == [
        ("地区生产总值", "avg_rate_at_least", 2030),
        ("常住人口城镇化率", "level", 2030),
    ]


CELLS = [
    ("[13.5]", False, True, "cumulative_reduction", 13.5),
    ("〔1〕", False, False, "cumulative_increase", 1.0),
    (">6.5", True, False, "avg_rate_at_least", 6.5),
    ("<5.5", False, False, "at_most", 5.5),
    ("65", False, False, "level", 65.0),
    ("5左右", True, False, "avg_rate_at_least", 5.0),
    ("与经济增长同步", True, False, "rate_in_step", None),
    ("保持在合理区间", True, False, "avg_rate_in_range", None),
    ("稳步提高", False, False, "qualitative", None),
    ("—", False, False, None, None),
]


@pytest.mark.parametrize(("cell", "rate", "reducing", "kind", "value"), CELLS)
def test_indicator_table_cells(cell: str, rate: bool, reducing: bool, kind: str, value) -> None:
    read = parse_target_cell(cell, rate_column=rate, reducing=reducing)
    assert (read.kind, read.value) == (kind, value)


def test_every_pattern_row_reads_its_own_example() -> None:
    for row in TARGET_PATTERNS:
        targets = find_targets(row.example)
        assert targets, row.key
        assert targets[0].kind == row.kind, row.key


def test_a_series_pairs_each_subject_with_its_value() -> None:
    targets = find_targets("单位地区生产总值能耗和二氧化碳排放分别降低13.5%、18%,达到65%、2030年")
    assert [(t.subject, t.value, t.kind) for t in targets] == [
        ("单位地区生产总值能耗", 13.5, "cumulative_reduction"),
        ("二氧化碳排放", 18.0, "cumulative_reduction"),
        (None, 65.0, "level"),
    ]


# Where lead words overlap or one is the start of another, the target a planner reads wins.
OVERLAPS = [
    ("森林覆盖率不低于25%。", "at_least", 25.0, "不低于"),  # not 低于 inside it
    ("单位地区生产总值能耗降低到0.35吨标准煤。", "level", 0.35, "降低到"),  # not 降低 x%
    ("人均预期寿命提高到80岁。", "level", 80.0, "提高到"),  # not 提高 x岁
    ("经济增速领先于全省平均水平。", "rate_above", None, "领先于"),
    ("经济增速领先全国平均水平。", "rate_above", None, "领先"),
]


@pytest.mark.parametrize(("sentence", "kind", "value", "comparison"), OVERLAPS)
def test_overlapping_lead_words_give_the_longer_reading(
    sentence: str, kind: str, value: float | None, comparison: str
) -> None:
    (target,) = find_targets(sentence)
    assert (target.kind, target.value, target.comparison) == (kind, value, comparison)
