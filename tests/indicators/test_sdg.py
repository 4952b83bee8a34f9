"""The UN SDG progress method, hand-computed (docs/method.md §SDG).

Level indicator, base 50 in 2025, target 100 in 2030: the required growth is
CAGR_r = 2^(1/5) − 1 = 14.87% a year.
"""

from __future__ import annotations

import pytest
from indicator_builders import judge

from luoshi.settings import Settings

LEVEL = {"kind": "level", "base_value": 50, "target": 100}
DOWN = {"kind": "level", "direction": "down", "base_value": 10, "target": 5}


@pytest.mark.parametrize(
    ("row", "latest", "ratio", "un", "open_sdg"),
    [
        # (60/50)^(1/2) − 1 = 9.54%; 9.54 / 14.87 = 0.642
        (LEVEL, 60, 0.6419, "moderate_progress", "moderate_progress"),
        # (55/50)^(1/2) − 1 = 4.88%; ratio 0.328: UN "limited" (≥ −0.1), Open SDG "limited" (≥ 0)
        (LEVEL, 55, 0.3283, "limited_progress", "limited_progress"),
        # (48/50)^(1/2) − 1 = −2.02%; ratio −0.136 < −0.1
        (LEVEL, 48, -0.1359, "deterioration", "deterioration"),
        # (49.5/50)^(1/2) − 1 = −0.50%; ratio −0.034: UN still "limited", Open SDG "deterioration"
        (LEVEL, 49.5, -0.0338, "limited_progress", "deterioration"),
        # (75/50)^(1/2) − 1 = 22.47%; ratio 1.511
        (LEVEL, 75, 1.5114, "substantial_progress", "substantial_progress"),
        (LEVEL, 100, None, "target_achieved", "target_achieved"),
        # smaller is better: (9/10)^(1/2) − 1 = −5.13% against −12.94% → ratio 0.397
        (DOWN, 9, 0.3965, "limited_progress", "limited_progress"),
    ],
)
def test_sdg_status_and_ratio(row, latest, ratio, un, open_sdg) -> None:
    for profile, expected in (("un", un), ("open_sdg", open_sdg)):
        settings = Settings(sdg_profile=profile)
        e = judge(row, {2027: latest}, 2027, method="sdg", settings=settings)
        assert e.sdg is not None
        assert (e.sdg.status, e.sdg.profile) == (expected, profile)
        if ratio is not None:
            assert e.sdg.ratio == pytest.approx(ratio, abs=1e-3)


def test_rates_are_judged_on_their_index() -> None:
    # 7%, 7% against a 7% target: index 114.49 after 2 years, exactly on the required path.
    e = judge({"kind": "avg_rate_at_least", "target": 7}, {2026: 7, 2027: 7}, 2027, method="sdg")
    assert e.sdg.status == "substantial_progress"
    assert e.sdg.ratio == pytest.approx(1.0)
    assert e.sdg.cagr_actual == pytest.approx(0.07)


def test_reduction_is_a_falling_index() -> None:
    # 3% a year against [13.5]: required (0.865)^(1/5) − 1 = −2.86%; actual −3% → ratio 1.05
    e = judge(
        {"kind": "cumulative_reduction", "target": 13.5}, {2026: 3, 2027: 3}, 2027, method="sdg"
    )
    assert e.sdg.status == "substantial_progress"
    assert e.sdg.ratio == pytest.approx(0.03 / (1 - 0.865**0.2), abs=1e-3)


@pytest.mark.parametrize(
    ("row", "values"),
    [
        ({"kind": "qualitative"}, {2026: None}),
        (LEVEL, {2024: 1}),
        (LEVEL | {"base_value": 0}, {2027: 5}),
    ],
)
def test_not_available(row, values) -> None:
    extra = (
        [{"code": "X", "year": 2026, "judgement": "in_line"}]
        if row["kind"] == "qualitative"
        else []
    )
    e = judge(row, {} if extra else values, 2027, method="both", extra_obs=extra)
    assert e.sdg.status == "not_available"


