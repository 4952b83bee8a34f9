"""Evaluate a year: run the FYP (and optionally SDG) method and explain every status.

`evaluate_frame` is the vectorised core (one Polars row per indicator × region, for services,
reports and benchmarks); `evaluate` wraps its rows as `Evaluation` objects with the reason
sentence in Chinese and the numbers behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from luoshi.errors import MethodError
from luoshi.indicators.fyp import Bands, judge_fyp
from luoshi.indicators.model import IndicatorTable, Observations
from luoshi.indicators.rules import kinds, reasons, sdg_statuses, statuses
from luoshi.indicators.sdg import judge_sdg
from luoshi.indicators.series import indicator_frame, summarise
from luoshi.settings import Settings, get_settings

METHODS = ("fyp", "sdg", "both")
# Kinds observed as annual rates whose compound average the reason quotes.
AVERAGED = ("avg_rate_at_least", "avg_rate_in_range", "rate_above", "rate_in_step")


def evaluate_frame(
    indicators: IndicatorTable,
    observations: Observations,
    year: int,
    *,
    method: str = "fyp",
    region: str | None = None,
    settings: Settings | None = None,
) -> pl.DataFrame:
    """Judge every indicator × region at `year`; one row each, statuses and numbers as columns."""
    if method not in METHODS:
        raise MethodError(f"未知评估方法“{method}”,应为 fyp、sdg 或 both unknown method")
    s = settings or get_settings()
    ind = indicator_frame(indicators, year, s.rate_in_step_tolerance)
    summary = summarise(ind, observations, year, region)
    fyp = judge_fyp(summary.arrays, year, Bands(s.band_expected, s.band_binding))
    cols = dict(fyp)
    if method in ("sdg", "both"):
        cols |= judge_sdg(summary.arrays, fyp, s.sdg_profile)
    return summary.frame.with_columns([pl.Series(k, v) for k, v in cols.items()])


@dataclass(frozen=True)
class Projection:
    """Where the indicator lands in the target year at the current pace."""

    year: int
    value: float | None
    meets_target: bool | None


@dataclass(frozen=True)
class SdgResult:
    """The SDG progress method's judgement of the same series."""

    status: str
    status_zh: str
    status_en: str
    ratio: float | None
    cagr_actual: float | None
    cagr_required: float | None
    profile: str


@dataclass(frozen=True)
class AnnualResult:
    """The annual target (年度目标) of the evaluation year, judged on its own."""

    year: int
    target: float
    value: float | None
    met: bool | None


