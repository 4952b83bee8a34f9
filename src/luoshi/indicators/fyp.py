"""The Five-Year-Plan method (METHOD.md §1): time progress against achievement progress.

Works on whole columns at once (NumPy arrays, one element per indicator × region) built by
luoshi.indicators.series. For each kind family:

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
    kind = cols["kind"]
    fam = KIND_FAMILY[kind]
    binding = cols["binding"]
    b = cols["base_year"]
    big_t = cols["target_year"]
    sign = cols["sign"]
    target = cols["target"]
    high = cols["target_high"]
    tol = cols["tol"]
    planned = cols["base_value"]
    revised = cols["revised_base"]
    n = cols["n"]
    latest = cols["latest_value"]
    ly = cols["latest_year"]
    slg = cols["sum_log_growth"]
    slr = cols["sum_log_reduction"]
    beyond = cols["beyond"]
    pn = cols["pair_n"]
    p_own = cols["pair_log_own"]
    p_bench = cols["pair_log_bench"]

    span = big_t - b
    final = year >= big_t
    tau = np.clip((np.minimum(year, big_t) - b) / span, 0.0, 1.0)
    # A base-year observation revises the base of kinds judged against a base level; for
    # rate kinds it is only that year's rate and is not used.
    uses_base = (fam == FAM["bound"]) | np.isin(kind, [K["level"], K["cumulative_increase"]])
    revised = np.where(uses_base, revised, np.nan)
    base = np.where(np.isnan(revised), planned, revised)
    band = np.where(binding, bands.binding, bands.expected)
    has = (n > 0) & (year > b)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # Rates and reductions are compared as shown (two decimals), so that a reason reading
        # "年均增长5.5%" never sits beside "not met" because of a 5.4996.
        avg = shown((np.exp(slg / n) - 1) * 100)  # compound average annual rate, %
        cum_red = shown((1 - np.exp(slr)) * 100)  # cumulative reduction so far, %
        change = sign * (latest - base)
        own_avg = shown((np.exp(p_own / pn) - 1) * 100)
        bench_avg = shown((np.exp(p_bench / pn) - 1) * 100)
        margin = shown(own_avg - bench_avg)
        log_g = np.log1p(target / 100)

        pi = np.full(len(kind), np.nan)
        met_now = np.zeros(len(kind), dtype=bool)
        proj = np.full(len(kind), np.nan)
        proj_meets = np.zeros(len(kind), dtype=bool)
        required = np.full(len(kind), np.nan)

        m = kind == K["level"]
        gap = target - base
        pi = np.where(m, _div(latest - base, gap), pi)
        met_now |= m & (sign * (latest - target) >= -1e-12)
        # Linear pace from the base (or, for a bound without a base, the first observation).
        no_base = np.isnan(base)
        x0 = np.where(no_base, cols["first_value"], base)
        y0 = np.where(no_base, cols["first_year"], b)
        lin = np.where(ly > y0, x0 + (latest - x0) * _div(big_t - y0, ly - y0), latest)
        proj = np.where(m | (fam == FAM["bound"]), lin, proj)
        proj_meets |= m & (sign * (lin - target) >= -1e-12)

        m = kind == K["cumulative_increase"]
        pi = np.where(m, _div(change, target), pi)
        met_now |= m & (change >= target - 1e-12)
        proj = np.where(m, lin, proj)
        proj_meets |= m & (sign * (lin - base) >= target - 1e-12)
        required = np.where(m, tau * target, required)

        m = kind == K["cumulative_reduction"]
        pi = np.where(m, _div(cum_red, target), pi)
        met_now |= m & (cum_red >= target - 1e-12)
        red_proj = (1 - np.exp(slr * _div(span, n))) * 100
        proj = np.where(m, red_proj, proj)
        proj_meets |= m & (red_proj >= target - 1e-12)
        required = np.where(m, tau * target, required)

        m = kind == K["avg_rate_at_least"]
        # A target of no growth or a decline (≤ 0) has no planned gain to share out: it is
        # judged on the average rate alone and cannot be locked in early.
        gain = m & (target > 0)
        pi = np.where(gain, _div(slg, span * log_g), pi)
        met_now |= gain & (slg >= span * log_g - 1e-12)
        rate_holds = m & ~gain & (avg >= target - 1e-12)
        met_final = met_now | (m & (avg >= target - 1e-12))
        proj = np.where(m | (kind == K["avg_rate_in_range"]), avg, proj)
        proj_meets |= m & (avg >= target - 1e-12)

        m = fam == FAM["bound"]
        pi = np.where(m, _div(n - beyond, n), pi)
        holds_latest = sign * (latest - target) >= -1e-12
        met_base = ~(sign * (base - target) < -1e-12)  # unknown base counts as met
        proj_meets |= m & (sign * (lin - target) >= -tol - 1e-12) & (beyond == 0)

        m = kind == K["avg_rate_in_range"]
        in_range = (avg >= target - tol - 1e-12) & (avg <= high + tol + 1e-12)
        proj_meets |= m & in_range

        rel = fam == FAM["relative"]
        proj = np.where(rel, own_avg, proj)
        above = margin > 1e-12
        in_step = np.abs(margin) <= tol + 1e-12
        rel_ok = np.where(kind == K["rate_above"], above, in_step)
        proj_meets |= rel & rel_ok

    S = STATUS_INDEX
    status = np.full(len(kind), S["not_evaluable"])
    wrong_way = np.zeros(len(kind), dtype=bool)
    done = np.where(final, S["achieved"], 0)  # chosen below per family
    # progress family
    m = (fam == FAM["progress"]) & has
    d = pi - tau
    prog = np.select(
        [met_now, rate_holds, np.isnan(pi), pi < 0, d > band, d < -band],
        [S["achieved_early"], S["in_line"], S["lagging"], S["lagging"], S["faster"], S["lagging"]],
        S["in_line"],
    )
    done = np.where(met_final, S["achieved"], S["not_achieved"])
    status = np.where(m, np.where(final, done, prog), status)
    wrong_way |= m & (~final & ~met_now & (pi < 0))
    # bound family
    m = (fam == FAM["bound"]) & has
    bnd = np.select(
        [beyond > 0, ~met_base & holds_latest], [S["lagging"], S["achieved_early"]], S["in_line"]
    )
    done = np.where(beyond > 0, S["not_achieved"], S["achieved"])
    status = np.where(m, np.where(final, done, bnd), status)
    # range
    m = (fam == FAM["range"]) & has
    rng = np.where(in_range, S["in_line"], S["lagging"])
    done = np.where(in_range, S["achieved"], S["not_achieved"])
    status = np.where(m, np.where(final, done, rng), status)
    # relative
    m = rel & (pn > 0) & (year > b)
    ahead = (kind == K["rate_in_step"]) & (margin > tol + 1e-12)
    rl = np.select([ahead, rel_ok], [S["faster"], S["in_line"]], S["lagging"])
    done = np.where(rel_ok, S["achieved"], S["not_achieved"])
    status = np.where(m, np.where(final, done, rl), status)
    # qualitative: a person's recorded judgement
    recorded = cols["judgement"]
    m = (fam == FAM["qualitative"]) & (recorded >= 0)
    status[m] = recorded[m]

    evaluable = status != S["not_evaluable"]
    qualitative = fam == FAM["qualitative"]
    proj = np.where(evaluable & ~qualitative, proj, np.nan)
    proj_meets = proj_meets & evaluable & ~qualitative
    return {
        "status": pl.Series(list(S), dtype=pl.String).gather(status),
        "time_progress": tau,
        "achievement_progress": np.where(evaluable, pi, np.nan),
        "base_used": base,
        "base_revised": ~np.isnan(revised) & ~np.isnan(planned) & (revised != planned),
        "average_rate": np.where(fam == FAM["relative"], own_avg, avg),
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