def test_fyp_only_has_no_sdg_and_both_show_where_methods_differ() -> None:
    assert judge(LEVEL, {2027: 60}, 2027).sdg is None
    # FYP is linear: π = 10/50 = 20% against τ = 40% (lagging); SDG is compound: 9.5% a year
    # against 14.9% needed, ratio 0.64 (moderate progress).
    both = judge(LEVEL, {2027: 60}, 2027, method="both")
    assert (both.status, both.sdg.status) == ("lagging", "moderate_progress")


# Threshold boundaries (sdg_statuses.csv), one observed year after the base so every figure is
# a one-line sum. With a target: a 10 % average-rate target needs CAGR_r = 10 %, so an observed
# rate of x % gives r = x / 10. UN cut-offs 0.95 / 0.5 / −0.1; Open SDG 0.95 / 0.6 / 0.
RATE_10 = {"kind": "avg_rate_at_least", "target": 10}


@pytest.mark.parametrize(
    ("rate", "ratio", "un", "open_sdg"),
    [
        (9.6, 0.96, "substantial_progress", "substantial_progress"),
        (9.4, 0.94, "moderate_progress", "moderate_progress"),
        (6.1, 0.61, "moderate_progress", "moderate_progress"),
        (5.9, 0.59, "moderate_progress", "limited_progress"),
        (5.1, 0.51, "moderate_progress", "limited_progress"),
        (4.9, 0.49, "limited_progress", "limited_progress"),
        (0.1, 0.01, "limited_progress", "limited_progress"),
        (-0.1, -0.01, "limited_progress", "deterioration"),
        (-0.9, -0.09, "limited_progress", "deterioration"),
        (-1.1, -0.11, "deterioration", "deterioration"),
    ],
)
def test_ratio_thresholds_on_each_side(rate, ratio, un, open_sdg) -> None:
    for profile, expected in (("un", un), ("open_sdg", open_sdg)):
        e = judge(RATE_10, {2026: rate}, 2026, method="sdg", settings=Settings(sdg_profile=profile))
        assert e.sdg.ratio == pytest.approx(ratio, abs=1e-9)
        assert e.sdg.cagr_required == pytest.approx(0.10)
        assert e.sdg.status == expected, profile


# Without a usable target (here "down to 0": no growth rate reaches zero) the CAGR itself is
# graded, signed by the direction: base 100 in 2025, value v in 2026 → score = 1 − v/100.
# UN cut-offs 1 % / 0.5 % / −0.5 %; Open SDG 1.5 % / 0.5 % / 0.
TO_ZERO = {"kind": "level", "direction": "down", "base_value": 100, "target": 0}


@pytest.mark.parametrize(
    ("value", "score", "un", "open_sdg"),
    [
        (98.4, 0.016, "substantial_progress", "substantial_progress"),
        (98.6, 0.014, "substantial_progress", "moderate_progress"),
        (98.9, 0.011, "substantial_progress", "moderate_progress"),
        (99.1, 0.009, "moderate_progress", "moderate_progress"),
        (99.4, 0.006, "moderate_progress", "moderate_progress"),
        (99.6, 0.004, "limited_progress", "limited_progress"),
        (100.4, -0.004, "limited_progress", "deterioration"),
        (100.6, -0.006, "deterioration", "deterioration"),
    ],
)
def test_growth_thresholds_without_a_target_rate(value, score, un, open_sdg) -> None:
    for profile, expected in (("un", un), ("open_sdg", open_sdg)):
        e = judge(
            TO_ZERO, {2026: value}, 2026, method="sdg", settings=Settings(sdg_profile=profile)
        )
        assert e.sdg.ratio is None and e.sdg.cagr_required is None
        assert -e.sdg.cagr_actual == pytest.approx(score, abs=1e-9)
        assert e.sdg.status == expected, profile
