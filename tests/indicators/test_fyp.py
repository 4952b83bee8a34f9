"""Hand-computed FYP judgements: every target kind, every status (METHOD.md §1).

Base year 2025, target year 2030 unless a case says otherwise; at 2027 time progress is
τ = 2/5 = 40%. Bands: expected 0.10, binding 0.05 (settings defaults).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from indicator_builders import judge

LEVEL = {"kind": "level", "base_value": 70, "target": 75}
BOUND_LOW = {"kind": "at_least", "base_value": 105, "target": 100, "tolerance": 2}
BOUND_HIGH = {"kind": "at_most", "base_value": 5.2, "target": 5.5, "tolerance": 0.2}
RATE = {"kind": "avg_rate_at_least", "target": 7}
REDUCTION = {"kind": "cumulative_reduction", "target": 13.5}
INCREASE = {"kind": "cumulative_increase", "base_value": 79, "target": 1}
ALL_YEARS = (2026, 2027, 2028, 2029, 2030)
ROW_COLUMNS = ("kind", "attribute", "direction", "base_value", "target", "target_high", "tolerance")
CASES_FILE = Path(__file__).parent.parent / "data" / "indicators" / "fyp_cases.csv"


def _cases() -> list:
    """The golden table: one indicator, its observations, the year, the expected judgement."""
    out = []
    with CASES_FILE.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            row = {k: r[k] for k in ROW_COLUMNS if r[k]}
            pairs = (p.split(":") for p in r["observations"].split(";"))
            values = {int(y): (float(v) if v else None) for y, v in pairs}
            progress = float(r["progress"]) if r["progress"] else None
            out.append(
                pytest.param(row, values, int(r["year"]), r["status"], progress, id=r["case"])
            )
    return out


@pytest.mark.parametrize(("row", "values", "year", "status", "progress"), _cases())
def test_status_and_progress(row, values, year, status, progress) -> None:
    if row["kind"] == "qualitative":
        e = judge(
            row,
            {},
            year,
            extra_obs=[{"code": "X", "year": 2026, "note": "无判定", "annual_target": 1}],
        )
    else:
        e = judge(row, values, year)
    assert e.status == status
    if progress is None:
        assert e.achievement_progress is None
    else:
        assert e.achievement_progress == pytest.approx(progress, abs=1e-3)


@pytest.mark.parametrize(
    ("year", "tau"), [(2025, 0.0), (2026, 0.2), (2027, 0.4), (2028, 0.6), (2030, 1.0), (2033, 1.0)]
)
def test_time_progress(year: int, tau: float) -> None:
    assert judge(LEVEL, {2026: 71}, year).time_progress == pytest.approx(tau)


def test_baseline_revision_is_used_and_said() -> None:
    # Planned base 70 → π = 2.6/5 = 52% (faster); revised base 71 → π = 1.6/4 = 40% (in line).
    e = judge(LEVEL, {2025: 71, 2027: 72.6}, 2027)
    assert (e.status, e.base_value, e.planned_base_value, e.base_revised) == (
        "in_line",
        71,
        70,
        True,
    )
    assert e.achievement_progress == pytest.approx(0.4)
    assert "基期值采用修订值71，规划基期值70" in e.reason


def test_base_year_row_equal_to_plan_is_not_a_revision() -> None:
    e = judge(LEVEL, {2025: 70, 2027: 72}, 2027)
    assert not e.base_revised and "修订" not in e.reason


@pytest.mark.parametrize(
    ("row", "values", "reason"),
    [
        (
            REDUCTION,
            {2026: 1.2, 2027: 1.6},
            "累计降低2.78%(目标[13.5])，序时进度要求5.4%，完成进度20.6%，慢于序时进度40%",
        ),
        (LEVEL, {2027: 73}, "2027年为73(基期70，目标75)，完成进度60%，快于序时进度40%"),
        (LEVEL, {2027: 69}, "与目标方向相反(完成进度-20%)"),
        (BOUND_LOW, {2026: 101, 2027: 99}, "各年均未突破约束(其中1个年份在容差内)"),
        (BOUND_LOW, {2026: 97, 2027: 96}, "有2个年份突破约束且超出容差"),
        (RATE, {2026: 8, 2027: 6}, "2026—2027年年均增长7%(目标年均7%以上)"),
        (INCREASE, {2027: 79.4}, "累计变化0.4(目标[1])，序时进度要求0.4"),
        (LEVEL, {2024: 1}, "2026—2027年无观测数据"),
    ],
)
def test_reason_sentence_has_the_numbers(row, values, reason) -> None:
    assert reason in judge(row, values, 2027).reason


BENCH = {
    "code": "B",
    "name": "对标",
    "kind": "avg_rate_at_least",
    "target": 5,
    "base_year": 2025,
    "target_year": 2030,
}


def _relative(kind: str, own: dict[int, float], bench: dict[int, float], year: int, **extra):
    row = {"kind": kind, "benchmark": "B"} | extra
    bench_obs = [{"code": "B", "year": y, "value": v} for y, v in bench.items()]
    return judge(row, own, year, extra_rows=[BENCH], extra_obs=bench_obs)


@pytest.mark.parametrize(
    ("kind", "own", "bench", "year", "status"),
    [
        ("rate_above", {2026: 6, 2027: 5}, {2026: 5, 2027: 5}, 2027, "in_line"),
        ("rate_above", {2026: 4, 2027: 5}, {2026: 5, 2027: 5}, 2027, "lagging"),
        ("rate_above", {2026: 5, 2027: 5}, {2026: 5, 2027: 5}, 2027, "lagging"),
        ("rate_above", dict.fromkeys(ALL_YEARS, 6), dict.fromkeys(ALL_YEARS, 5), 2030, "achieved"),
        (
            "rate_above",
            dict.fromkeys(ALL_YEARS, 4),
            dict.fromkeys(ALL_YEARS, 5),
            2030,
            "not_achieved",
        ),
        ("rate_above", {2026: 6, 2027: 6}, {2026: 5}, 2027, "in_line"),  # only paired years count
        ("rate_above", {2026: 6}, {2027: 5}, 2027, "not_evaluable"),
        ("rate_in_step", {2026: 5.5, 2027: 5.5}, {2026: 6, 2027: 6}, 2027, "in_line"),
        ("rate_in_step", {2026: 8, 2027: 8}, {2026: 6, 2027: 6}, 2027, "faster"),
        ("rate_in_step", {2026: 4, 2027: 4}, {2026: 6, 2027: 6}, 2027, "lagging"),
        (
            "rate_in_step",
            dict.fromkeys(ALL_YEARS, 6.4),
            dict.fromkeys(ALL_YEARS, 6),
            2030,
            "achieved",
        ),
        (
            "rate_in_step",
            dict.fromkeys(ALL_YEARS, 8),
            dict.fromkeys(ALL_YEARS, 6),
            2030,
            "not_achieved",
        ),
    ],
)
def test_relative_targets_against_benchmark(kind, own, bench, year, status) -> None:
    assert _relative(kind, own, bench, year).status == status


def test_relative_reason_names_both_averages() -> None:
    e = _relative("rate_in_step", {2026: 5.5, 2027: 5.5}, {2026: 6, 2027: 6}, 2027, tolerance=1)
    assert e.reason == "2026—2027年年均5.5%，对标指标B年均6%(容差±1个百分点)，低于对标0.5个百分点"


def test_benchmark_falls_back_to_the_series_without_region() -> None:
    table_rows = [BENCH]
    own = [{"code": "X", "year": y, "value": 6, "region": "甲区"} for y in (2026, 2027)]
    national = [{"code": "B", "year": y, "value": 5} for y in (2026, 2027)]
    e = judge(
        {"kind": "rate_above", "benchmark": "B"},
        {},
        2027,
        extra_rows=table_rows,
        extra_obs=own + national,
        region="甲区",
    )
    assert (e.region, e.status) == ("甲区", "in_line")


@pytest.mark.parametrize(
    ("judgement", "year", "status"),
    [
        ("基本符合预期", 2027, "in_line"),
        ("lagging", 2027, "lagging"),
        ("已实现", 2031, "achieved"),
        ("in_line", 2025, "not_evaluable"),
    ],
)
def test_qualitative_records_a_persons_judgement(judgement, year, status) -> None:
    obs = [
        {
            "code": "X",
            "year": min(max(year, 2026), 2030),
            "judgement": judgement,
            "note": "督查组意见",
        }
    ]
    e = judge({"kind": "qualitative"}, {}, year, extra_obs=obs)
    assert e.status == status
    assert e.projection is None


@pytest.mark.parametrize(
    ("row", "values", "warning"),
    [
        (LEVEL | {"attribute": "binding"}, {2027: 70.5}, "red"),  # binding and lagging
        (LEVEL, {2027: 70.5}, "yellow"),  # expected and lagging
        (LEVEL, {2026: 71, 2027: 72}, "green"),  # in line and on pace: 70 + 2 × 5/2 = 75
        (LEVEL, {2027: 71.8}, "yellow"),  # in line but 70 + 1.8 × 2.5 = 74.5 misses 75
        (LEVEL, {2029: 74, 2030: 74.5}, "red"),  # final year, not achieved
        (LEVEL, {2024: 1}, "yellow"),  # no data
        (REDUCTION, {2026: 5, 2027: 5}, "green"),
    ],
)
def test_warning_rules(row, values, warning) -> None:
    assert judge(row, values, 2030 if 2030 in values else 2027).warning == warning


@pytest.mark.parametrize(
    ("row", "values", "value", "meets"),
    [
        (LEVEL, {2026: 71, 2027: 72}, 75.0, True),  # linear: 70 + (72 − 70) × 5/2
        (LEVEL, {2027: 71.8}, 74.5, False),
        (REDUCTION, {2026: 3, 2027: 3}, 100 * (1 - 0.97**5), True),  # compound: 14.13 ≥ 13.5
        (RATE, {2026: 6, 2027: 6}, 6.0, False),
        (INCREASE, {2026: 79.2}, 80.0, True),
        (BOUND_HIGH | {"base_value": 5.1}, {2027: 5.4}, 5.1 + 0.3 * 5 / 2, False),  # 5.85 > 5.7
    ],
)
def test_projection_to_target_year(row, values, value, meets) -> None:
    p = judge(row, values, 2027).projection
    assert p is not None
    assert (p.year, p.meets_target) == (2030, meets)
    assert p.value == pytest.approx(value, abs=0.01)


@pytest.mark.parametrize(
    ("row", "value", "annual", "met"),
    [
        (BOUND_HIGH, 5.6, 5.5, False),
        (BOUND_HIGH, 5.4, 5.5, True),
        (RATE, 7.2, 7.0, True),
        (REDUCTION, 2.4, 2.7, False),
    ],
)
def test_annual_targets_are_judged_year_by_year(row, value, annual, met) -> None:
    obs = [{"code": "X", "year": 2026, "value": value, "annual_target": annual}]
    e = judge(row, {}, 2026, extra_obs=obs)
    assert e.annual is not None
    assert (e.annual.year, e.annual.target, e.annual.value, e.annual.met) == (
        2026,
        annual,
        value,
        met,
    )
    assert judge(row, {}, 2027, extra_obs=obs).annual is None


def test_regions_are_judged_separately_and_missing_ones_reported() -> None:
    obs = [
        {"code": "X", "year": 2027, "value": 73, "region": "甲区"},
        {"code": "X", "year": 2027, "value": 70.5, "region": "乙区"},
        {"code": "Y", "year": 2027, "value": 1, "region": "丙区"},
    ]
    other = {
        "code": "Y",
        "name": "其他",
        "kind": "level",
        "base_value": 0,
        "target": 5,
        "base_year": 2025,
        "target_year": 2030,
    }
    statuses = {
        r: judge(LEVEL, {}, 2027, extra_rows=[other], extra_obs=obs, region=r).status
        for r in ("甲区", "乙区", "丙区")
    }
    assert statuses == {"甲区": "faster", "乙区": "lagging", "丙区": "not_evaluable"}


JSON_FIELDS = (
    "code",
    "name",
    "kind",
    "status",
    "status_zh",
    "reason",
    "time_progress",
    "achievement_progress",
    "latest_year",
    "latest_value",
    "projection",
    "warning",
    "sdg",
)


def test_to_dict_has_the_documented_fields() -> None:
    d = judge(LEVEL, {2027: 73}, 2027, method="both").to_dict()
    assert set(JSON_FIELDS) <= set(d)
    assert set(d["projection"]) == {"year", "value", "meets_target"}
    assert (d["status_zh"], d["latest_year"], d["latest_value"]) == ("快于预期", 2027, 73)


def test_qualitative_reason_names_the_year_of_the_judgement() -> None:
    obs = [
        {"code": "X", "year": 2026, "judgement": "lagging"},
        {"code": "X", "year": 2027, "judgement": "基本符合预期"},
    ]
    e = judge({"kind": "qualitative"}, {}, 2027, extra_obs=obs)
    assert (e.status, e.reason) == ("in_line", "2027年评估人员判定为“基本符合预期”")
