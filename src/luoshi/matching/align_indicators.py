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

LANGUAGES = ("zh", "en")
# The generated sentences (sameness, target comparison, proposal arithmetic), per language.
# Names, units, codes and quoted target wording are filled in as the tables write them.
WORDING: dict[str, dict[str, str]] = {
    "zh": {
        # same_indicator
        "same_name": "名称一致",
        "same_by_person": "已由人工确认为同一指标",
        "synonym_inside": "表述中含同义指标“{name}”,请人工确认",
        "synonym": "同义指标:{upper} = {lower}",
        "related": "同一领域、口径不同",
        "similar_name": "名称相近,请人工确认",
        "different": "名称不同",
        "other_dimension": "{reason};单位量纲不同({upper} / {lower})",
        "conversion": "{reason};单位换算 1{upper} = {factor}{lower}",
        # compare_targets
        "above_average": "本地要求增速高于上级平均水平,不低于上级要求",
        "other_kind": "目标写法不同(上级 {upper},本地 {lower}),请人工判断",
        "total_check": "总量指标,请按上级分解下达的任务核对",
        "compared": "本地目标{lower}{unit},{relation}上级要求{upper}{unit}",
        "not_below": "不低于",
        "below": "低于",
        # propose_target
        "exceed_average": "本地要求高于上级平均水平:以上级“{name}”({code})的年度序列为对标,"
        "本地年均增速须高于其年均增速(rate_above)。",
        "bound": "沿用上级约束:每年{word}{target}{unit}{note}。",
        "at_least": "不低于",
        "at_most": "不高于",
        "bound_met": ";本地基期{base}{unit}已满足该约束",
        "bound_unmet": ";本地基期{base}{unit}尚未满足该约束",
        "rate": "上级要求年均增长{target}%以上,本地年均增长不低于{target}%。",
        "range_open": "上级未量化区间(如“保持在合理区间”),请按本地实际设定区间;"
        "若本地要求高于全国平均水平,可改为对标“{name}”({code})的 rate_above。",
        "range": "沿用上级区间:年均增长{target}%—{high}%。",
        "reduction_open": "上级累计降低目标未给出数值。",
        "reduction": "上级{n}年累计降低[{target}]%,本地累计降低不少于{target}%;"
        "折合年均降低 1 − (1 − {target}%)^(1/{n}) = {annual}%。",
        "increase_open": "上级累计提高目标未给出数值。",
        "increase": "上级累计提高[{target}]{unit},本地累计提高不少于{target}{unit}{sum}。",
        "increase_sum": ":{base} + {target} = {total}{unit}",
        "relative": "沿用上级写法:本地增速{word}本地对应的对标指标(上级对标 {benchmark})。",
        "rate_above": "高于",
        "rate_in_step": "基本同步于",
        "qualitative": "上级为定性目标“{text}”,本地照此提出定性要求。",
        "total_open": "总量指标不能照搬上级数值,请按上级分解下达的任务或本地基期值设定"
        "(给出本地基期值与上级基期值时按同比例测算)。",
        "total": "总量指标按上级同比例变化:上级 {target} ÷ {base} = {ratio},"
        "本地 {local} × {ratio} = {result}{unit}。",
        "level_open": "上级目标值未给出数值。",
        "level_no_base": "本地基期值未知,先沿用上级{year}年目标{target}{unit}。",
        "level_behind": "本地基期{local}{unit}未达上级目标{target}{unit},建议目标{target}{unit},"
        "需{verb}{gap}{unit}(约每年{step}{unit})。",
        "lower": "降低",
        "raise": "提高",
        "level_past": "本地基期{local}{unit}已达上级目标{target}{unit},按上级同样的变化幅度"
        "({target} − {base} = {change}{unit})继续推进:{local} + {change} = {result}{unit}。",
        "level_past_no_base": "本地基期{local}{unit}已达上级目标{target}{unit};上级基期值未知,"
        "建议不低于本地基期水平并继续提升。",
    },
    "en": {
        "same_name": "same name",
        "same_by_person": "confirmed by a person as the same indicator",
        "synonym_inside": "the wording contains the synonym “{name}”; please check",
        "synonym": "synonyms: {upper} = {lower}",
        "related": "same field, different scope",
        "similar_name": "similar names; please check",
        "different": "different names",
        "other_dimension": "{reason}; units of another dimension ({upper} / {lower})",
        "conversion": "{reason}; unit conversion 1{upper} = {factor}{lower}",
        "above_average": "the local plan wants growth above the upper average: "
        "not below the upper requirement",
        "other_kind": "targets of different kinds (upper {upper}, local {lower}); please judge",
        "total_check": "a total: check it against the tasks the upper level hands down",
        "compared": "local target {lower}{unit}, {relation} the upper requirement {upper}{unit}",
        "not_below": "not below",
        "below": "below",
        "exceed_average": "The local plan wants to exceed the upper average: the annual series "
        "of the upper “{name}” ({code}) is the benchmark, and the local average annual rate "
        "must be above its average rate (rate_above).",
        "bound": "Keep the upper bound: {word} {target}{unit} every year{note}.",
        "at_least": "at least",
        "at_most": "at most",
        "bound_met": "; the local base {base}{unit} already keeps it",
        "bound_unmet": "; the local base {base}{unit} does not keep it yet",
        "rate": "The upper plan wants average growth above {target}% a year; "
        "local average growth at least {target}% a year.",
        "range_open": "The upper plan gives no numbers for the range (such as “保持在合理区间”): "
        "set a range for local conditions; if the local plan wants to be above the national "
        "average, use rate_above against “{name}” ({code}).",
        "range": "Keep the upper range: average growth {target}%–{high}% a year.",
        "reduction_open": "The upper cumulative reduction target has no number.",
        "reduction": "Upper cumulative reduction over {n} years [{target}]%; local cumulative "
        "reduction at least {target}%, i.e. an annual reduction of "
        "1 − (1 − {target}%)^(1/{n}) = {annual}%.",
        "increase_open": "The upper cumulative increase target has no number.",
        "increase": "Upper cumulative increase [{target}]{unit}; local cumulative increase "
        "at least {target}{unit}{sum}.",
        "increase_sum": ": {base} + {target} = {total}{unit}",
        "relative": "Keep the upper wording: local growth {word} the matching local benchmark "
        "(upper benchmark {benchmark}).",
        "rate_above": "above",
        "rate_in_step": "in step with",
        "qualitative": "The upper target is qualitative (“{text}”): "
        "set a qualitative local requirement to match.",
        "total_open": "A total cannot copy the upper value: set it from the tasks the upper "
        "level hands down or from the local base (given the local and the upper base, it is "
        "scaled in the same proportion).",
        "total": "A total changes in the upper proportion: upper {target} ÷ {base} = {ratio}; "
        "local {local} × {ratio} = {result}{unit}.",
        "level_open": "The upper target has no number.",
        "level_no_base": "Local base unknown: keep the upper target {target}{unit}{year} for now.",
        "level_behind": "The local base {local}{unit} is short of the upper target "
        "{target}{unit}: suggested target {target}{unit}, a {verb} of {gap}{unit} "
        "(about {step}{unit} a year).",
        "lower": "reduction",
        "raise": "rise",
        "level_past": "The local base {local}{unit} already meets the upper target "
        "{target}{unit}: continue by the upper change ({target} − {base} = {change}{unit}): "
        "{local} + {change} = {result}{unit}.",
        "level_past_no_base": "The local base {local}{unit} already meets the upper target "
        "{target}{unit}; the upper base is unknown: keep at least the local base level and "
        "keep improving.",
    },
}

