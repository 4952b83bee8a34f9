"""Compiled passes behind luoshi.indicators.series and .fyp (numba, cached on disk).

The series kernels walk the observation rows in file order and add each row to its series'
sums: the same additions in the same order as NumPy's `bincount`, so the same floats. The FYP
kernel turns each series' numbers into its status with the formulas' own order of operations.
Logs, exps and rounding are not taken here: NumPy's and numba's differ in the last bit, so
the callers hand in what NumPy computed. Imported only when a judgement runs, so other
commands never load numba.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

_NONE = np.iinfo(np.int64).max


def _compiled(fn: Any) -> Any:
    """`fn` compiled on first call and cached on disk (beside this file, else in the user's
    cache directory or NUMBA_CACHE_DIR); where none is writable, compiled in each process."""
    try:
        return njit(cache=True, nogil=True)(fn)
    except RuntimeError:  # numba: "cannot cache function …: no locator available"
        return njit(nogil=True)(fn)


def run(kernel: Any, *args: Any) -> Any:
    """Call a kernel with every array C-contiguous, read-only and 64-bit (int32 and bool stay
    as they are): numba compiles a kernel once per distinct set of argument types, writability
    included, so this keeps it to one compilation per kernel (then cached on disk)."""
    return kernel(*(_frozen(a) if isinstance(a, np.ndarray) else a for a in args))


def _frozen(a: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "b" or a.dtype == np.int32:
        dtype = a.dtype
    else:
        dtype = np.dtype(np.int64 if a.dtype.kind in "iu" else np.float64)
    a = np.ascontiguousarray(a, dtype=dtype)
    if a.flags.writeable:
        a = a.view()
        a.flags.writeable = False
    return a


@_compiled
def series_sums(
    ci, ri, yr, val, growth, reduction, n_reg, size, by, ey, bound, sign, target, tol, eps
):
    """Per series: observed years after the base (count, log sums, first and latest), the
    base-year observation, and the bound kinds' years short of the bound beyond and within
    tolerance. Row i belongs to series ci[i]·n_reg + ri[i] (rows with ci < 0 are skipped)."""
    n = np.zeros(size, np.int64)
    sum_growth = np.zeros(size)
    sum_reduction = np.zeros(size)
    latest_year = np.full(size, -1, np.int64)
    first_year = np.full(size, _NONE, np.int64)
    latest = np.full(size, np.nan)
    first = np.full(size, np.nan)
    revised = np.full(size, np.nan)
    beyond = np.zeros(size, np.int64)
    within = np.zeros(size, np.int64)
    for i in range(len(ci)):
        c = ci[i]
        v = val[i]
        if c < 0 or v != v:
            continue
        y = yr[i]
        if y < by[c] or y > ey[c]:
            continue
        k = c * n_reg + ri[i]
        if y == by[c]:
            revised[k] = v  # the last row wins, as in a NumPy scatter
            continue
        n[k] += 1
        sum_growth[k] += growth[i]
        sum_reduction[k] += reduction[i]
        if y >= latest_year[k]:
            latest_year[k] = y
            latest[k] = v
        if y <= first_year[k]:
            first_year[k] = y
            first[k] = v
        if bound[c]:
            short = sign[c] * (target[c] - v)
            if short > tol[c] + eps:
                beyond[k] += 1
            elif short > eps:
                within[k] += 1
    return (
        n,
        sum_growth,
        sum_reduction,
        latest_year,
        first_year,
        latest,
        first,
        revised,
        beyond,
        within,
    )


@_compiled
def paired_sums(ci, ri, yr, val, growth, n_reg, size, by, ey, bench, slot, n_slots, national):
    """Per relative series: the years after the base where it and its benchmark are both
    observed, their first and last, and the two log sums. `bench[c]` is indicator c's
    benchmark indicator (-1 for none); `slot[b]` numbers the benchmark indicators (-1 for
    the others) for a dense table of their rows by (slot, region, year).

    The benchmark is read in the same region; when that region has no benchmark series at
    all and `national` ≥ 0, the series of region `national` is used."""
    pair_n = np.zeros(size, np.int64)
    log_own = np.zeros(size)
    log_bench = np.zeros(size)
    first = np.full(size, _NONE, np.int64)
    last = np.full(size, -1, np.int64)
    has_series = np.zeros(n_slots * n_reg, np.bool_)
    own = np.empty(len(ci), np.int64)  # rows of relative series, in file order
    src = np.empty(len(ci), np.int64)  # rows of benchmark series
    n_own = n_src = 0
    y0, y1 = _NONE, -1
    for i in range(len(ci)):
        c = ci[i]
        if c < 0 or val[i] != val[i]:
            continue
        if slot[c] >= 0:
            has_series[slot[c] * n_reg + ri[i]] = True
            src[n_src] = i
            n_src += 1
        if bench[c] >= 0 and by[c] < yr[i] <= ey[c]:
            own[n_own] = i
            n_own += 1
            y0 = min(y0, yr[i])
            y1 = max(y1, yr[i])
    if n_own == 0:
        return pair_n, log_own, log_bench, first, last
    span = y1 - y0 + 1
    table = np.full(n_slots * n_reg * span, -1, np.int64)  # benchmark row of (slot, region, year)
    for i in src[:n_src]:
        if y0 <= yr[i] <= y1:
            table[(slot[ci[i]] * n_reg + ri[i]) * span + yr[i] - y0] = i
    for i in own[:n_own]:
        c = ci[i]
        y = yr[i]
        b = slot[bench[c]] * n_reg
        r = ri[i]
        if national >= 0 and not has_series[b + r]:
            r = national
        j = table[(b + r) * span + y - y0]
        if j < 0:
            continue
        k = c * n_reg + ri[i]
        pair_n[k] += 1
        log_own[k] += growth[i]
        log_bench[k] += growth[j]
        first[k] = min(first[k], y)
        last[k] = max(last[k], y)
    return pair_n, log_own, log_bench, first, last


@_compiled
def latest_judgements(rows, said, ci, ri, yr, n_reg, size, by, ey, qualitative):
    """Per qualitative series: the judgement recorded for its latest year after the base
    (`said[j]` is row `rows[j]`'s position in statuses(), -1 for none) and that year; -1 and
    NaN where none."""
    pos = np.full(size, -1, np.int64)
    years = np.full(size, np.nan)
    latest = np.full(size, -1, np.int64)
    for j in range(len(rows)):
        i = rows[j]
        c = ci[i]
        if c < 0 or said[j] < 0 or not qualitative[c] or not by[c] < yr[i] <= ey[c]:
            continue
        k = c * n_reg + ri[i]
        if yr[i] >= latest[k]:
            latest[k] = yr[i]
            pos[k] = said[j]
            years[k] = yr[i]
    return pos, years


@_compiled
def _div(a, b):
    return a / b if b != 0 else np.nan


@_compiled
def fyp_judgement(
    year,
    kinds,
    fams,
    states,
    kind,
    fam,
    band,
    b,
    big_t,
    sign,
    target,
    high,
    tol,
    base,
    first_value,
    first_year,
    n,
    latest,
    ly,
    slg,
    beyond,
    pn,
    tau,
    average,
    cum_red,
    change,
    margin,
    log_g,
    red_proj,
    recorded,
):
    """The FYP method's status of every series (see luoshi.indicators.fyp, which computes the
    rounded rates and logs it needs; `average` is the compound average rate, the series' own
    over the paired years for relative kinds): achievement progress, projection, whether it
    meets the target, the required value, the status and whether it moves the wrong way.

    `kinds` holds the positions of level, cumulative_increase, cumulative_reduction,
    avg_rate_at_least, avg_rate_in_range, rate_above and rate_in_step in kinds(); `fams` those
    of the families progress, bound, range, relative and qualitative; `states` those of
    achieved_early, faster, in_line, lagging, not_evaluable, achieved and not_achieved."""
    level, c_inc, c_red, avg_rate, rng, above_k, step_k = kinds
    progress, bound, in_range_f, relative, qualitative = fams
    early, faster, in_line, lagging, none, achieved, not_achieved = states
    size = len(kind)
    pi_out = np.full(size, np.nan)
    proj_out = np.full(size, np.nan)
    meets_out = np.zeros(size, np.bool_)
    required = np.full(size, np.nan)
    status = np.full(size, none, np.int64)
    wrong_way = np.zeros(size, np.bool_)
    eps = 1e-12
    for i in range(size):
        k, f = kind[i], fam[i]
        final = year >= big_t[i]
        has = n[i] > 0 and year > b[i]
        pi = np.nan
        met_now = False
        proj = np.nan
        meets = False
        # Linear pace from the base (or, for a bound without a base, the first observation).
        x0, y0 = base[i], b[i]
        if x0 != x0:
            x0, y0 = first_value[i], first_year[i]
        lin = x0 + (latest[i] - x0) * _div(big_t[i] - y0, ly[i] - y0) if ly[i] > y0 else latest[i]
        if k == level:
            pi = _div(latest[i] - base[i], target[i] - base[i])
            met_now = sign[i] * (latest[i] - target[i]) >= -eps
            proj = lin
            meets = sign[i] * (lin - target[i]) >= -eps
        elif k == c_inc:
            pi = _div(change[i], target[i])
            met_now = change[i] >= target[i] - eps
            proj = lin
            meets = sign[i] * (lin - base[i]) >= target[i] - eps
            required[i] = tau[i] * target[i]
        elif k == c_red:
            pi = _div(cum_red[i], target[i])
            met_now = cum_red[i] >= target[i] - eps
            proj = red_proj[i]
            meets = red_proj[i] >= target[i] - eps
            required[i] = tau[i] * target[i]
        rate_holds = False
        met_final = met_now
        if k == avg_rate:
            span = big_t[i] - b[i]
            if target[i] > 0:  # no planned gain to share out otherwise: judged on the rate
                pi = _div(slg[i], span * log_g[i])
                met_now = slg[i] >= span * log_g[i] - eps
            else:
                rate_holds = average[i] >= target[i] - eps
            met_final = met_now or average[i] >= target[i] - eps
            proj = average[i]
            meets = average[i] >= target[i] - eps
        elif k == rng:
            proj = average[i]
        in_rng = average[i] >= target[i] - tol[i] - eps and average[i] <= high[i] + tol[i] + eps
        rel_ok = margin[i] > eps if k == above_k else abs(margin[i]) <= tol[i] + eps
        if f == bound:
            pi = _div(n[i] - beyond[i], n[i])
            proj = lin
            meets = sign[i] * (lin - target[i]) >= -tol[i] - eps and beyond[i] == 0
        elif f == in_range_f:
            meets = in_rng
        elif f == relative:
            proj = average[i]
            meets = rel_ok

        s = none
        if f == progress and has:
            if final:
                s = achieved if met_final else not_achieved
            elif met_now:
                s = early
            elif rate_holds:
                s = in_line
            elif pi != pi or pi < 0:
                s = lagging
            elif pi - tau[i] > band[i]:
                s = faster
            elif pi - tau[i] < -band[i]:
                s = lagging
            else:
                s = in_line
            wrong_way[i] = not final and not met_now and pi < 0
        elif f == bound and has:
            if beyond[i] > 0:
                s = not_achieved if final else lagging
            elif final:
                s = achieved
            elif (
                sign[i] * (base[i] - target[i]) < -eps and sign[i] * (latest[i] - target[i]) >= -eps
            ):
                s = early  # the base broke the bound, the latest year holds it
            else:
                s = in_line
        elif f == in_range_f and has:
            s = (
                (achieved if in_rng else not_achieved)
                if final
                else (in_line if in_rng else lagging)
            )
        elif f == relative and pn[i] > 0 and year > b[i]:
            if final:
                s = achieved if rel_ok else not_achieved
            elif k == step_k and margin[i] > tol[i] + eps:
                s = faster
            else:
                s = in_line if rel_ok else lagging
        elif f == qualitative and recorded[i] >= 0:
            s = recorded[i]
        status[i] = s
        if s != none:
            pi_out[i] = pi
            if f != qualitative:
                proj_out[i] = proj
                meets_out[i] = meets
    return pi_out, proj_out, meets_out, required, status, wrong_way
