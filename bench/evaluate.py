"""Benchmark `luoshi evaluate`: a million observation rows judged end to end from CSV files.

2,000 indicators (every target kind) × 50 regions × 10 years. Three contenders, each in a fresh
process so that peak memory is its own, all measured in the same run, each timed as the best of
REPEAT runs (the machine is shared):

  luoshi   read_indicators + read_observations (checked) + evaluate_frame (FYP method)
  loop     the plain approach: csv module, a dict per series, one Python pass per indicator
           and region computing the same status, projection and warning
  duckdb   DuckDB reading the same CSV files and judging with one SQL query

Goals (issue 4): under 2 s for luoshi, ≥ 20× the loop, no slower than 1.5× DuckDB. The three
status tallies are compared at the end, so the contenders are known to do the same arithmetic.

    .venv/bin/python bench/evaluate.py [--indicators 2000 --regions 50 --years 10]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import polars as pl

from luoshi.indicators import KINDS as KIND_TABLE
from luoshi.settings import Settings

BASE, TARGET, YEAR = 2020, 2030, 2028
KINDS = list(KIND_TABLE)
_DEFAULTS = Settings()
BAND_EXPECTED, BAND_BINDING = _DEFAULTS.band_expected, _DEFAULTS.band_binding
STEP_TOL = _DEFAULTS.rate_in_step_tolerance
REPEAT = 5


def generate(folder: Path, n_ind: int, n_reg: int, n_years: int) -> tuple[Path, Path]:
    """Write a random but well-formed indicator table and observations."""
    rng = np.random.default_rng(7)
    kind = [KINDS[i % len(KINDS)] for i in range(n_ind)]
    codes = [f"I{i:05d}" for i in range(n_ind)]
    first_rate = next(i for i, k in enumerate(kind) if k == "avg_rate_at_least")
    rows = []
    for i, k in enumerate(kind):
        base = float(rng.uniform(20, 80))
        target = {
            "level": base * rng.uniform(1.05, 1.3),
            "at_least": base * rng.uniform(0.9, 1.02),
            "at_most": base * rng.uniform(0.98, 1.1),
            "avg_rate_at_least": rng.uniform(3, 7),
            "avg_rate_in_range": rng.uniform(1, 2),
            "cumulative_reduction": rng.uniform(10, 18),
            "cumulative_increase": rng.uniform(1, 5),
        }.get(k)
        rows.append(
            {
                "code": codes[i],
                "name": f"指标{i}",
                "attribute": "约束性" if i % 3 == 0 else "预期性",
                "direction": "down" if k == "at_most" or (k == "level" and i % 4 == 0) else "up",
                "base_year": BASE,
                "base_value": round(base, 2)
                if k in ("level", "at_least", "at_most", "cumulative_increase")
                else None,
                "target_year": TARGET,
                "kind": k,
                "target": None if target is None else round(float(target), 2),
                "target_high": 3.0 if k == "avg_rate_in_range" else None,
                "benchmark": codes[first_rate] if k in ("rate_above", "rate_in_step") else None,
                "tolerance": 0.5 if k in ("at_least", "at_most") else None,
            }
        )
    for r in rows:  # a downward level aims below its base
        if r["direction"] == "down" and r["kind"] == "level":
            r["target"] = round(r["base_value"] * 0.85, 2)
    ind = pl.DataFrame(rows)
    n = n_ind * n_reg * n_years
    code_idx = np.repeat(np.arange(n_ind), n_reg * n_years)
    years = np.tile(np.arange(BASE, BASE + n_years), n_ind * n_reg)
    base_arr = np.nan_to_num(ind["base_value"].cast(pl.Float64).to_numpy(), nan=50.0)[code_idx]
    is_rate = np.isin(
        np.array(kind)[code_idx],
        [
            "avg_rate_at_least",
            "avg_rate_in_range",
            "rate_above",
            "rate_in_step",
            "cumulative_reduction",
        ],
    )
    step = rng.normal(0.01, 0.02, n)
    level = base_arr * (1 + step * (years - BASE))
    rate = rng.normal(4, 2, n)
    value = np.where(is_rate, rate, level).round(3)
    obs = pl.DataFrame(
        {
            "code": np.array(codes)[code_idx],
            "region": np.char.add(
                "R", np.tile(np.repeat(np.arange(n_reg), n_years), n_ind).astype(str)
            ),
            "year": years,
            "value": value,
        }
    )
    obs = obs.with_columns(
        pl.when(
            pl.col("code").is_in(
                [c for c, k in zip(codes, kind, strict=True) if k == "qualitative"]
            )
        )
        .then(None)
        .otherwise(pl.col("value"))
        .alias("value"),
        pl.when(
            pl.col("code").is_in(
                [c for c, k in zip(codes, kind, strict=True) if k == "qualitative"]
            )
        )
        .then(pl.lit("in_line"))
        .otherwise(None)
        .alias("judgement"),
    )
    ip, op = folder / "indicators.csv", folder / "observations.csv"
    ind.write_csv(ip)
    obs.write_csv(op)
    return ip, op


# ---------------------------------------------------------------- contenders


def run_luoshi(ip: Path, op: Path) -> Counter:
    from luoshi.indicators import evaluate_frame, read_indicators, read_observations

    table = read_indicators(ip)
    obs = read_observations(op, table)
    frame = evaluate_frame(table, obs, YEAR)
    return Counter(dict(frame["status"].value_counts().iter_rows()))


def run_loop(ip: Path, op: Path) -> Counter:
    """Plain Python: one dict per series, then one pass per indicator and region."""
    with ip.open(encoding="utf-8") as fh:
        ind = {r["code"]: r for r in csv.DictReader(fh)}
    series: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    judged: dict[tuple[str, str], str] = {}
    regions = set()
    with op.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            regions.add(r["region"])
            if r["value"]:
                series[(r["code"], r["region"])][int(r["year"])] = float(r["value"])
            if r["judgement"]:
                judged[(r["code"], r["region"])] = r["judgement"]
    tally: Counter = Counter()
    warnings: Counter = Counter()
    for code, row in ind.items():
        for region in regions:
            own = series.get((code, region), {})
            status = _loop_one(row, own, series, region, judged.get((code, region)))
            tally[status] += 1
            warnings[_loop_warning(row, status, _loop_projection_meets(row, own))] += 1
    return tally


def _loop_projection_meets(row: dict, s: dict[int, float]) -> bool:
    """Whether the target year is reached at the current pace (what the engine also computes)."""
    kind, b, t_end = row["kind"], int(row["base_year"]), int(row["target_year"])
    post = sorted((y, v) for y, v in s.items() if b < y <= min(YEAR, t_end))
    if not post or kind in ("qualitative", "rate_above", "rate_in_step"):
        return True
    target = _num(row["target"]) or 0.0
    sign = -1 if row["direction"] == "down" else 1
    if kind in ("avg_rate_at_least", "avg_rate_in_range"):
        return _avg([v for _, v in post]) >= target - 1e-12
    if kind == "cumulative_reduction":
        kept = math.exp(sum(math.log1p(-v / 100) for _, v in post) * (t_end - b) / len(post))
        return (1 - kept) * 100 >= target - 1e-12
    base = s.get(b, _num(row["base_value"]))
    y0, x0 = (b, base) if base is not None else post[0]
    ly, latest = post[-1]
    value = x0 + (latest - x0) * (t_end - y0) / (ly - y0) if ly > y0 else latest
    if kind == "cumulative_increase":
        return sign * (value - x0) >= target - 1e-12
    return sign * (value - target) >= -(_num(row["tolerance"]) or 0.0) - 1e-12


def _loop_warning(row: dict, status: str, meets: bool) -> str:
    binding = row["attribute"] == "约束性"
    if status == "not_achieved" or (status == "lagging" and binding):
        return "red"
    if status in ("lagging", "not_evaluable") or (status == "in_line" and not meets):
        return "yellow"
    return "green"


def _num(text: str) -> float | None:
    return float(text) if text else None


def _avg(rates: list[float]) -> float:
    return round((math.exp(sum(math.log1p(r / 100) for r in rates) / len(rates)) - 1) * 100, 2)


def _loop_one(
    row: dict, s: dict[int, float], all_series: dict, region: str, judgement: str | None
) -> str:
    kind, b, t_end = row["kind"], int(row["base_year"]), int(row["target_year"])
    end = min(YEAR, t_end)
    final = t_end <= YEAR
    tau = (end - b) / (t_end - b)
    target, sign = _num(row["target"]), (-1 if row["direction"] == "down" else 1)
    band = BAND_BINDING if row["attribute"] == "约束性" else BAND_EXPECTED
    post = {y: v for y, v in s.items() if b < y <= end}
    if kind == "qualitative":
        return judgement or "not_evaluable"
    if kind in ("rate_above", "rate_in_step"):
        bench = all_series.get((row["benchmark"], region), {})
        years = [y for y in post if y in bench]
        if not years:
            return "not_evaluable"
        margin = round(_avg([post[y] for y in years]) - _avg([bench[y] for y in years]), 2)
        tol = (
            _num(row["tolerance"])
            if row["tolerance"]
            else (STEP_TOL if kind == "rate_in_step" else 0.0)
        )
        ok = margin > 0 if kind == "rate_above" else abs(margin) <= tol + 1e-12
        if final:
            return "achieved" if ok else "not_achieved"
        if kind == "rate_in_step" and margin > tol + 1e-12:
            return "faster"
        return "in_line" if ok else "lagging"
    if not post:
        return "not_evaluable"
    latest = post[max(post)]
    base = s.get(b, _num(row["base_value"]))
    tol = _num(row["tolerance"]) or 0.0
    if kind in ("at_least", "at_most"):
        beyond = sum(1 for v in post.values() if sign * (target - v) > tol + 1e-9)
        if final:
            return "not_achieved" if beyond else "achieved"
        if beyond:
            return "lagging"
        met_base = base is None or sign * (base - target) >= -1e-12
        return (
            "achieved_early" if not met_base and sign * (latest - target) >= -1e-12 else "in_line"
        )
    if kind == "avg_rate_in_range":
        avg = _avg(list(post.values()))
        ok = target - tol - 1e-12 <= avg <= _num(row["target_high"]) + tol + 1e-12
        return ("achieved" if ok else "not_achieved") if final else ("in_line" if ok else "lagging")
    if kind == "avg_rate_at_least":
        slg = sum(math.log1p(v / 100) for v in post.values())
        need = (t_end - b) * math.log1p(target / 100)
        pi = slg / need if need else math.nan
        met, met_final = slg >= need - 1e-12, _avg(list(post.values())) >= target - 1e-12
    elif kind == "cumulative_reduction":
        cum = round((1 - math.exp(sum(math.log1p(-v / 100) for v in post.values()))) * 100, 2)
        pi = cum / target if target else math.nan
        met = met_final = cum >= target - 1e-12
    elif kind == "cumulative_increase":
        change = sign * (latest - base)
        pi = change / target if target else math.nan
        met = met_final = change >= target - 1e-12
    else:  # level
        pi = (latest - base) / (target - base) if target != base else math.nan
        met = met_final = sign * (latest - target) >= -1e-12
    if final:
        return "achieved" if met_final or met else "not_achieved"
    if met:
        return "achieved_early"
    if math.isnan(pi) or pi < 0 or pi - tau < -band:
        return "lagging"
    return "faster" if pi - tau > band else "in_line"


DUCKDB_SQL = """
WITH i AS (
  SELECT *, LEAST(target_year, {year}) AS end_y,
         CASE WHEN direction = 'down' THEN -1.0 ELSE 1.0 END AS sgn,
         CASE WHEN attribute = '约束性' THEN {bb} ELSE {be} END AS band,
         COALESCE(tolerance, CASE WHEN kind = 'rate_in_step' THEN {st} ELSE 0.0 END) AS tol,
         LEAST(1.0, ({year} - base_year) / (target_year - base_year)) AS tau,
         {year} >= target_year AS final
  FROM read_csv('{ip}', header = true)
),
o AS (SELECT * FROM read_csv('{op}', header = true,
      types = {{'code': 'VARCHAR', 'region': 'VARCHAR', 'year': 'INTEGER', 'value': 'DOUBLE',
                'judgement': 'VARCHAR'}})),