Said = tuple[str, str]  # a sentence in Chinese and in English


def _say(key: str, **values: Any) -> Said:
    """The sentence `key` of WORDING in Chinese and in English; a value that is itself a Said
    pair (a phrase worded per language) is taken in the sentence's language."""
    zh, en = (
        WORDING[lang][key].format(
            **{k: v[i] if isinstance(v, tuple) else v for k, v in values.items()}
        )
        for i, lang in enumerate(LANGUAGES)
    )
    return zh, en


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
    reason: str  # Chinese
    factor: float = 1.0  # multiply an upper value by this to express it in the lower unit
    reason_en: str = ""  # the same reason in English


def same_indicator(upper: Row, lower: Row, confirmed: Collection[tuple[str, str]] = ()) -> Sameness:
    """Compare two indicator rows by name (synonyms, then similarity) and unit.

    `confirmed` holds (upper name, lower name) pairs a person declared the same indicator;
    they count as synonyms (units are still checked and converted).
    """
    data = indicator_data()
    uk, lk = name_key(str(upper["name"]), data), name_key(str(lower["name"]), data)
    by_person = (uk, lk) in {(name_key(a, data), name_key(b, data)) for a, b in confirmed}
    (uc, u_in), (lc, l_in) = canonical_name(uk, data), canonical_name(lk, data)
    reason: Said
    if uk == lk:
        relation, score, reason = "same", 1.0, _say("same_name")
    elif by_person:
        relation, score, reason = "same", 1.0, _say("same_by_person")
    elif uc == lc and (u_in or l_in):
        relation, score, reason = "similar", 0.8, _say("synonym_inside", name=uc)
    elif uc == lc:
        relation, score = "same", 0.95
        reason = _say("synonym", upper=upper["name"], lower=lower["name"])
    elif frozenset((uc, lc)) in data.related or frozenset((uk, lk)) in data.related:
        relation, score, reason = "related", 0.5, _say("related")
    else:
        a, b = _bigrams(uc), _bigrams(lc)
        overlap = len(a & b) / len(a | b)
        if overlap >= data.similar_names:
            relation, score, reason = "similar", round(overlap, 3), _say("similar_name")
        else:
            return _sameness("different", round(overlap, 3), _say("different"))
    uu, lu = unit_factor(upper.get("unit")), unit_factor(lower.get("unit"))
    units = {"upper": upper.get("unit"), "lower": lower.get("unit")}
    if uu and lu:
        if uu[0] != lu[0]:
            return _sameness("related", 0.4, _say("other_dimension", reason=reason, **units))
        if uu[1] != lu[1]:
            factor = uu[1] / lu[1]
            said = _say("conversion", reason=reason, factor=_fmt(factor), **units)
            return _sameness(relation, score, said, factor)
    return _sameness(relation, score, reason)


