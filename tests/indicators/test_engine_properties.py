"""Property tests: the engine against a plain reference, row order, and better never worse."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_judge import reference

from luoshi.indicators import KINDS as ALL_KINDS
from luoshi.indicators import STATUSES, IndicatorTable, Observations, evaluate, evaluate_frame
from luoshi.settings import Settings

KINDS = list(ALL_KINDS)
RATE_KINDS = {
    "avg_rate_at_least",
    "avg_rate_in_range",
    "rate_above",
    "rate_in_step",
    "cumulative_reduction",
}
DEFAULTS = Settings()
one_decimal = st.integers(-30, 120).map(lambda i: i / 10)


@st.composite
def indicator(draw, code: str, kinds=KINDS) -> dict:
    kind = draw(st.sampled_from(kinds))
    base_year = draw(st.integers(2019, 2021))
    row = {
        "code": code,
        "name": f"指标{code}",
        "kind": kind,
        "attribute": draw(st.sampled_from(["expected", "binding"])),
        "direction": draw(st.sampled_from(["up", "down"]))
        if kind in ("level", "cumulative_increase")
        else ("down" if kind == "at_most" else "up"),
        "base_year": base_year,
        "target_year": base_year + draw(st.integers(3, 6)),
    }
    base = draw(st.integers(20, 80)) * 1.0
    sign = -1 if row["direction"] == "down" else 1
    if kind == "level":
        row |= {"base_value": base, "target": base + sign * draw(st.integers(1, 20))}
    elif kind in ("at_least", "at_most"):
        row |= {
            "base_value": base,
            "target": base + draw(st.integers(-5, 5)),
            "tolerance": draw(st.sampled_from([None, 0.5, 2.0])),
        }
    elif kind == "cumulative_increase":
        row |= {"base_value": base, "target": draw(st.integers(1, 10)) * 1.0}
    elif kind == "avg_rate_at_least":
        row["target"] = draw(st.integers(-3, 9)) * 1.0
    elif kind == "avg_rate_in_range":
        low = draw(st.integers(0, 4)) * 1.0
        row |= {
            "target": low,
            "target_high": low + 2,
            "tolerance": draw(st.sampled_from([None, 0.3])),
        }
    elif kind == "cumulative_reduction":
        row["target"] = draw(st.integers(5, 20)) * 1.0
    elif kind in ("rate_above", "rate_in_step"):
        row["benchmark"] = "B"
    return row


@st.composite
def observations_for(draw, row: dict, regions: list[str]) -> list[dict]:
    out = []
    for region in regions:
        years = draw(st.sets(st.integers(row["base_year"] - 1, row["target_year"] + 1), max_size=8))
        for y in sorted(years):
            if row["kind"] == "qualitative":
                out.append(
                    {
                        "code": row["code"],
                        "year": y,
                        "region": region,
                        "judgement": draw(st.sampled_from(["in_line", "lagging", "achieved"])),
                    }
                )
                continue
            if row["kind"] in RATE_KINDS:
                value = draw(one_decimal)
            else:
                value = round(row["base_value"] * (1 + draw(st.integers(-30, 40)) / 100), 2)
            out.append({"code": row["code"], "year": y, "region": region, "value": value})
    return out


@st.composite
def case(draw, kinds=KINDS, max_indicators: int = 8) -> tuple[list[dict], list[dict], int]:
    regions = draw(
        st.lists(st.sampled_from(["", "甲区", "乙区"]), min_size=1, max_size=3, unique=True)
    )
    bench = {
        "code": "B",
        "name": "对标",
        "kind": "avg_rate_at_least",
        "target": 5.0,
        "base_year": 2020,
        "target_year": 2025,
        "direction": "up",
        "attribute": "expected",
    }
    rows = [bench] + [
        draw(indicator(f"I{i}", kinds)) for i in range(draw(st.integers(1, max_indicators)))
    ]
    obs = [o for r in rows for o in draw(observations_for(r, regions))]
    if not obs:
        obs = [{"code": "B", "year": 2010, "value": 1.0, "region": regions[0]}]
    return rows, obs, draw(st.integers(2019, 2028))


def run_engine(rows, obs, year) -> dict:
    table = IndicatorTable.from_rows(rows)
    frame = evaluate_frame(table, Observations.from_rows(obs), year, settings=DEFAULTS)
    return {
        (r["code"], r["region"]): (r["status"], _number(r["achievement_progress"]))
        for r in frame.iter_rows(named=True)
    }


def _number(v: float | None) -> float | None:
    return None if v is None or v != v else v


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case())
def test_engine_agrees_with_the_plain_reference(data) -> None:
    rows, obs, year = data
    engine = run_engine(rows, obs, year)
    expected = reference(rows, obs, year)
    assert engine.keys() == expected.keys()
    for key, (status, progress) in expected.items():
        got_status, got_progress = engine[key]
        assert got_status == status, (key, rows, year)
        if progress is not None and progress == progress:
            assert got_progress == pytest.approx(progress, rel=1e-9, abs=1e-12), key


@settings(max_examples=60, deadline=None)
@given(case(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(data, rnd: random.Random) -> None:
    rows, obs, year = data
    shuffled_rows, shuffled_obs = rows[:], obs[:]
    rnd.shuffle(shuffled_rows)
    rnd.shuffle(shuffled_obs)
    first, second = run_engine(rows, obs, year), run_engine(shuffled_rows, shuffled_obs, year)
    assert {k: v[0] for k, v in first.items()} == {k: v[0] for k, v in second.items()}
    # Sums may add in another order: the same numbers up to the last bit.
    for key, (_, progress) in first.items():
        other = second[key][1]
        assert progress == other or progress == pytest.approx(other, rel=1e-12), key


MONOTONE_KINDS = [
    "level",
    "at_least",
    "at_most",
    "avg_rate_at_least",
    "cumulative_reduction",
    "cumulative_increase",
    "rate_above",
]


def _better(row: dict, value: float, step: float) -> float:
    """The same observation moved `step` in the direction the target calls better."""
    down = row["kind"] == "at_most" or row.get("direction") == "down"
    return round(value - step if down else value + step, 2)


@settings(max_examples=200, deadline=None)
@given(case(kinds=MONOTONE_KINDS, max_indicators=1), st.integers(0, 1000), st.integers(1, 50))
def test_a_better_observation_never_gives_a_worse_status(data, pick: int, step: int) -> None:
    rows, obs, year = data
    row = rows[1]
    mine = [
        i for i, o in enumerate(obs) if o["code"] == row["code"] and o["year"] > row["base_year"]
    ]
    if not mine:
        return
    i = mine[pick % len(mine)]
    improved = [dict(o) for o in obs]
    improved[i]["value"] = _better(row, obs[i]["value"], step / 10)
    table = IndicatorTable.from_rows(rows)
    region = obs[i]["region"]
    before = evaluate(table, Observations.from_rows(obs), year, region=region, settings=DEFAULTS)
    after = evaluate(
        table, Observations.from_rows(improved), year, region=region, settings=DEFAULTS
    )
    rank = {e.code: STATUSES[e.status].rank for e in before}
    for e in after:
        if e.code == row["code"]:
            assert STATUSES[e.status].rank >= rank[e.code], (row, obs[i], improved[i], year)