regions AS (SELECT DISTINCT region FROM o),
j AS (
  SELECT o.code, o.region, o.year, o.value, o.judgement, i.base_year, i.kind, i.target, i.tol, i.sgn
  FROM o JOIN i USING (code) WHERE o.year BETWEEN i.base_year AND i.end_y
),
s AS (
  SELECT code, region,
    max(value) FILTER (WHERE year = base_year) AS rev,
    count(value) FILTER (WHERE year > base_year) AS n,
    arg_max(value, year) FILTER (WHERE year > base_year AND value IS NOT NULL) AS latest,
    sum(ln(1 + value / 100)) FILTER (WHERE year > base_year) AS slg,
    sum(ln(1 - value / 100)) FILTER (WHERE year > base_year) AS slr,
    count(*) FILTER (WHERE year > base_year AND kind IN ('at_least', 'at_most')
                     AND sgn * (target - value) > tol + 1e-9) AS beyond,
    arg_max(judgement, year) FILTER (WHERE judgement IS NOT NULL AND year > base_year) AS judgement
  FROM j GROUP BY code, region
),
p AS (
  SELECT j.code, j.region, count(*) AS pn,
    round((exp(avg(ln(1 + j.value / 100))) - 1) * 100, 2)
      - round((exp(avg(ln(1 + bo.value / 100))) - 1) * 100, 2) AS margin
  FROM j JOIN i USING (code) JOIN o bo ON bo.code = i.benchmark AND bo.region = j.region
       AND bo.year = j.year AND bo.value IS NOT NULL
  WHERE j.kind IN ('rate_above', 'rate_in_step') AND j.year > j.base_year AND j.value IS NOT NULL
  GROUP BY j.code, j.region
),
x AS (
  SELECT i.*, r.region, s.n, s.latest, s.slg, s.slr, s.beyond, s.judgement, p.pn,
    round(p.margin, 2) AS margin,
    CASE WHEN i.kind IN ('level', 'cumulative_increase', 'at_least', 'at_most')
         THEN COALESCE(s.rev, i.base_value) ELSE i.base_value END AS base,
    round((exp(s.slg / s.n) - 1) * 100, 2) AS avg_rate,
    round((1 - exp(s.slr)) * 100, 2) AS cum
  FROM i CROSS JOIN regions r
  LEFT JOIN s ON s.code = i.code AND s.region = r.region
  LEFT JOIN p ON p.code = i.code AND p.region = r.region
),
y AS (
  SELECT *,
    CASE kind
      WHEN 'level' THEN CASE WHEN target <> base THEN (latest - base) / (target - base) END
      WHEN 'cumulative_increase' THEN sgn * (latest - base) / NULLIF(target, 0)
      WHEN 'cumulative_reduction' THEN cum / NULLIF(target, 0)
      WHEN 'avg_rate_at_least'
        THEN slg / NULLIF((target_year - base_year) * ln(1 + target / 100), 0)
    END AS pi,
    CASE kind
      WHEN 'level' THEN sgn * (latest - target) >= -1e-12
      WHEN 'cumulative_increase' THEN sgn * (latest - base) >= target - 1e-12
      WHEN 'cumulative_reduction' THEN cum >= target - 1e-12
      WHEN 'avg_rate_at_least' THEN slg >= (target_year - base_year) * ln(1 + target / 100) - 1e-12
    END AS met,
    CASE WHEN kind = 'rate_above' THEN margin > 0 ELSE abs(margin) <= tol + 1e-12 END AS rel_ok
  FROM x
)
SELECT status, count(*) AS n FROM (
  SELECT CASE
    WHEN kind = 'qualitative' THEN COALESCE(judgement, 'not_evaluable')
    WHEN kind IN ('rate_above', 'rate_in_step') THEN CASE
      WHEN COALESCE(pn, 0) = 0 THEN 'not_evaluable'
      WHEN final THEN CASE WHEN rel_ok THEN 'achieved' ELSE 'not_achieved' END
      WHEN kind = 'rate_in_step' AND margin > tol + 1e-12 THEN 'faster'
      WHEN rel_ok THEN 'in_line' ELSE 'lagging' END
    WHEN COALESCE(n, 0) = 0 THEN 'not_evaluable'
    WHEN kind IN ('at_least', 'at_most') THEN CASE
      WHEN final THEN CASE WHEN beyond > 0 THEN 'not_achieved' ELSE 'achieved' END
      WHEN beyond > 0 THEN 'lagging'
      WHEN base IS NOT NULL AND sgn * (base - target) < -1e-12 AND sgn * (latest - target) >= -1e-12
        THEN 'achieved_early'
      ELSE 'in_line' END
    WHEN kind = 'avg_rate_in_range' THEN CASE
      WHEN avg_rate BETWEEN target - tol - 1e-12 AND target_high + tol + 1e-12
        THEN CASE WHEN final THEN 'achieved' ELSE 'in_line' END
      ELSE CASE WHEN final THEN 'not_achieved' ELSE 'lagging' END END
    WHEN final THEN CASE WHEN met OR (kind = 'avg_rate_at_least' AND avg_rate >= target - 1e-12)
      THEN 'achieved' ELSE 'not_achieved' END
    WHEN met THEN 'achieved_early'
    WHEN pi IS NULL OR isnan(pi) OR pi < 0 OR pi - tau < -band THEN 'lagging'
    WHEN pi - tau > band THEN 'faster'
    ELSE 'in_line' END AS status
  FROM y
) GROUP BY status
"""


def run_duckdb(ip: Path, op: Path) -> Counter:
    import duckdb

    con = duckdb.connect()
    sql = DUCKDB_SQL.format(year=YEAR, ip=ip, op=op, bb=BAND_BINDING, be=BAND_EXPECTED, st=STEP_TOL)
    return Counter(dict(con.execute(sql).fetchall()))


CONTENDERS = {"luoshi": run_luoshi, "loop": run_loop, "duckdb": run_duckdb}


def child(name: str, ip: Path, op: Path) -> None:
    """Run one contender in this process and print its time, peak memory and tally as JSON."""
    fn = CONTENDERS[name]
    if name == "luoshi":  # import cost is not part of the judgement
        import luoshi.indicators  # noqa: F401
    else:
        import duckdb  # noqa: F401
    runs = []
    for _ in range(REPEAT):  # best of REPEAT for every contender: the machine is shared
        start = time.perf_counter()
        tally = fn(ip, op)
        runs.append(time.perf_counter() - start)
    seconds = min(runs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "tally": dict(tally)}))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--indicators", type=int, default=2000)
    ap.add_argument("--regions", type=int, default=50)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--child", nargs=3, metavar=("NAME", "IND", "OBS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        ip, op = generate(Path(tmp), args.indicators, args.regions, args.years)
        rows = args.indicators * args.regions * args.years
        shape = f"{args.indicators:,} indicators × {args.regions} regions × {args.years} years"
        print(f"{rows:,} observation rows ({shape}), evaluation year {YEAR}")
        results = {}
        for name in CONTENDERS:
            out = subprocess.run(
                [sys.executable, __file__, "--child", name, str(ip), str(op)],
                check=True,
                capture_output=True,
                text=True,
            )
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    for name, r in results.items():
        speed = f"{rows / r['seconds']:>12,.0f} rows/s"
        print(f"  {name:7s} {r['seconds']:7.2f} s  {speed}  peak {r['peak_mb']:,.0f} MB")
    lu = results["luoshi"]["seconds"]
    print(f"luoshi vs loop:   {results['loop']['seconds'] / lu:5.1f}× faster (goal ≥ 20×)")
    print(
        f"luoshi vs DuckDB: {lu / results['duckdb']['seconds']:5.2f}× DuckDB's time (goal ≤ 1.5×)"
    )
    print(f"luoshi under 2 s: {'yes' if lu < 2 else 'no'} ({lu:.2f} s)")
    tallies = {k: v["tally"] for k, v in results.items()}
    same = tallies["luoshi"] == tallies["loop"] == tallies["duckdb"]
    print(f"status tallies agree: {'yes' if same else 'NO'} {tallies['luoshi']}")
    if not same:
        print(json.dumps(tallies, ensure_ascii=False, indent=1))
        sys.exit(1)


if __name__ == "__main__":
    main()