def _sameness(relation: str, score: float, reason: Said, factor: float = 1.0) -> Sameness:
    return Sameness(relation, score, reason[0], factor, reason_en=reason[1])


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
    arithmetic: str  # Chinese
    arithmetic_en: str = ""  # the same in English

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)


def _proposal(
    kind: str,
    target: float | None,
    high: float | None,
    benchmark: str | None,
    unit: str | None,
    arithmetic: Said,
) -> Proposal:
    return Proposal(kind, target, high, benchmark, unit, arithmetic[0], arithmetic[1])


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
        said = _say("exceed_average", name=name, code=code)
        return _proposal("rate_above", None, None, code, "%", said)
    if is_total(upper.get("unit")) and kind in {"level", "at_least", "at_most"}:
        return _propose_total(kind, t, base, local_base, unit)
    if kind == "level":
        return _propose_level(upper, t, base, local_base, unit, n)
    if kind in {"at_least", "at_most"}:
        note: Said = ("", "")
        if local_base is not None and t is not None:
            ok = local_base >= t if kind == "at_least" else local_base <= t
            note = _say("bound_met" if ok else "bound_unmet", base=_fmt(local_base), unit=unit)
        said = _say("bound", word=_say(kind), target=_fmt(t), unit=unit, note=note)
        return _proposal(kind, t, None, None, unit, said)
    if kind == "avg_rate_at_least":
        return _proposal(kind, t, None, None, "%", _say("rate", target=_fmt(t)))
    if kind == "avg_rate_in_range":
        if t is None:
            return _proposal(kind, None, None, None, "%", _say("range_open", name=name, code=code))
        return _proposal(kind, t, th, None, "%", _say("range", target=_fmt(t), high=_fmt(th)))
    if kind == "cumulative_reduction":
        if t is None:
            return _proposal(kind, None, None, None, "%", _say("reduction_open"))
        annual = (1 - (1 - t / 100) ** (1 / n)) * 100
        said = _say("reduction", n=n, target=_fmt(t), annual=_fmt(round(annual, 2)))
        return _proposal(kind, t, None, None, "%", said)
    if kind == "cumulative_increase":
        if t is None:
            return _proposal(kind, None, None, None, unit, _say("increase_open"))
        total: Said = ("", "")
        if local_base is not None:
            total = _say(
                "increase_sum",
                base=_fmt(local_base),
                target=_fmt(t),
                total=_fmt(local_base + t),
                unit=unit,
            )
        said = _say("increase", target=_fmt(t), unit=unit, sum=total)
        return _proposal(kind, t, None, None, unit, said)
    if kind in {"rate_above", "rate_in_step"}:
        bench = upper.get("benchmark")
        said = _say("relative", word=_say(kind), benchmark=bench or "—")
        return _proposal(kind, None, None, bench, "%", said)
    text = upper.get("target_text") or name
    return _proposal("qualitative", None, None, None, unit, _say("qualitative", text=text))