@dataclass(frozen=True)
class Evaluation:
    """The judgement of one indicator in one region at one evaluation year."""

    code: str
    name: str
    region: str
    kind: str
    kind_zh: str
    attribute: str
    unit: str
    year: int
    status: str
    status_zh: str
    status_en: str
    reason: str
    reason_en: str
    time_progress: float | None
    achievement_progress: float | None
    base_year: int
    base_value: float | None
    planned_base_value: float | None
    base_revised: bool
    target_year: int
    target: float | None
    target_high: float | None
    latest_year: int | None
    latest_value: float | None
    projection: Projection | None
    warning: str
    annual: AnnualResult | None = None
    sdg: SdgResult | None = None
    numbers: dict[str, float | int | str | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the `luoshi evaluate --format json` object)."""
        out: dict[str, Any] = {k: getattr(self, k) for k in self.__dataclass_fields__}
        for k in ("projection", "annual", "sdg"):
            v = out[k]
            out[k] = None if v is None else dict(v.__dict__)
        return out


def evaluate(
    indicators: IndicatorTable,
    observations: Observations,
    year: int,
    *,
    method: str = "fyp",
    region: str | None = None,
    settings: Settings | None = None,
) -> list[Evaluation]:
    """Judge every indicator (× region) at `year`, with reasons; see `evaluate_frame`."""
    s = settings or get_settings()
    frame = evaluate_frame(indicators, observations, year, method=method, region=region, settings=s)
    with_sdg = method in ("sdg", "both")
    return [_evaluation(r, year, with_sdg, s.sdg_profile) for r in frame.iter_rows(named=True)]


def _num(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if f != f else f  # NaN


def fmt(v: float | None) -> str:
    """A number as a person writes it: at most two decimals, no trailing zeros."""
    if v is None or v != v:
        return "—"
    text = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pct(v: float | None) -> str:
    return "—" if v is None or v != v else fmt(round(v * 100, 1))


def _evaluation(r: dict[str, Any], year: int, with_sdg: bool, profile: str) -> Evaluation:
    kind = kinds()[r["kind"]]
    status = statuses()[r["status"]]
    judged = r["status"] != "not_evaluable"
    latest_year = r["latest_year"] if r["family"] != "relative" else r["pair_last_year"]
    first_year = r["first_year"] if r["family"] != "relative" else r["pair_first_year"]
    numbers: dict[str, Any] = {
        "base": _num(r["base_used"]),
        "latest": _num(r["latest_value"]),
        "latest_year": latest_year,
        "first_year": first_year,
        "target": _num(r["target"]),
        "target_high": _num(r["target_high"]),
        "tolerance": _num(r["tol"]),
        "avg": _num(r["average_rate"]) if judged and kind.code in AVERAGED else None,
        "bench_avg": _num(r["benchmark_average"]) if judged else None,
        "benchmark": r["benchmark"] or None,
        "cumulative": _num(r["cumulative_reduction"])
        if r["kind"] == "cumulative_reduction"
        else None,
        "change": _num(r["change"]) if r["kind"] == "cumulative_increase" else None,
        "required": _num(r["required"]),
        "progress": _num(r["achievement_progress"]),
        "time": _num(r["time_progress"]),
        "margin": _num(r["margin"]) if r["family"] == "relative" else None,
        "years_observed": r["n"] if r["family"] != "relative" else r["pair_n"],
        "years_beyond_tolerance": r["beyond"] if r["family"] == "bound" else None,
        "years_within_tolerance": r["within"] if r["family"] == "bound" else None,
    }
    projection = None
    if judged and r["family"] != "qualitative":
        projection = Projection(
            r["target_year"], _num(r["projection_value"]), bool(r["projection_meets"])
        )
    annual = None
    if r.get("annual_target") is not None:
        value = _num(r["annual_value"])
        met = (
            None
            if value is None
            else bool(np.sign(r["sign"]) * (value - r["annual_target"]) >= -1e-12)
        )
        annual = AnnualResult(year, float(r["annual_target"]), value, met)
    sdg = None
    if with_sdg:
        row = {x.code: x for x in sdg_statuses(profile)}[r["sdg_status"]]
        sdg = SdgResult(
            row.code,
            row.zh,
            row.en,
            _num(r["sdg_ratio"]),
            _num(r["sdg_cagr_actual"]),
            _num(r["sdg_cagr_required"]),
            profile,
        )
    return Evaluation(
        code=r["code"],
        name=r["name"],
        region=r["region"],
        kind=r["kind"],
        kind_zh=kind.zh,
        attribute=r["attribute"],
        unit=r["unit"] or "",
        year=year,
        status=status.code,
        status_zh=status.zh,
        status_en=status.en,
        reason=_reason(r, kind.family, numbers, year, "zh"),
        reason_en=_reason(r, kind.family, numbers, year, "en"),
        time_progress=_num(r["time_progress"]),
        achievement_progress=_num(r["achievement_progress"]),
        base_year=r["base_year"],
        base_value=_num(r["base_used"]),
        planned_base_value=_num(r["base_value"]),
        base_revised=bool(r["base_revised"]),
        target_year=r["target_year"],
        target=_num(r["target"]),
        target_high=_num(r["target_high"]),
        latest_year=latest_year if judged else r["latest_year"],
        latest_value=_num(r["latest_value"]),
        projection=projection,
        warning=r["warning"],
        annual=annual,
        sdg=sdg,
        numbers=numbers,
    )


# The wording around the rule tables' templates, per language.
_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "unjudged": "定性目标，尚无评估人员的判定",
        "too_early": "评估年{year}年不晚于基期年{base_year}年，尚无可评估的进展",
        "no_pair": "{first}—{end}年缺少与对标指标{benchmark}同年份的数据",
        "no_data": "{first}—{end}年无观测数据",
        "within": "(其中{n}个年份在容差内)",
        "above": "高出对标{margin}个百分点",
        "below": "低于对标{margin}个百分点",
        "one_year": "{first}年",
        "years": "{first}—{last}年",
        "then": "，",
        "revised": "(基期值采用修订值{used}，规划基期值{planned})",
    },
    "en": {
        "unjudged": "qualitative target, not yet judged by the evaluators",
        "too_early": "evaluation year {year} is not after the base year {base_year}: nothing yet",
        "no_pair": "no data for {first}–{end} in the years of the benchmark {benchmark}",
        "no_data": "no observations for {first}–{end}",
        "within": " ({n} within tolerance)",
        "above": "{margin} points above the benchmark",
        "below": "{margin} points below the benchmark",
        "one_year": "{first}",
        "years": "{first}–{last}",
        "then": "; ",
        "revised": " (on the revised base {used}; planned base {planned})",
    },
}


def _reason(
    r: dict[str, Any], family: str, numbers: dict[str, Any], year: int, language: str
) -> str:
    """One sentence in `language` (zh, en): the kind's fact, then the comparison behind the
    status, then the revised base when one was used."""
    words = _WORDS[language]
    table = reasons(language)
    end = min(year, r["target_year"])
    judged = r["status"] != "not_evaluable"
    revised = (
        words["revised"].format(used=fmt(r["base_used"]), planned=fmt(r["base_value"]))
        if r["base_revised"] and judged
        else ""
    )
    if not judged:
        if family == "qualitative":
            return words["unjudged"]
        if year <= r["base_year"]:
            return words["too_early"].format(year=year, base_year=r["base_year"])
        first = r["base_year"] + 1
        if family == "relative" and r["n"] > 0:
            return words["no_pair"].format(first=first, end=end, benchmark=r["benchmark"])
        return words["no_data"].format(first=first, end=end)
    if family == "qualitative":
        status = statuses()[r["status"]]
        judgement = status.zh if language == "zh" else status.en
        return table[("qualitative", "recorded")].format(
            year=r["judgement_year"], judgement=judgement
        )
    values = _Shown(numbers)
    values["unit"] = r["unit"] or ""
    values["progress"] = _pct(numbers["progress"])
    values["time"] = _pct(numbers["time"])
    values["within_note"] = words["within"].format(n=r["within"]) if r["within"] else ""
    values["beyond"] = r["beyond"]
    margin = numbers["margin"] or 0.0
    values["diff"] = words["above" if margin > 0 else "below"].format(margin=fmt(abs(margin)))
    first, last = numbers["first_year"], numbers["latest_year"]
    values["period"] = words["one_year" if first == last else "years"].format(
        first=first, last=last
    )
    kind = kinds()[r["kind"]]
    fact = (kind.fact if language == "zh" else kind.fact_en).format_map(values)
    case = "wrong_way" if r["wrong_way"] else r["status"]
    template = table.get((family, case))
    sentence = f"{fact}{words['then']}{template.format_map(values)}" if template else fact
    return sentence + revised


class _Shown(dict):
    """Template values: the numbers behind a reason, formatted only when a template asks."""

    def __init__(self, numbers: dict[str, Any]) -> None:
        super().__init__()
        self.numbers = numbers

    def __missing__(self, key: str) -> str:
        v = self.numbers[key]
        return fmt(v) if isinstance(v, float) else ("—" if v is None else str(v))
