"""Summaries of each (indicator, region) series up to the evaluation year, in one vectorised pass.

Everything the FYP and SDG methods need is a handful of sums and counts per series: the
baseline revision (the observation of the base year), the first and latest observation, the
sum of ln(1 + r/100) of annual rates and of reductions, broken bounds, and paired sums against
a benchmark series. Each series gets a dense integer key (indicator × region), so the sums are
NumPy `bincount`s over all rows at once: no per-indicator Python, no sorting.
"""

from __future__ import annotations

import bisect

import numpy as np
import polars as pl

from luoshi.indicators.model import IndicatorTable, Observations
from luoshi.indicators.rules import kinds, statuses

EPS = 1e-9


def indicator_frame(
    indicators: IndicatorTable, year: int, default_step_tolerance: float
) -> pl.DataFrame:
    """The indicator rows with derived columns: end year, sign, family, effective tolerance."""
    fam = {k: v.family for k, v in kinds().items()}
    return indicators.frame.with_columns(
        pl.min_horizontal(pl.col("target_year"), pl.lit(year, pl.Int32)).alias("end"),
        pl.when(pl.col("direction") == "down").then(-1.0).otherwise(1.0).alias("sign"),
        pl.col("kind").replace_strict(fam, return_dtype=pl.String).alias("family"),
        pl.when(pl.col("tolerance").is_not_null())
        .then(pl.col("tolerance"))
        .when(pl.col("kind") == "rate_in_step")
        .then(pl.lit(default_step_tolerance))
        .otherwise(0.0)
        .alias("tol"),
    )


def _f(frame: pl.DataFrame, name: str) -> np.ndarray:
    return frame[name].cast(pl.Float64).to_numpy()


def summarise(
    ind: pl.DataFrame, observations: Observations, year: int, region: str | None
) -> pl.DataFrame:
    """One row per indicator × region (indicator-major) with the series statistics."""
    obs = observations.frame
    index = observations.index(ind["code"].to_list())
    ci, ri = index.code, index.region  # unknown codes are -1 (ignored)
    all_regions = index.regions
    if region is not None and region not in all_regions:  # asked for a region with no rows
        at = bisect.bisect_left(all_regions, region)
        all_regions = [*all_regions[:at], region, *all_regions[at:]]
        ri = ri + (ri >= at)
    shown = [region] if region is not None else (all_regions or [""])
    all_regions = all_regions or [""]
    n_ind, n_reg = ind.height, len(all_regions)
    size = n_ind * n_reg

    yr = obs["year"].to_numpy().astype(np.int64)  # one dtype keeps ufunc.at on its fast path
    val = obs["value"].to_numpy()  # Float64; nulls become NaN
    known = ci >= 0
    cis = ci if known.all() else np.where(known, ci, 0)
    key = cis * n_reg + ri

    by = ind["base_year"].to_numpy().astype(np.int64)[cis]
    ey = ind["end"].to_numpy().astype(np.int64)[cis]
    has_val = val == val  # not NaN
    window = known & (yr >= by) & (yr <= ey)
    post = np.flatnonzero(window & (yr > by) & has_val)  # observed years after the base
    kp, vp, yp = key[post], val[post], yr[post]

    s: dict[str, np.ndarray] = {}
    s["n"] = np.bincount(kp, minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        s["sum_log_growth"] = np.bincount(kp, weights=np.log1p(vp / 100), minlength=size)
        s["sum_log_reduction"] = np.bincount(kp, weights=np.log1p(-vp / 100), minlength=size)
    latest_year = np.full(size, -1, dtype=np.int64)
    np.maximum.at(latest_year, kp, yp)
    first_year = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_year, kp, yp)
    s["latest_value"] = _pick(size, kp, vp, yp == latest_year[kp])
    s["first_value"] = _pick(size, kp, vp, yp == first_year[kp])
    m = window & has_val & (yr == by)
    s["revised_base"] = _pick(size, key[m], val[m], None)

    fam = ind["family"].to_numpy()
    sign, target, tol = _f(ind, "sign"), _f(ind, "target"), _f(ind, "tol")
    cp = cis[post]
    bp = np.flatnonzero((fam == "bound")[cp])  # observed years of bound kinds
    cb, kb = cp[bp], kp[bp]
    with np.errstate(invalid="ignore"):
        short = sign[cb] * (target[cb] - vp[bp])
    beyond = short > tol[cb] + EPS
    s["beyond"] = np.bincount(kb[beyond], minlength=size)
    s["within"] = np.bincount(kb[(short > EPS) & ~beyond], minlength=size)
    s |= _paired(ind, fam, cis, known, ri, yr, val, post, size, n_reg, all_regions)
    judgement, judgement_year = _judgements(obs, fam, cis, key, yr, window & (yr > by), size)
    annual_target, annual_value = _annual(obs, key, yr, val, known, year, size)

    rows = np.repeat(np.arange(n_ind), n_reg)
    regs = np.tile(np.arange(n_reg), n_ind)
    keep = np.isin(regs, [all_regions.index(r) for r in shown])
    idx = np.flatnonzero(keep)

    def column(name: str, values: np.ndarray, dtype: pl.DataType | None = None) -> pl.Series:
        out = pl.Series(name, values[idx], nan_to_null=True)
        return out if dtype is None else out.cast(dtype)

    ints = ("latest_year", "first_year", "pair_first_year", "pair_last_year", "judgement_year")
    counts = ("n", "beyond", "within", "pair_n")
    stats = {
        "latest_year": np.where(latest_year >= 0, latest_year, np.nan),
        "first_year": np.where(s["n"] > 0, first_year, np.nan),
        "judgement_year": judgement_year,
        "annual_target": annual_target,
        "annual_value": annual_value,
    } | s
    return ind[rows[idx]].with_columns(
        pl.Series("region", all_regions, dtype=pl.String).gather(regs[idx]),
        judgement.gather(idx).alias("judgement"),
        *[column(k, v, pl.Int32 if k in ints or k in counts else None) for k, v in stats.items()],
    )


