"""The Five-Year-Plan method (METHOD.md §1): time progress against achievement progress.

Works on whole columns at once (NumPy arrays, one element per indicator × region) built by
luoshi.indicators.series: the rounded rates and the logs are NumPy's, the status of each series
one compiled pass (kernels.fyp_judgement). For each kind family:

- progress (level, cumulative_increase, cumulative_reduction, avg_rate_at_least): achievement
  progress π against time progress τ = (t − b)/(T − b); the band (a setting, narrower for
  binding indicators) separates faster / in_line / lagging; π < 0 is moving the wrong way.
  For average rates π is measured on the compound scale, π = Σ ln(1 + rᵢ) / ((T − b)·ln(1 + g)),
  so that growing exactly at the target rate gives π = τ.
- bound (at_least, at_most): every observed year must hold the bound; an excursion within the
  tolerance still holds; one beyond it is lagging (not_achieved at the target year).
- range (avg_rate_in_range): the compound average rate within [target, target_high] ± tolerance.
- relative (rate_above, rate_in_step): the compound average rate against the benchmark
  series' average over the same years.
- qualitative: the latest judgement a person recorded, else not_evaluable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl

from luoshi.indicators.rules import kinds, statuses, warning_rules

F = np.ndarray
K = {code: i for i, code in enumerate(kinds())}
FAM = {f: i for i, f in enumerate(dict.fromkeys(k.family for k in kinds().values()))}
KIND_FAMILY = np.array([FAM[k.family] for k in kinds().values()])
STATUS_INDEX = {code: i for i, code in enumerate(statuses())}
# Positions the compiled judgement (kernels.fyp_judgement) reads, in its order.
_KINDS = tuple(
    K[k]
    for k in (
        "level",
        "cumulative_increase",
        "cumulative_reduction",
        "avg_rate_at_least",
        "avg_rate_in_range",
        "rate_above",
        "rate_in_step",
    )
)
_FAMILIES = tuple(FAM[f] for f in ("progress", "bound", "range", "relative", "qualitative"))
_STATES = tuple(
    STATUS_INDEX[s]
    for s in (
        "achieved_early",
        "faster",
        "in_line",
        "lagging",
        "not_evaluable",
        "achieved",
        "not_achieved",
    )
)


@dataclass(frozen=True)
class Bands:
    """The judgement settings the FYP method needs (see luoshi.settings)."""

    expected: float = 0.10
    binding: float = 0.05


def shown(x: F) -> F:
    """Round to two decimals as a person reads them; float noise first, so ties round alike.

    Matches Python's round(): NumPy's rint of x·100 can tip a tie such as 6.445 the other way,
    so values within a hair of a tie are rounded by Python (there are few).
    """
    x = np.round(x, 9)
    out = np.round(x, 2)
    with np.errstate(invalid="ignore"):
        ties = np.flatnonzero(np.abs(np.abs(x * 100 - out * 100) - 0.5) < 1e-6)
    out[ties] = [round(float(v), 2) for v in x[ties]]
    return out


def _div(a: F, b: F) -> F:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)
    return out


def judge_fyp(cols: Mapping[str, F], year: int, bands: Bands) -> dict[str, F | pl.Series]:
    """Statuses, progress, projection and warning for every series (see series.Summary)."""
    from luoshi.indicators import kernels  # numba: loaded only when a judgement runs

    kind = cols["kind"]
    fam = KIND_FAMILY[kind]
    binding = cols["binding"]
    b = cols["base_year"]
    big_t = cols["target_year"]
    sign = cols["sign"]
    target = cols["target"]
    planned = cols["base_value"]
    revised = cols["revised_base"]
    n = cols["n"]
    slg = cols["sum_log_growth"]
    slr = cols["sum_log_reduction"]
    pn = cols["pair_n"]

    span = big_t - b
    tau = np.clip((np.minimum(year, big_t) - b) / span, 0.0, 1.0)
    # A base-year observation revises the base of kinds judged against a base level; for
    # rate kinds it is only that year's rate and is not used.
    uses_base = (fam == FAM["bound"]) | np.isin(kind, [K["level"], K["cumulative_increase"]])
    revised = np.where(uses_base, revised, np.nan)
    base = np.where(np.isnan(revised), planned, revised)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # Rates and reductions are compared as shown (two decimals), so that a reason reading
        # "年均增长5.5%" never sits beside "not met" because of a 5.4996.
        avg = shown((np.exp(slg / n) - 1) * 100)  # compound average annual rate, %
        cum_red = shown((1 - np.exp(slr)) * 100)  # cumulative reduction so far, %
        change = sign * (cols["latest_value"] - base)
        own_avg = shown((np.exp(cols["pair_log_own"] / pn) - 1) * 100)
        bench_avg = shown((np.exp(cols["pair_log_bench"] / pn) - 1) * 100)
        margin = shown(own_avg - bench_avg)
        log_g = np.log1p(target / 100)
        red_proj = (1 - np.exp(slr * _div(span, n))) * 100  # cumulative reduction at this pace
    average = np.where(fam == FAM["relative"], own_avg, avg)

    pi, proj, proj_meets, required, status, wrong_way = kernels.run(
        kernels.fyp_judgement,
        int(year),  # one compiled version, whatever integer type the caller has
        _KINDS,
        _FAMILIES,
        _STATES,
        kind,
        fam,
        np.where(binding, bands.binding, bands.expected),
        b,
        big_t,
        sign,
        target,
        cols["target_high"],
        cols["tol"],
        base,
        cols["first_value"],
        cols["first_year"],
        n,
        cols["latest_value"],
        cols["latest_year"],
        slg,
        cols["beyond"],
        pn,
        tau,
        average,
        cum_red,
        change,
        margin,
        log_g,
        red_proj,
        cols["judgement"],
    )
    qualitative = fam == FAM["qualitative"]
    return {
        "status": pl.Series(list(STATUS_INDEX), dtype=pl.String).gather(status),
        "time_progress": tau,
        "achievement_progress": pi,
        "base_used": base,
        "base_revised": ~np.isnan(revised) & ~np.isnan(planned) & (revised != planned),
        "average_rate": average,
        "benchmark_average": bench_avg,
        "margin": margin,
        "cumulative_reduction": cum_red,
        "change": change,
        "required": required,
        "projection_value": proj,
        "projection_meets": proj_meets,
        "wrong_way": wrong_way,
        "warning": warning_levels(status, binding, proj_meets | qualitative),
    }


def warning_levels(status: F, binding: F, meets: F) -> pl.Series:
    """Apply the warning rules table (first matching row wins) to whole columns of status codes."""
    levels = ["green", "yellow", "red"]
    out = np.full(len(status), -1)
    for rule in warning_rules():
        m = out < 0
        if rule.status != "*":
            m &= status == STATUS_INDEX[rule.status]
        if rule.attribute != "*":
            m &= binding == (rule.attribute == "binding")
        if rule.projection_meets != "*":
            m &= meets == (rule.projection_meets == "yes")
        out[m] = levels.index(rule.warning)
    return pl.Series(levels, dtype=pl.String).gather(np.maximum(out, 0))
