"""The UN SDG progress method (METHOD.md §2), as a second judgement beside the FYP method.

Sources (cited in docs/method.md):
- UN DESA, "Sustainable Development Goals Progress Chart 2022 — Technical Note" (the `un`
  profile): with a target, ratio = CAGR_actual / CAGR_required, thresholds 0.95 / 0.5 / −0.1;
  without a usable target, CAGR_actual thresholds 1% / 0.5% / −0.5% (not confirmed, see docs).
- Open SDG, "Progress Measurement Methodology" (sdg-build `ProgressMeasure`, the `open_sdg`
  profile): the same ratio with thresholds 0.95 / 0.6 / 0, and CAGR thresholds 1.5% / 0.5% / 0.

CAGR = (x_t / x_b)^(1/(t − b)) − 1, with t the latest observed year; the required CAGR uses
the target value and the target year. The ratio is signed by the direction (down: smaller is
better). A series already at its target is `target_achieved`. Kinds map to one series:
levels and bounds use the observed level; rate kinds use the index 100·Π(1 + rᵢ/100) and the
index the target rate (or the benchmark's average rate) would give; cumulative reductions
use the index 100·Π(1 − rᵢ/100) against 100·(1 − target/100). Qualitative targets and series
with a non-positive value are `not_available`. Thresholds are rows of sdg_statuses.csv.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import polars as pl

from luoshi.indicators.fyp import FAM, KIND_FAMILY, K
from luoshi.indicators.rules import sdg_statuses

F = np.ndarray


def judge_sdg(
    cols: Mapping[str, F], fyp: dict[str, F | pl.Series], profile: str
) -> dict[str, F | pl.Series]:
    """SDG status, ratio and growth rates for every series (see series.Summary)."""
    col = cols.__getitem__
    kind = cols["kind"]
    fam = KIND_FAMILY[kind]
    sign = col("sign")
    target = col("target")
    b = col("base_year")
    big_t = col("target_year")
    ly = col("latest_year")
    n = col("n")
    base = fyp["base_used"]
    latest = col("latest_value")
    # Like Open SDG, a series without a base value starts at its first observation.
    no_base = np.isnan(base)
    base = np.where(no_base, col("first_value"), base)
    b = np.where(no_base, col("first_year"), b)
    span = big_t - b
    rate = np.isin(
        kind,
        [K[k] for k in ("avg_rate_at_least", "avg_rate_in_range", "rate_above", "rate_in_step")],
    )
    red = kind == K["cumulative_reduction"]
    level_like = ~rate & ~red

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        x_b = np.where(level_like, base, 100.0)
        b = np.where(level_like, b, col("base_year"))
        span = big_t - b
        growth_index = 100 * np.exp(col("sum_log_growth"))
        x_t = np.select([rate, red], [growth_index, 100 * np.exp(col("sum_log_reduction"))], latest)
        bench = fyp["benchmark_average"]
        rate_target = np.where(fam == FAM["relative"], bench, target)
        goal = np.select(
            [rate, red, kind == K["cumulative_increase"]],
            [100 * (1 + rate_target / 100) ** span, 100 * (1 - target / 100), base + sign * target],
            target,
        )
        direction = np.where(red, -1.0, np.where(rate, 1.0, sign))
        years = ly - b
        ok = (
            (n > 0)
            & (fam != FAM["qualitative"])
            & (x_b > 0)
            & (x_t > 0)
            & (years > 0)
            & np.isfinite(x_t)
            & np.isfinite(x_b)
        )
        cagr_a = (x_t / x_b) ** (1 / years) - 1
        cagr_r = (goal / x_b) ** (1 / span) - 1
        has_goal = np.isfinite(cagr_r) & (np.abs(cagr_r) > 1e-12) & (goal > 0)
        ratio = np.where(has_goal, direction * cagr_a / np.abs(cagr_r), np.nan)
        achieved = np.isfinite(goal) & (direction * (x_t - goal) >= -1e-12)
        score = np.where(has_goal, ratio, direction * cagr_a)

    rows = sdg_statuses(profile)
    names = [r.code for r in rows]
    status = np.full(len(kind), names.index("not_available"))
    graded = [r for r in rows if r.min_ratio is not None]
    graded.sort(key=lambda r: r.min_ratio or 0.0, reverse=True)
    assigned = np.zeros(len(kind), dtype=bool)
    for r in graded:
        threshold = np.where(has_goal, float(r.min_ratio or 0.0), float(r.min_cagr or 0.0))
        m = ok & ~assigned & (score >= threshold)
        status[m] = names.index(r.code)
        assigned |= m
    status[ok & achieved & (fam != FAM["qualitative"])] = names.index("target_achieved")
    return {
        "sdg_status": pl.Series(names, dtype=pl.String).gather(status),
        "sdg_ratio": np.where(ok, ratio, np.nan),
        "sdg_cagr_actual": np.where(ok, cagr_a, np.nan),
        "sdg_cagr_required": np.where(ok & has_goal, cagr_r, np.nan),
    }