_RATE_KINDS = frozenset({"avg_rate_at_least", "avg_rate_in_range"})


def _propose_total(
    kind: str, t: float | None, base: float | None, local: float | None, unit: str
) -> Proposal:
    """Totals are not copied down: keep the upper plan's rate of change on the local base."""
    if t is None or base is None or base == 0 or local is None:
        return _proposal(kind, None, None, None, unit, _say("total_open"))
    ratio = t / base
    target = local * ratio
    said = _say(
        "total",
        target=_fmt(t),
        base=_fmt(base),
        ratio=_fmt(round(ratio, 4)),
        local=_fmt(local),
        result=_fmt(round(target, 2)),
        unit=unit,
    )
    return _proposal(kind, target, None, None, unit, said)


def _propose_level(
    upper: Row, t: float | None, base: float | None, local: float | None, unit: str, n: int
) -> Proposal:
    """Level targets: reach the upper level, or keep the upper pace when already past it."""
    down = upper.get("direction") == "down"
    if t is None:
        return _proposal("level", None, None, None, unit, _say("level_open"))
    if local is None:
        year = upper.get("target_year") or ""
        said = _say(
            "level_no_base",
            year=(str(year), f" for {year}" if year else ""),
            target=_fmt(t),
            unit=unit,
        )
        return _proposal("level", t, None, None, unit, said)
    values = {"local": _fmt(local), "target": _fmt(t), "unit": unit}
    behind = local > t if down else local < t
    if behind:
        gap = abs(t - local)
        verb = _say("lower" if down else "raise")
        said = _say(
            "level_behind", verb=verb, gap=_fmt(gap), step=_fmt(round(gap / n, 3)), **values
        )
        return _proposal("level", t, None, None, unit, said)
    if base is not None:
        step = t - base
        target = local + step
        said = _say("level_past", base=_fmt(base), change=_fmt(step), result=_fmt(target), **values)
        return _proposal("level", target, None, None, unit, said)
    return _proposal("level", local, None, None, unit, _say("level_past_no_base", **values))


def compare_targets(
    upper: Row, lower: Row, factor: float = 1.0, language: str = "zh"
) -> tuple[str, str]:
    """How the lower target stands against the upper one: (status, sentence in `language`).

    status: `meets` (at least as demanding), `weaker`, or `not_comparable`.
    """
    status, sentence = _compare_targets(upper, lower, factor)
    return status, sentence[LANGUAGES.index(language)]


def _compare_targets(upper: Row, lower: Row, factor: float) -> tuple[str, Said]:
    """compare_targets with the sentence in both languages."""
    uk, lk = upper.get("kind"), lower.get("kind")
    ut, lt = upper.get("target"), lower.get("target")
    bench = lower.get("benchmark")
    upper_names = {upper.get("code"), upper.get("name"), None, "", "全国平均水平", "全国"}
    if (
        lk == "rate_above"
        and uk in _RATE_KINDS | {"rate_above", "rate_in_step"}
        and (bench in upper_names)
    ):
        return "meets", _say("above_average")
    if uk != lk or ut is None or lt is None:
        return "not_comparable", _say("other_kind", upper=uk, lower=lk)
    if is_total(upper.get("unit")) and uk in {"level", "at_least", "at_most"}:
        return "not_comparable", _say("total_check")
    ut_local = float(ut) * (1.0 if uk in _RATE_KINDS else factor)
    lt = float(lt)
    unit = lower.get("unit") or ""
    if uk == "at_most" or (uk == "level" and upper.get("direction") == "down"):
        ok = lt <= ut_local
    else:
        ok = lt >= ut_local
    relation = _say("not_below" if ok else "below")
    said = _say("compared", lower=_fmt(lt), relation=relation, upper=_fmt(ut_local), unit=unit)
    return "meets" if ok else "weaker", said


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
        status, sentence = _compare_targets(up, low, same.factor)
        pair: dict[str, Any] = {
            "upper": _brief(up),
            "lower": _brief(low),
            "relation": same.relation,
            "score": same.score,
            "reason": same.reason,
            "reason_en": same.reason_en,
            "target_status": status,
            "target_reason": sentence[0],
            "target_reason_en": sentence[1],
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
