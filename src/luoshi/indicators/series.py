"""Summaries of each (indicator, region) series up to the evaluation year, in one vectorised pass.

Everything the FYP and SDG methods need is a handful of sums and counts per series: the
baseline revision (the observation of the base year), the first and latest observation, the
sum of ln(1 + r/100) of annual rates and of reductions, broken bounds, and paired sums against
a benchmark series. Each series gets a dense integer key (indicator × region), so the sums are
NumPy `bincount`s over all rows at once: no per-indicator Python, no sorting.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import polars as pl

from luoshi.indicators.model import IndicatorTable, Observations, lookup
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


@dataclass(frozen=True)
class Summary:
    """One row per indicator × region (indicator-major): `frame` holds the indicator columns,
    the region, the recorded judgement and the series statistics; `arrays` the same numbers
    as float arrays (NaN for null) with `kind` (position in kinds()), `binding` and
    `judgement` (position in statuses(), -1 for none), for the methods to compute on."""

    frame: pl.DataFrame
    arrays: dict[str, np.ndarray]


# Indicator columns the methods read, one value per row.
_NUMERIC = ("base_year", "target_year", "sign", "target", "target_high", "tol", "base_value")
_COUNTS = ("n", "beyond", "within", "pair_n")
_YEARS = ("latest_year", "first_year", "pair_first_year", "pair_last_year", "judgement_year")


def summarise(
    ind: pl.DataFrame, observations: Observations, year: int, region: str | None
) -> Summary:
    """The statistics of every indicator × region series up to `year`."""
    obs = observations.frame
    index = observations.index(ind["code"].to_list())
    ci, ri = index.code, index.region  # unknown codes are -1 (ignored)
    all_regions = index.regions
    if region is not None and region not in all_regions:  # asked for a region with no rows
        at = bisect.bisect_left(all_regions, region)
        all_regions = [*all_regions[:at], region, *all_regions[at:]]
        ri = ri + (ri >= at)
    all_regions = all_regions or [""]
    n_ind, n_reg = ind.height, len(all_regions)
    size = n_ind * n_reg

    yr = obs["year"].to_numpy().astype(np.int64)  # one dtype keeps ufunc.at on its fast path
    val = obs["value"].fill_null(np.nan).to_numpy()  # nulls as NaN, filled by Polars (faster)
    known = ci >= 0
    cis = ci if known.all() else np.where(known, ci, 0)
    key = cis * n_reg + ri

    by = ind["base_year"].to_numpy().astype(np.int64)[cis]
    ey = ind["end"].to_numpy().astype(np.int64)[cis]
    has_val = val == val  # not NaN
    window = known & (yr >= by) & (yr <= ey)
    after = window & (yr > by)
    post = np.flatnonzero(after & has_val)  # observed years after the base
    kp, vp, yp, cp = key[post], val[post], yr[post], cis[post]

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
    base = np.flatnonzero(window & ~after & has_val)  # observed in the base year
    s["revised_base"] = _pick(size, key[base], val[base], None)

    fam = ind["family"].to_numpy()
    sign, target, tol = (ind[c].cast(pl.Float64).to_numpy() for c in ("sign", "target", "tol"))
    bp = np.flatnonzero((fam == "bound")[cp])  # observed years of bound kinds
    cb, kb = cp[bp], kp[bp]
    with np.errstate(invalid="ignore"):
        short = sign[cb] * (target[cb] - vp[bp])
    beyond = short > tol[cb] + EPS
    s["beyond"] = np.bincount(kb[beyond], minlength=size)
    s["within"] = np.bincount(kb[(short > EPS) & ~beyond], minlength=size)
    s |= _paired(ind, fam, cis, known, ri, yr, val, post, cp, size, n_reg, all_regions)
    said, judgement_year = _judgements(obs, fam, cis, key, yr, after, size)
    annual_target, annual_value = _annual(obs, key, yr, val, known, year, size)
    stats = {
        "latest_year": np.where(latest_year >= 0, latest_year, np.nan),
        "first_year": np.where(s["n"] > 0, first_year, np.nan),
        "judgement_year": judgement_year,
        "annual_target": annual_target,
        "annual_value": annual_value,
    } | s

    # All regions, or the one asked for: every n_reg-th series from its position.
    pick = slice(None) if region is None else slice(all_regions.index(region), None, n_reg)
    rows = np.repeat(np.arange(n_ind), n_reg)[pick]
    regions = pl.Series("region", all_regions, dtype=pl.String)
    names = list(statuses())
    said = said[pick]
    columns = [
        pl.Series(k, v[pick], nan_to_null=True).cast(pl.Int32)
        if k in _COUNTS + _YEARS
        else pl.Series(k, v[pick], nan_to_null=True)
        for k, v in stats.items()
    ]
    frame = ind[rows].with_columns(
        regions.gather(np.tile(np.arange(n_reg), n_ind)[pick]),
        pl.Series("judgement", names, dtype=pl.Enum(names)).gather(
            pl.Series(said).set(pl.Series(said < 0), None)
        ),
        *columns,
    )
    kind = ind["kind"].cast(pl.Enum(list(kinds()))).to_physical().to_numpy()
    per_row = {c: ind[c].cast(pl.Float64).to_numpy() for c in _NUMERIC}
    per_row["kind"] = kind
    per_row["binding"] = (ind["attribute"] == "binding").to_numpy()
    arrays = {c: v[rows] for c, v in per_row.items()}
    arrays |= {k: v[pick].astype(np.float64) for k, v in stats.items()} | {"judgement": said}
    return Summary(frame, arrays)


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
    cp: np.ndarray,
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
    own = post[(rel & (bench >= 0))[cp]]  # rows of relative kinds, as row numbers
    if not len(own):
        return out
    # The benchmarks' observed values in a dense table by (benchmark, region, year), over the
    # years of the relative rows; `slot` numbers the benchmark indicators.
    used = np.unique(bench[rel & (bench >= 0)])
    slot = np.full(len(fam), -1)
    slot[used] = np.arange(len(used))
    src = np.flatnonzero((slot >= 0)[cis] & known & ~np.isnan(val))
    series = slot[cis[src]] * n_reg + ri[src]
    o_ci, o_ri, o_yr = cis[own], ri[own], yr[own]
    y0, span = int(o_yr.min()), int(o_yr.max()) - int(o_yr.min()) + 1
    inside = (yr[src] >= y0) & (yr[src] < y0 + span)
    table = np.full(len(used) * n_reg * span, np.nan)
    table[series[inside] * span + (yr[src][inside] - y0)] = val[src][inside]
    b_series = slot[bench[o_ci]] * n_reg
    national = regions.index("") if "" in regions else -1
    use_ri = o_ri
    if national >= 0:
        has_series = np.zeros(len(used) * n_reg, dtype=bool)
        has_series[series] = True
        use_ri = np.where(has_series[b_series + o_ri], o_ri, national)
    bench_val = table[(b_series + use_ri) * span + (o_yr - y0)]
    found = ~np.isnan(bench_val)
    k = (o_ci * n_reg + o_ri)[found]
    own_val, bench_val, years = val[own][found], bench_val[found], o_yr[found]
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
    after: np.ndarray,
    size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The latest judgement a person recorded for each qualitative series (its position in
    statuses(), -1 for none) and its year."""
    pos = np.full(size, -1, dtype=np.int64)
    years = np.full(size, np.nan)
    said = obs["judgement"]
    if (fam == "qualitative").any() and said.null_count() < said.len():
        idx = said.is_not_null().arg_true().to_numpy()
        code = lookup(said.drop_nulls(), list(statuses()))
        keep = (code >= 0) & after[idx] & (fam == "qualitative")[cis[idx]]
        k, y = key[idx[keep]], yr[idx[keep]]
        latest = np.full(size, -1, dtype=np.int64)
        np.maximum.at(latest, k, y)
        at = y == latest[k]
        pos[k[at]] = code[keep][at]
        years[k[at]] = y[at]
    return pos, years


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