def _pick(size: int, keys: np.ndarray, values: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """values scattered to their series (NaN where none); keys are unique under the mask."""
    out = np.full(size, np.nan)
    if mask is None:
        out[keys] = values
    else:
        out[keys[mask]] = values[mask]
    return out


def _paired(
    ind: pl.DataFrame,
    fam: np.ndarray,
    cis: np.ndarray,
    known: np.ndarray,
    ri: np.ndarray,
    yr: np.ndarray,
    val: np.ndarray,
    post: np.ndarray,
    size: int,
    n_reg: int,
    regions: list[str],
) -> dict[str, np.ndarray]:
    """Sums over the years where both a relative indicator and its benchmark are observed.

    The benchmark is read in the same region; when that region has no benchmark series at
    all, the series with an empty region (a national or city-wide figure) is used.
    """
    out = {
        "pair_n": np.zeros(size, dtype=np.int64),
        "pair_log_own": np.zeros(size),
        "pair_log_bench": np.zeros(size),
        "pair_first_year": np.full(size, np.nan),
        "pair_last_year": np.full(size, np.nan),
    }
    rel = fam == "relative"
    if not rel.any():
        return out
    code_map = {c: i for i, c in enumerate(ind["code"].to_list())}
    bench = np.array([code_map.get(b, -1) if b else -1 for b in ind["benchmark"].to_list()])
    own = post[(rel & (bench >= 0))[cis[post]]]  # rows of relative kinds, as row numbers
    if not len(own):
        return out
    # Sorted lookup of every observed value of a benchmark indicator by (series key, year).
    y0, span = int(yr.min()), int(yr.max()) - int(yr.min()) + 1
    is_bench = np.zeros(len(fam), dtype=bool)
    is_bench[bench[bench >= 0]] = True
    src = np.flatnonzero(is_bench[cis])
    src = src[known[src] & ~np.isnan(val[src])]
    series_key = cis[src] * n_reg + ri[src]
    src_key = series_key * span + (yr[src] - y0)
    order = np.argsort(src_key, kind="stable")
    sorted_key, sorted_val = src_key[order], val[src][order]
    has_series = np.zeros(size, dtype=bool)
    has_series[series_key] = True

    b_ci, o_ri, o_yr = bench[cis[own]], ri[own], yr[own]
    national = regions.index("") if "" in regions else -1
    use_ri = np.where(has_series[b_ci * n_reg + o_ri] | (national < 0), o_ri, national)
    look = (b_ci * n_reg + use_ri) * span + (o_yr - y0)
    pos = np.clip(np.searchsorted(sorted_key, look), 0, max(len(sorted_key) - 1, 0))
    found = (sorted_key[pos] == look) if len(sorted_key) else np.zeros(len(look), dtype=bool)
    k = (cis[own] * n_reg + o_ri)[found]
    own_val, bench_val, years = val[own][found], sorted_val[pos[found]], o_yr[found]
    out["pair_n"] = np.bincount(k, minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["pair_log_own"] = np.bincount(k, weights=np.log1p(own_val / 100), minlength=size)
        out["pair_log_bench"] = np.bincount(k, weights=np.log1p(bench_val / 100), minlength=size)
    first = np.full(size, np.iinfo(np.int64).max)
    last = np.full(size, -1)
    np.minimum.at(first, k, years)
    np.maximum.at(last, k, years)
    out["pair_first_year"] = np.where(out["pair_n"] > 0, first, np.nan)
    out["pair_last_year"] = np.where(out["pair_n"] > 0, last, np.nan)
    return out


def _judgements(
    obs: pl.DataFrame,
    fam: np.ndarray,
    cis: np.ndarray,
    key: np.ndarray,
    yr: np.ndarray,
    window: np.ndarray,
    size: int,
) -> tuple[pl.Series, np.ndarray]:
    """The latest judgement a person recorded for each qualitative series, and its year."""
    codes = pl.Series(list(statuses()), dtype=pl.Enum(list(statuses())))
    pos = np.full(size, -1, dtype=np.int64)
    years = np.full(size, np.nan)
    if (fam == "qualitative").any() and obs["judgement"].null_count() < obs.height:
        idx = np.flatnonzero(window & (fam == "qualitative")[cis])
        said = obs["judgement"].gather(idx).cast(codes.dtype, strict=False).to_physical()
        said = said.cast(pl.Int64).fill_null(-1).to_numpy()
        idx, said = idx[said >= 0], said[said >= 0]
        order = np.argsort(yr[idx], kind="stable")  # later years overwrite earlier ones
        idx, said = idx[order], said[order]
        pos[key[idx]] = said
        years[key[idx]] = yr[idx]
    return codes.gather(pl.Series(pos).set(pl.Series(pos < 0), None)), years


def _annual(
    obs: pl.DataFrame,
    key: np.ndarray,
    yr: np.ndarray,
    val: np.ndarray,
    known: np.ndarray,
    year: int,
    size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The annual target (年度目标) of the evaluation year and that year's value."""
    if obs["annual_target"].null_count() == obs.height:
        return np.full(size, np.nan), np.full(size, np.nan)
    target = obs["annual_target"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    m = known & (yr == year) & ~np.isnan(target)
    return _pick(size, key[m], target[m], None), _pick(size, key[m], val[m], None)
