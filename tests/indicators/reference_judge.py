"""A plain, per-indicator reading of METHOD.md §1, written for the tests.

It shares no code with the engine: one indicator and one region at a time, in ordinary Python,
so that the property tests can check the vectorised engine against it on random cases.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

EXPECTED_BAND, BINDING_BAND, STEP_TOLERANCE = 0.10, 0.05, 1.0
SMALL = 1e-12


def average_rate(rates: list[float]) -> float:
    """Compound average of annual rates in percent, as shown (two decimals)."""
    growth = 1.0
    for r in rates:
        growth *= 1 + r / 100
    return shown((growth ** (1 / len(rates)) - 1) * 100)


def shown(x: float) -> float:
    """Two decimals as printed (float noise removed first, so ties round the same way)."""
    return round(round(x, 9), 2)


def reference(
    indicators: list[dict[str, Any]], observations: list[dict[str, Any]], year: int
) -> dict:
    """{(code, region): (status, achievement progress or None)} for every indicator × region."""
    values: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    judgements: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for o in observations:
        where = (o["code"], o.get("region") or "")
        if o.get("value") is not None:
            values[where][o["year"]] = o["value"]
        if o.get("judgement"):
            judgements[where].append((o["year"], o["judgement"]))
    regions = sorted({o.get("region") or "" for o in observations}) or [""]
    out = {}
    for ind in indicators:
        for region in regions:
            out[(ind["code"], region)] = judge_one(ind, region, values, judgements, year)
    return out


def judge_one(ind, region, values, judgements, year) -> tuple[str, float | None]:
    kind = ind["kind"]
    b, t = ind["base_year"], ind["target_year"]
    last = min(year, t)
    final = year >= t
    tau = (last - b) / (t - b)
    own = values.get((ind["code"], region), {})
    seen = {y: v for y, v in own.items() if b < y <= last}
    up = kind not in ("at_most",) and ind.get("direction", "up") != "down"
    sign = 1 if up else -1
    target = ind.get("target")
    tol = ind.get("tolerance")
    if tol is None:
        tol = STEP_TOLERANCE if kind == "rate_in_step" else 0.0
    band = BINDING_BAND if ind.get("attribute") == "binding" else EXPECTED_BAND
    if year <= b:
        return "not_evaluable", None

    if kind == "qualitative":
        recorded = sorted(
            (y, j) for y, j in judgements.get((ind["code"], region), []) if b < y <= last
        )
        return (recorded[-1][1], None) if recorded else ("not_evaluable", None)

    if kind in ("rate_above", "rate_in_step"):
        bench = values.get((ind["benchmark"], region))
        if not bench:
            bench = values.get((ind["benchmark"], ""), {})
        years = sorted(y for y in seen if y in bench)
        if not years:
            return "not_evaluable", None
        margin = shown(
            average_rate([seen[y] for y in years]) - average_rate([bench[y] for y in years])
        )
        ok = margin > SMALL if kind == "rate_above" else abs(margin) <= tol + SMALL
        if final:
            return ("achieved" if ok else "not_achieved"), None
        if kind == "rate_in_step" and margin > tol + SMALL:
            return "faster", None
        return ("in_line" if ok else "lagging"), None

    if not seen:
        return "not_evaluable", None
    latest = seen[max(seen)]
    base = ind.get("base_value")
    if kind in ("level", "cumulative_increase", "at_least", "at_most") and b in own:
        base = own[b]  # a baseline revision

    if kind in ("at_least", "at_most"):
        shortfalls = [sign * (target - v) for v in seen.values()]
        beyond = sum(1 for s in shortfalls if s > tol + 1e-9)
        held = (len(seen) - beyond) / len(seen)
        if final:
            return ("not_achieved" if beyond else "achieved"), held
        if beyond:
            return "lagging", held
        was_met = base is None or sign * (base - target) >= -SMALL
        now_met = sign * (latest - target) >= -SMALL
        return ("achieved_early" if not was_met and now_met else "in_line"), held

    if kind == "avg_rate_in_range":
        avg = average_rate(list(seen.values()))
        inside = target - tol - SMALL <= avg <= ind["target_high"] + tol + SMALL
        if final:
            return ("achieved" if inside else "not_achieved"), None
        return ("in_line" if inside else "lagging"), None

    met_final = None
    if kind == "level":
        progress = (latest - base) / (target - base) if target != base else math.nan
        met = sign * (latest - target) >= -SMALL
    elif kind == "cumulative_increase":
        change = sign * (latest - base)
        progress = change / target if target else math.nan
        met = change >= target - SMALL
    elif kind == "cumulative_reduction":
        kept = 1.0
        for r in seen.values():
            kept *= 1 - r / 100
        done = shown((1 - kept) * 100)
        progress = done / target if target else math.nan
        met = done >= target - SMALL
    elif target <= 0:  # avg_rate_at_least allowing no growth or a decline: the average decides
        holds = average_rate(list(seen.values())) >= target - SMALL
        if final:
            return ("achieved" if holds else "not_achieved"), None
        return ("in_line" if holds else "lagging"), None
    else:  # avg_rate_at_least: share of the whole period's compound growth already achieved
        logs = sum(math.log(1 + r / 100) for r in seen.values())
        needed = (t - b) * math.log(1 + target / 100)
        progress = logs / needed if needed else math.nan
        met = logs >= needed - SMALL
        met_final = met or average_rate(list(seen.values())) >= target - SMALL
    if final:
        return (
            "achieved" if (met_final if met_final is not None else met) else "not_achieved"
        ), progress
    if met:
        return "achieved_early", progress
    if math.isnan(progress) or progress < 0 or progress - tau < -band:
        return "lagging", progress
    if progress - tau > band:
        return "faster", progress
    return "in_line", progress
