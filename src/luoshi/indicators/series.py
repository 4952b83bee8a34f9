"""Summaries of each (indicator, region) series up to the evaluation year, in one vectorised pass.

Everything the FYP and SDG methods need is a handful of sums and counts per series: the
baseline revision (the observation of the base year), the first and latest observation, the
sum of ln(1 + r/100) of annual rates and of reductions, broken bounds, and paired sums against
a benchmark series. Each series gets a dense integer key (indicator × region), and compiled
kernels (luoshi.indicators.kernels) add every row to its series in one pass over the rows, in
file order: no per-indicator Python, no sorting, no million-row temporaries.
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
# What kernels.series_sums returns, in order.
_SERIES_SUMS = (
    "n",
    "sum_log_growth",
    "sum_log_reduction",
    "latest_year",
    "first_year",
    "latest_value",
    "first_value",
    "revised_base",
    "beyond",
    "within",
)


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

    from luoshi.indicators import kernels  # numba: loaded only when a judgement runs

    yr = obs["year"].to_numpy()
    val = obs["value"].fill_null(np.nan).to_numpy()  # nulls as NaN, filled by Polars (faster)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = val / 100
        growth = np.log1p(ratio)  # NumPy's log1p, as everywhere in the methods
        reduction = np.log1p(np.negative(ratio, out=ratio), out=ratio)

    by = ind["base_year"].to_numpy().astype(np.int64)
    ey = ind["end"].to_numpy().astype(np.int64)
    fam = ind["family"].to_numpy()
    sign, target, tol = (ind[c].cast(pl.Float64).to_numpy() for c in ("sign", "target", "tol"))
    sums = kernels.run(
        kernels.series_sums,
        ci,
        ri,
        yr,
        val,
        growth,
        reduction,
        n_reg,
        size,
        by,
        ey,
        fam == "bound",
        sign,
        target,
        tol,
        EPS,
    )
    s = dict(zip(_SERIES_SUMS, sums, strict=True))
    latest_year, first_year = s.pop("latest_year"), s.pop("first_year")
    s |= _paired(ind, fam, ci, ri, yr, val, growth, size, n_reg, by, ey, all_regions)
    said, judgement_year = _judgements(obs, fam, ci, ri, yr, size, n_reg, by, ey)
    annual_target, annual_value = _annual(obs, ci, ri, n_reg, yr, val, year, size)
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
    arrays |= {k: np.asarray(v[pick], dtype=np.float64) for k, v in stats.items()} | {
        "judgement": said
    }
    return Summary(frame, arrays)


def _paired(
    ind: pl.DataFrame,
    fam: np.ndarray,
    ci: np.ndarray,
    ri: np.ndarray,
    yr: np.ndarray,
    val: np.ndarray,
    growth: np.ndarray,
    size: int,
    n_reg: int,
    by: np.ndarray,
    ey: np.ndarray,
    regions: list[str],
) -> dict[str, np.ndarray]:
    """Sums over the years where both a relative indicator and its benchmark are observed.

    The benchmark is read in the same region; when that region has no benchmark series at
    all, the series with an empty region (a national or city-wide figure) is used.
    """
    from luoshi.indicators import kernels

    code_map = {c: i for i, c in enumerate(ind["code"].to_list())}
    bench = np.array(
        [code_map.get(b, -1) if b else -1 for b in ind["benchmark"].to_list()], dtype=np.int64
    )
    bench = np.where(fam == "relative", bench, -1)
    used = np.unique(bench[bench >= 0])
    slot = np.full(len(fam), -1)
    slot[used] = np.arange(len(used))
    national = regions.index("") if "" in regions else -1
    pair_n, own, bench_sum, first, last = kernels.run(
        kernels.paired_sums,
        ci,
        ri,
        yr,
        val,
        growth,
        n_reg,
        size,
        by,
        ey,
        bench,
        slot,
        len(used),
        national,
    )
    return {
        "pair_n": pair_n,
        "pair_log_own": own,
        "pair_log_bench": bench_sum,
        "pair_first_year": np.where(pair_n > 0, first, np.nan),
        "pair_last_year": np.where(pair_n > 0, last, np.nan),
    }


def _judgements(
    obs: pl.DataFrame,
    fam: np.ndarray,
    ci: np.ndarray,
    ri: np.ndarray,
    yr: np.ndarray,
    size: int,
    n_reg: int,
    by: np.ndarray,
    ey: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The latest judgement a person recorded for each qualitative series (its position in
    statuses(), -1 for none) and its year."""
    from luoshi.indicators import kernels

    said = obs["judgement"]
    if not (fam == "qualitative").any() or said.null_count() == said.len():
        return np.full(size, -1, dtype=np.int64), np.full(size, np.nan)
    rows = said.is_not_null().arg_true().to_numpy()
    code = lookup(said.drop_nulls(), list(statuses()))
    return kernels.run(
        kernels.latest_judgements, rows, code, ci, ri, yr, n_reg, size, by, ey, fam == "qualitative"
    )


def _annual(
    obs: pl.DataFrame,
    ci: np.ndarray,
    ri: np.ndarray,
    n_reg: int,
    yr: np.ndarray,
    val: np.ndarray,
    year: int,
    size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The annual target (年度目标) of the evaluation year and that year's value."""
    if obs["annual_target"].null_count() == obs.height:
        return np.full(size, np.nan), np.full(size, np.nan)
    target = obs["annual_target"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    m = (ci >= 0) & (yr == year) & ~np.isnan(target)
    key = ci[m].astype(np.int64) * n_reg + ri[m]
    return _pick(size, key, target[m]), _pick(size, key, val[m])


def _pick(size: int, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """values scattered to their series (NaN where none); the last row of a series wins."""
    out = np.full(size, np.nan)
    out[keys] = values
    return out
