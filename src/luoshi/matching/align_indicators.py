"""Indicator alignment: the same indicator in two plans, and local targets derived from upper ones.

Plans name one measure many ways (研发经费投入强度, R&D经费占GDP比重) and print it in different
units (万人 / 人). `same_indicator` decides whether two indicator rows are the same measure,
from data/alignment/indicators.yaml: names are normalised (NFKC, rewrites such as GDP → 生产总值,
region words such as 全市 dropped), then looked up in the synonym table, then compared by
character-bigram overlap; units must share a dimension and are converted.

`align_indicators(upper_rows, lower_rows)` pairs every upper indicator with its lower
counterpart, says how the local target relates to the upper one (不低于上级 / 低于上级), lists
the upper indicators the lower plan lacks (`missing`, each with a proposed local target) and the
lower ones no upper indicator anchors (`local_only`).

`propose_target(upper, local_base)` derives a local target from the upper target for each
target kind of shared METHOD.md §1, with the arithmetic written out, e.g. a national cumulative
reduction [17] becomes a local cumulative reduction of at least 17%, i.e. 3.66% a year.
Rows are plain mappings with the METHOD.md §3 columns (code, name, unit, kind, target, …).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from luoshi.matching.text import normalize

Row = Mapping[str, Any]

# Trailing unit in a printed name: 城镇新增就业(万人), 森林覆盖率(%).
_NAME_UNIT = re.compile(r"[((]([^()()]{1,8})[))]$")


@dataclass(frozen=True)
class IndicatorData:
    """Synonyms, related pairs, rewrites and units (data/alignment/indicators.yaml)."""

    canonical: dict[str, str]
    related: frozenset[frozenset[str]]
    rewrites: tuple[tuple[str, str], ...]
    region_words: tuple[str, ...]
    similar_names: float
    units: dict[str, tuple[str, float]]
    extensive: frozenset[str] = frozenset()


@lru_cache
def indicator_data() -> IndicatorData:
    """The bundled indicator alignment data (cached)."""
    path = resources.files("luoshi").joinpath("data", "alignment", "indicators.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rewrites = tuple(sorted(data["rewrites"].items(), key=lambda kv: -len(kv[0])))
    regions = tuple(sorted(data["region_words"], key=len, reverse=True))
    base = IndicatorData({}, frozenset(), rewrites, regions, float(data["similar_names"]), {})
    canonical: dict[str, str] = {}
    for entry in data["synonyms"]:
        name = entry["name"]
        for alias in [name, *(entry.get("aliases") or [])]:
            canonical.setdefault(name_key(alias, base), name)
    related = frozenset(frozenset(name_key(n, base) for n in pair) for pair in data["related"])
    units = {
        normalize(u): (str(spec["dimension"]), float(spec["factor"]))
        for u, spec in data["units"].items()
    }
    extensive = frozenset(data["extensive_dimensions"])
    return IndicatorData(
        canonical, related, rewrites, regions, base.similar_names, units, extensive
    )


def name_key(name: str, data: IndicatorData | None = None) -> str:
    """The comparable form of an indicator name: NFKC, unit suffix and region words dropped.

    >>> name_key("全市地区生产总值增长(%)")
    '生产总值增长'
    """
    data = data or indicator_data()
    text = normalize(name).replace(" ", "")
    text = _NAME_UNIT.sub("", text)
    for old, new in data.rewrites:
        text = text.replace(normalize(old), new)
    for word in data.region_words:
        text = text.replace(word, "")
    return text


def canonical_name(key: str, data: IndicatorData | None = None) -> tuple[str, bool]:
    """The synonym entry a name key belongs to, and whether it was found only inside a longer
    wording (要在保持经济增速高于… contains 经济增速); the key itself when none fits."""
    data = data or indicator_data()
    if key in data.canonical:
        return data.canonical[key], False
    inside = [alias for alias in data.canonical if len(alias) >= 4 and alias in key]
    if inside:
        return data.canonical[max(inside, key=len)], True
    return key, False


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def unit_factor(unit: str | None) -> tuple[str, float] | None:
    """(dimension, factor to the dimension's base unit) of a unit, None when unknown."""
    if not unit:
        return None
    return indicator_data().units.get(normalize(unit))


def is_total(unit: str | None) -> bool:
    """Whether a unit measures a total (亿元, 万人 …) rather than a rate or a ratio."""
    found = unit_factor(unit)
    return bool(found and found[0] in indicator_data().extensive)


@dataclass(frozen=True)
class Sameness:
    """Whether two indicator rows are the same measure, how sure, why, and the unit factor."""

    relation: str  # same, similar, related, different
    score: float
    reason: str
    factor: float = 1.0  # multiply an upper value by this to express it in the lower unit


def same_indicator(upper: Row, lower: Row, confirmed: Collection[tuple[str, str]] = ()) -> Sameness:
    """Compare two indicator rows by name (synonyms, then similarity) and unit.

    `confirmed` holds (upper name, lower name) pairs a person declared the same indicator;
    they count as synonyms (units are still checked and converted).
    """
    data = indicator_data()
    uk, lk = name_key(str(upper["name"]), data), name_key(str(lower["name"]), data)
    by_person = (uk, lk) in {(name_key(a, data), name_key(b, data)) for a, b in confirmed}
    (uc, u_in), (lc, l_in) = canonical_name(uk, data), canonical_name(lk, data)
    if uk == lk:
        relation, score, reason = "same", 1.0, "名称一致"
    elif by_person:
        relation, score, reason = "same", 1.0, "已由人工确认为同一指标"
    elif uc == lc and (u_in or l_in):
        relation, score, reason = "similar", 0.8, f"表述中含同义指标“{uc}”,请人工确认"
    elif uc == lc:
        relation, score, reason = "same", 0.95, f"同义指标:{upper['name']} = {lower['name']}"
    elif frozenset((uc, lc)) in data.related or frozenset((uk, lk)) in data.related:
        relation, score, reason = "related", 0.5, "同一领域、口径不同"
    else:
        a, b = _bigrams(uc), _bigrams(lc)
        overlap = len(a & b) / len(a | b)
        if overlap >= data.similar_names:
            relation, score, reason = "similar", round(overlap, 3), "名称相近,请人工确认"
        else:
            return Sameness("different", round(overlap, 3), "名称不同")
    uu, lu = unit_factor(upper.get("unit")), unit_factor(lower.get("unit"))
    if uu and lu:
        if uu[0] != lu[0]:
            return Sameness(
                "related", 0.4, f"{reason};单位量纲不同({upper['unit']} / {lower['unit']})"
            )
        if uu[1] != lu[1]:
            return Sameness(
                relation,
                score,
                f"{reason};单位换算 1{upper['unit']} = {_fmt(uu[1] / lu[1])}{lower['unit']}",
                uu[1] / lu[1],
            )
    return Sameness(relation, score, reason)


def _fmt(value: float | None) -> str:
    """A number as a planner writes it: no trailing zeros, at most 4 decimals."""
    if value is None:
        return "—"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


@dataclass(frozen=True)
class Proposal:
    """A proposed local target derived from an upper target, with its arithmetic."""

    kind: str
    target: float | None
    target_high: float | None
    benchmark: str | None
    unit: str | None
    arithmetic: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


def _years(upper: Row) -> int:
    """Years of the plan period (target year − base year), 5 when unknown."""
    try:
        return max(1, int(upper["target_year"]) - int(upper["base_year"]))
    except (KeyError, TypeError, ValueError):
        return 5


def propose_target(
    upper: Row,
    local_base: float | None = None,
    *,
    local_unit: str | None = None,
    above_upper: bool = False,
) -> Proposal:
    """A local target for one upper indicator, by its target kind, with the arithmetic shown.

    `local_base` is the local base-year value (in `local_unit`, default the upper unit);
    `above_upper` says the local plan wants its rate above the upper average (高于全国平均水平).
    """
    kind = str(upper.get("kind") or "qualitative")
    unit = local_unit or upper.get("unit") or ""
    factor = 1.0
    uf, lf = unit_factor(upper.get("unit")), unit_factor(local_unit)
    if uf and lf and uf[0] == lf[0]:
        factor = uf[1] / lf[1]
    t = upper.get("target")
    t = None if t is None else float(t) * (1.0 if kind in _RATE_KINDS else factor)
    th = upper.get("target_high")
    th = None if th is None else float(th)
    base = upper.get("base_value")
    base = None if base is None else float(base) * factor
    name, code = upper.get("name", ""), upper.get("code")
    n = _years(upper)

    if above_upper and kind in _RATE_KINDS | {"rate_in_step", "rate_above"}:
        return Proposal(
            "rate_above", None, None, code, "%",
            f"本地要求高于上级平均水平:以上级“{name}”({code})的年度序列为对标,"
            f"本地年均增速须高于其年均增速(rate_above)。",
        )  # fmt: skip
    if is_total(upper.get("unit")) and kind in {"level", "at_least", "at_most"}:
        return _propose_total(kind, t, base, local_base, unit)
    if kind == "level":
        return _propose_level(upper, t, base, local_base, unit, n)
    if kind in {"at_least", "at_most"}:
        word = "不低于" if kind == "at_least" else "不高于"
        note = ""
        if local_base is not None and t is not None:
            ok = local_base >= t if kind == "at_least" else local_base <= t
            note = f";本地基期{_fmt(local_base)}{unit}{'已满足' if ok else '尚未满足'}该约束"
        return Proposal(
            kind, t, None, None, unit,
            f"沿用上级约束:每年{word}{_fmt(t)}{unit}{note}。",
        )  # fmt: skip
    if kind == "avg_rate_at_least":
        return Proposal(
            kind, t, None, None, "%",
            f"上级要求年均增长{_fmt(t)}%以上,本地年均增长不低于{_fmt(t)}%。",
        )  # fmt: skip
    if kind == "avg_rate_in_range":
        if t is None:
            return Proposal(
                kind, None, None, None, "%",
                "上级未量化区间(如“保持在合理区间”),请按本地实际设定区间;"
                f"若本地要求高于全国平均水平,可改为对标“{name}”({code})的 rate_above。",
            )  # fmt: skip
        return Proposal(
            kind, t, th, None, "%",
            f"沿用上级区间:年均增长{_fmt(t)}%—{_fmt(th)}%。",
        )  # fmt: skip
    if kind == "cumulative_reduction":
        if t is None:
            return Proposal(kind, None, None, None, "%", "上级累计降低目标未给出数值。")
        annual = (1 - (1 - t / 100) ** (1 / n)) * 100
        return Proposal(
            kind, t, None, None, "%",
            f"上级{n}年累计降低[{_fmt(t)}]%,本地累计降低不少于{_fmt(t)}%;"
            f"折合年均降低 1 − (1 − {_fmt(t)}%)^(1/{n}) = {_fmt(round(annual, 2))}%。",
        )  # fmt: skip
    if kind == "cumulative_increase":
        if t is None:
            return Proposal(kind, None, None, None, unit, "上级累计提高目标未给出数值。")
        text = f"上级累计提高[{_fmt(t)}]{unit},本地累计提高不少于{_fmt(t)}{unit}"
        if local_base is not None:
            text += f":{_fmt(local_base)} + {_fmt(t)} = {_fmt(local_base + t)}{unit}"
        return Proposal(kind, t, None, None, unit, text + "。")
    if kind in {"rate_above", "rate_in_step"}:
        word = "高于" if kind == "rate_above" else "基本同步于"
        return Proposal(
            kind, None, None, upper.get("benchmark"), "%",
            f"沿用上级写法:本地增速{word}本地对应的对标指标"
            f"(上级对标 {upper.get('benchmark') or '—'})。",
        )  # fmt: skip
    return Proposal(
        "qualitative", None, None, None, unit,
        f"上级为定性目标“{upper.get('target_text') or name}”,本地照此提出定性要求。",
    )  # fmt: skip


_RATE_KINDS = frozenset({"avg_rate_at_least", "avg_rate_in_range"})


def _propose_total(
    kind: str, t: float | None, base: float | None, local: float | None, unit: str
) -> Proposal:
    """Totals are not copied down: keep the upper plan's rate of change on the local base."""
    if t is None or base is None or base == 0 or local is None:
        return Proposal(
            kind, None, None, None, unit,
            "总量指标不能照搬上级数值,请按上级分解下达的任务或本地基期值设定"
            "(给出本地基期值与上级基期值时按同比例测算)。",
        )  # fmt: skip
    ratio = t / base
    target = local * ratio
    return Proposal(
        kind, target, None, None, unit,
        f"总量指标按上级同比例变化:上级 {_fmt(t)} ÷ {_fmt(base)} = {_fmt(round(ratio, 4))},"
        f"本地 {_fmt(local)} × {_fmt(round(ratio, 4))} = {_fmt(round(target, 2))}{unit}。",
    )  # fmt: skip


def _propose_level(
    upper: Row, t: float | None, base: float | None, local: float | None, unit: str, n: int
) -> Proposal:
    """Level targets: reach the upper level, or keep the upper pace when already past it."""
    down = upper.get("direction") == "down"
    if t is None:
        return Proposal("level", None, None, None, unit, "上级目标值未给出数值。")
    if local is None:
        return Proposal(
            "level", t, None, None, unit,
            f"本地基期值未知,先沿用上级{upper.get('target_year') or ''}年目标{_fmt(t)}{unit}。",
        )  # fmt: skip
    behind = local > t if down else local < t
    if behind:
        gap = abs(t - local)
        verb = "降低" if down else "提高"
        return Proposal(
            "level", t, None, None, unit,
            f"本地基期{_fmt(local)}{unit}未达上级目标{_fmt(t)}{unit},建议目标{_fmt(t)}{unit},"
            f"需{verb}{_fmt(gap)}{unit}(约每年{_fmt(round(gap / n, 3))}{unit})。",
        )  # fmt: skip
    if base is not None:
        step = t - base
        target = local + step
        return Proposal(
            "level", target, None, None, unit,
            f"本地基期{_fmt(local)}{unit}已达上级目标{_fmt(t)}{unit},按上级同样的变化幅度"
            f"({_fmt(t)} − {_fmt(base)} = {_fmt(step)}{unit})继续推进:"
            f"{_fmt(local)} + {_fmt(step)} = {_fmt(target)}{unit}。",
        )  # fmt: skip
    return Proposal(
        "level", local, None, None, unit,
        f"本地基期{_fmt(local)}{unit}已达上级目标{_fmt(t)}{unit};上级基期值未知,"
        f"建议不低于本地基期水平并继续提升。",
    )  # fmt: skip


def compare_targets(upper: Row, lower: Row, factor: float = 1.0) -> tuple[str, str]:
    """How the lower target stands against the upper one: (status, sentence).

    status: `meets` (at least as demanding), `weaker`, or `not_comparable`.
    """
    uk, lk = upper.get("kind"), lower.get("kind")
    ut, lt = upper.get("target"), lower.get("target")
    bench = lower.get("benchmark")
    upper_names = {upper.get("code"), upper.get("name"), None, "", "全国平均水平", "全国"}
    if (
        lk == "rate_above"
        and uk in _RATE_KINDS | {"rate_above", "rate_in_step"}
        and (bench in upper_names)
    ):
        return "meets", "本地要求增速高于上级平均水平,不低于上级要求"
    if uk != lk or ut is None or lt is None:
        return "not_comparable", f"目标写法不同(上级 {uk},本地 {lk}),请人工判断"
    if is_total(upper.get("unit")) and uk in {"level", "at_least", "at_most"}:
        return "not_comparable", "总量指标,请按上级分解下达的任务核对"
    ut_local = float(ut) * (1.0 if uk in _RATE_KINDS else factor)
    lt = float(lt)
    unit = lower.get("unit") or ""
    if uk == "at_most" or (uk == "level" and upper.get("direction") == "down"):
        ok = lt <= ut_local
    else:
        ok = lt >= ut_local
    rel = "不低于" if ok else "低于"
    return (
        "meets" if ok else "weaker",
        f"本地目标{_fmt(lt)}{unit},{rel}上级要求{_fmt(ut_local)}{unit}",
    )


@dataclass
class IndicatorAlignment:
    """Pairs of upper and lower indicators, upper ones the lower plan lacks, and local-only ones."""

    pairs: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    local_only: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: {pairs, missing, local_only}."""
        return {"pairs": self.pairs, "missing": self.missing, "local_only": self.local_only}


def _brief(row: Row) -> dict[str, Any]:
    keys = ("code", "name", "unit", "kind", "base_value", "target", "target_high", "benchmark")
    return {k: row.get(k) for k in keys}


def align_indicators(
    upper_rows: Sequence[Row],
    lower_rows: Sequence[Row],
    *,
    above_upper: Sequence[str] = (),
    local_bases: Mapping[str, float] | None = None,
    confirmed: Collection[tuple[str, str]] = (),
) -> IndicatorAlignment:
    """Pair upper and lower indicators, compare their targets, propose targets for the missing.

    `above_upper` lists upper codes the lower plan wants to exceed (高于全国平均水平), which
    turns their proposals into rate_above targets; `local_bases` gives local base-year values
    by upper code for indicators the lower plan lacks (from local statistics); `confirmed`
    holds (upper name, lower name) pairs people declared the same indicator.
    """
    local_bases = local_bases or {}
    out = IndicatorAlignment()
    taken: set[int] = set()
    for up in upper_rows:
        best: tuple[Sameness, int] | None = None
        for j, low in enumerate(lower_rows):
            if j in taken:
                continue
            same = same_indicator(up, low, confirmed)
            if same.relation in {"same", "similar"} and (
                best is None or same.score > best[0].score
            ):
                best = (same, j)
        code = str(up.get("code"))
        if best is None:
            proposal = propose_target(up, local_bases.get(code), above_upper=code in above_upper)
            out.missing.append({"upper": _brief(up), "proposal": proposal.to_dict()})
            continue
        same, j = best
        taken.add(j)
        low = lower_rows[j]
        status, sentence = compare_targets(up, low, same.factor)
        pair: dict[str, Any] = {
            "upper": _brief(up),
            "lower": _brief(low),
            "relation": same.relation,
            "score": same.score,
            "reason": same.reason,
            "target_status": status,
            "target_reason": sentence,
        }
        if low.get("target") is None and low.get("kind") not in {"qualitative", "rate_above"}:
            pair["proposal"] = propose_target(
                up, low.get("base_value"), local_unit=low.get("unit"),
                above_upper=code in above_upper,
            ).to_dict()  # fmt: skip
        out.pairs.append(pair)
    out.local_only = [_brief(r) for j, r in enumerate(lower_rows) if j not in taken]
    return out


def target_rows(outline: Any) -> list[dict[str, Any]]:
    """Indicator rows for the targets found in a plan's text (luoshi.documents Target objects).

    A speech has no indicator table but says 保持经济增速高于全国平均水平: that target becomes a
    row (name = its subject, kind, target, benchmark) so it can meet the upper indicator.
    """
    rows: list[dict[str, Any]] = []
    for node, target in outline.targets():
        if not target.subject:
            continue
        rows.append(
            {
                "code": f"{node.id}#{len(rows) + 1}",
                "name": target.subject,
                "unit": target.unit,
                "kind": target.kind,
                "target": target.value,
                "target_high": target.value_high,
                "benchmark": target.benchmark,
                "target_year": target.year,
                "target_text": target.text,
                "attribute": "binding" if target.binding else None,
            }
        )
    return rows
