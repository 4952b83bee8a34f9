"""Targets written in plan text: 年均增长6%左右, 达到65%, 控制在5.5%以内, 累计降低13.5% …

Each row of TARGET_PATTERNS is one way a plan writes a target, with the target kind of shared
METHOD.md §1 it means: its lead words (降低, 达到 …) and the rest of its pattern. All rows run
as one regex over the whole text; where matches overlap, the one that starts first wins, and
at the same start the earlier row (within a row, the earlier lead word). The subject (the
indicator the sentence talks about) is the words before the match in the same clause; the year
is the last year (2020–2099) written earlier in the same sentence; 约束性 in the sentence marks
the targets in it as binding.

The same rows read the target cells of an indicator table (`parse_target_cell`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import partial

from luoshi.documents.model import Target

NUM = r"(?P<value>\d+(?:\.\d+)?)"
NUM_HIGH = r"(?:\s*[-—~～至到]\s*(?P<high>\d+(?:\.\d+)?))?"
UNIT = (
    r"(?P<unit>%|‰|个百分点|百分点|倍|岁|"
    r"(?:[万亿千百]*(?:美元|元|人次|人|吨标准煤|吨|千瓦时|千瓦|平方米|平方公里|公里|千米|公顷|亩|件|个|"
    r"家|所|张|户|套|辆|座|项|条|台|小时|天|年|微克/立方米|立方米)))"
)
APPROX = r"(?P<cmp>左右|以上|以下|以内|之内)?"


@dataclass(frozen=True)
class TargetPattern:
    """One way of writing a target: one of its lead words, then the rest of the pattern.

    `verb` says whether the lead word is the comparison printed in the target (降低, 达到 …).
    """

    key: str
    kind: str
    example: str
    leads: tuple[str, ...]
    rest: str
    verb: bool = True
    comparison: str | None = None


TARGET_PATTERNS: tuple[TargetPattern, ...] = (
    TargetPattern(
        "avg_rate",
        "avg_rate_at_least",
        "地区生产总值年均增长6%左右",
        ("年均",),
        rf"(?:增长|增速|实际增长|名义增长|提高|增加)?(?:率)?(?:保持在|达到|为)?\s*"
        rf"{NUM}{NUM_HIGH}\s*(?P<unit>%){APPROX}",
        verb=False,
    ),
    TargetPattern(
        "cumulative_reduction",
        "cumulative_reduction",
        "单位地区生产总值能耗累计降低13.5%",
        ("降低", "下降", "减少"),
        rf"\s*{NUM}\s*(?P<unit>%){APPROX}",
    ),
    TargetPattern(
        "bound_upper",
        "at_most",
        "城镇调查失业率控制在5.5%以内",
        ("控制在", "不超过", "不高于", "低于", "小于", "不大于"),
        rf"\s*{NUM}{NUM_HIGH}\s*{UNIT}?\s*{APPROX}",
    ),
    TargetPattern(
        "bound_lower",
        "at_least",
        "粮食产量稳定在300万吨以上",
        ("不低于", "不少于", "稳定在", "大于", "保持在"),
        rf"\s*{NUM}{NUM_HIGH}\s*{UNIT}?\s*{APPROX}",
    ),
    TargetPattern(
        "increase_by",
        "cumulative_increase",
        "人均预期寿命提高1岁",
        ("提高", "增加", "提升", "增长"),
        rf"\s*{NUM}\s*(?P<unit>个百分点|百分点|岁|年)",
    ),
    TargetPattern(
        "reach_level",
        "level",
        "常住人口城镇化率达到65%",
        (
            "达到",
            "提高到",
            "提升到",
            "增加到",
            "增长到",
            "降低到",
            "下降到",
            "降到",
            "降至",
            "提高至",
            "提升至",
            "增至",
            "达",
        ),
        rf"\s*{NUM}{NUM_HIGH}\s*{UNIT}\s*{APPROX}",
    ),
    TargetPattern(
        "rate_above",
        "rate_above",
        "经济增速高于全国平均水平",
        ("高于", "快于", "好于", "超过", "领先于", "领先"),
        r"(?P<benchmark>(?:全国|全省|全市|全区|国家|省|"
        r"经济|GDP|地区生产总值|同期)[^\d,，。；;、]{0,10}?(?:平均水平|平均|增长|增速|水平))",
    ),
    TargetPattern(
        "rate_in_step",
        "rate_in_step",
        "居民人均可支配收入增长与经济增长基本同步",
        ("与",),
        r"(?P<benchmark>[^\d,，。；;、与]{2,12}?)(?:基本|保持)?同步",
        verb=False,
    ),
    TargetPattern(
        "in_range",
        "avg_rate_in_range",
        "经济增长保持在合理区间",
        ("保持在", "处于", "运行在"),
        r"(?P<benchmark>合理区间)",
        verb=False,
    ),
)
"""How targets are written, most specific first."""


_GROUP = re.compile(r"\(\?P<(\w+)>")


def _numbered_group(match: re.Match[str], i: int) -> str:
    """A group name of a rule row made unique in the combined regex (suffix _i)."""
    return f"(?P<{match.group(1)}_{i}>"


_Alternative = tuple[TargetPattern, str, tuple[str, ...], tuple[int, ...]]


def _combine(rows: tuple[TargetPattern, ...]) -> tuple[re.Pattern[str], dict[str, _Alternative]]:
    """All rows as ONE regex, run once over the whole text, and what each alternative is.

    An alternative per (row, lead word), in row order: the lead word, the row's pattern with
    its groups renamed `<name>_<i>`, and an empty group `a<i>` that names the alternative (the
    last group closed). Every alternative starts with a literal, so the regex engine stops only
    at characters that can start a lead word. At one position the first alternative that
    matches wins: the earlier row, and within a row the earlier lead word (as each row's own
    regex would choose). The alternatives are keyed by the name of their `a<i>` group, each
    with its row, lead word, group names and their group numbers in the combined regex.
    """
    parts: list[str] = []
    for row in rows:
        for lead in row.leads:
            i = len(parts)
            body = _GROUP.sub(partial(_numbered_group, i=i), row.rest)
            parts.append(f"{re.escape(lead)}{body}(?P<a{i}>)")
    combined = re.compile("|".join(parts))
    alternatives: dict[str, _Alternative] = {}
    for row in rows:
        for lead in row.leads:
            i = len(alternatives)
            names = tuple(_GROUP.findall(row.rest))
            numbers = tuple(combined.groupindex[f"{n}_{i}"] for n in names)
            alternatives[f"a{i}"] = (row, lead, names, numbers)
    return combined, alternatives


_ALL_TARGETS, _ALTERNATIVES = _combine(TARGET_PATTERNS)

BINDING_WORD = "约束性"
CUMULATIVE_WORDS = ("累计", "五年", "分别")
WINDOW = 300  # characters searched around a target for its sentence
_STOPS = "。！？；;!?\n"  # end a sentence
_STOP = re.compile(f"[{_STOPS}]")
_YEAR = re.compile(r"(20[2-9]\d)\s*年")
_CLAUSES = "，,；;。：:！？、\n（("  # end a clause
# Everything up to the last sentence end / clause break before a target: one match, no scan.
_TO_LAST_STOP = re.compile(f".*[{_STOPS}]", re.S)
_TO_LAST_CLAUSE = re.compile(f".*[{_CLAUSES}]", re.S)
_SUBJECT_LEAD = re.compile(
    r"(?:(?:到|至|在|要|力争|确保|努力|实现|推动|促进|使|保持|争取|全市|全省|全区|全国|我市|"
    r"其中|基本|进一步)\s*|20\d\d\s*年(?:末|底)?[,，]?\s*)*"
)


def find_targets(text: str, offset: int = 0) -> list[Target]:
    """Every target written in `text`; spans are offsets into text (plus `offset`)."""
    targets: list[Target] = []
    taken_end = -1
    for m in _ALL_TARGETS.finditer(text):
        start = m.start()
        if start < taken_end:  # inside a series taken just before
            continue
        taken_end = m.end()
        row, lead, names, numbers = _ALTERNATIVES[m.lastgroup or "a0"]
        values = m.group(*numbers) if len(numbers) > 1 else (m.group(numbers[0]),)
        groups = dict(zip(names, values, strict=True))
        if row.verb:
            groups["verb"] = lead
        target = _target(text, start, taken_end, row, groups, offset)
        more = _MORE_VALUES.match(text, taken_end) if target.unit in _SERIES_UNITS else None
        if more is None:
            targets.append(target)
            continue
        taken_end = more.end()
        targets.extend(_series(target, more, offset))
    return targets


# 分别降低13.5%、18%: one target per subject, in order (能耗和二氧化碳排放).
_MORE_VALUES = re.compile(r"(?:[、和及]\s*\d+(?:\.\d+)?\s*(?:%|个百分点))+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SERIES_UNITS = {"%", "个百分点"}
_SUBJECT_JOINS = re.compile(r"[、和及与]")


def _series(first: Target, more: re.Match[str], offset: int) -> list[Target]:
    """Targets for 'A和B分别降低x%、y%': pair the subjects with the values when they match."""
    values = [first.value, *(float(v) for v in _NUMBER.findall(more.group()))]
    subject = (first.subject or "").removesuffix("分别")
    subjects = _SUBJECT_JOINS.split(subject) if subject else []
    if len(subjects) != len(values):
        subjects = [subject] * len(values)
    span = (first.span[0], offset + more.end())
    text = first.text + more.group()
    return [
        replace(first, value=value, subject=name or None, span=span, text=text)
        for name, value in zip(subjects, values, strict=True)
    ]


def _target(
    text: str, start: int, end: int, row: TargetPattern, groups: dict[str, str | None], offset: int
) -> Target:
    floor, ceiling = max(0, start - WINDOW), min(len(text), end + WINDOW)
    last = _TO_LAST_STOP.match(text, floor, start)
    sentence_start = last.end() if last else floor
    after = _STOP.search(text, end, ceiling)
    sentence_end = after.start() if after else ceiling
    last = _TO_LAST_CLAUSE.match(text, sentence_start, start)
    clause_start = last.end() if last else sentence_start
    for word in CUMULATIVE_WORDS:  # 累计降低13.5%: the word belongs to the target, not the subject
        if text.startswith(word, start - len(word)) and start - len(word) >= clause_start:
            start -= len(word)
            break
    lead = _SUBJECT_LEAD.match(text, clause_start, start)
    first = lead.end() if lead else clause_start
    while first < start and text[first] in " \u3000":
        first += 1
    subject = text[first:start].strip()
    if not subject:
        first = start
    years = _YEAR.findall(text, sentence_start, end)
    kind = row.kind
    cmp = groups.get("cmp")
    if row.key == "reach_level" and cmp == "以上":
        kind = "at_least"
    elif row.key in {"reach_level", "avg_rate"} and cmp in {"以下", "以内", "之内"}:
        kind = "at_most"
    return Target(
        text=text[first:end],
        kind=kind,
        span=(offset + first, offset + end),
        value=_number(groups.get("value")),
        value_high=_number(groups.get("high")),
        unit=groups.get("unit"),
        year=int(years[-1]) if years else None,
        comparison=cmp or groups.get("verb") or row.comparison,
        subject=subject or None,
        benchmark=groups.get("benchmark") or None,
        binding=text.find(BINDING_WORD, sentence_start, sentence_end) >= 0,
    )


def _number(text: str | None) -> float | None:
    return float(text) if text else None


_CELL_BRACKETS = re.compile(r"^\s*[\[【〔［]\s*(?P<value>-?\d+(?:\.\d+)?)\s*[\]】〕］]\s*$")
_CELL_BOUND = re.compile(r"^\s*(?P<op>[><≥≤＞＜]=?)\s*(?P<value>-?\d+(?:\.\d+)?)\s*$")
_CELL_NUMBER = re.compile(r"^\s*(?P<value>-?\d+(?:\.\d+)?)\s*(?P<cmp>左右|以上|以下|以内)?\s*$")


@dataclass(frozen=True)
class CellTarget:
    """What the target cell of an indicator table says."""

    kind: str | None
    value: float | None
    value_high: float | None = None
    benchmark: str | None = None


def parse_target_cell(cell: str, rate_column: bool = False, reducing: bool = False) -> CellTarget:
    """Read one target cell: '[13.5]', '>6.5', '5左右', '与经济增长同步', '65' …"""
    cell = cell.strip()
    if not cell or cell in {"-", "—", "/", "——"}:
        return CellTarget(None, None)
    m = _CELL_BRACKETS.match(cell)
    if m:
        kind = "cumulative_reduction" if reducing else "cumulative_increase"
        return CellTarget(kind, float(m.group("value")))
    m = _CELL_BOUND.match(cell)
    if m:
        upper = m.group("op")[0] in "<≤＜"
        kind = "at_most" if upper else ("avg_rate_at_least" if rate_column else "at_least")
        return CellTarget(kind, float(m.group("value")))
    m = _CELL_NUMBER.match(cell)
    if m:
        if m.group("cmp") in {"以下", "以内"}:
            return CellTarget("at_most", float(m.group("value")))
        kind = "avg_rate_at_least" if rate_column else "level"
        if m.group("cmp") == "以上" and not rate_column:
            kind = "at_least"
        return CellTarget(kind, float(m.group("value")))
    for t in find_targets(cell):
        return CellTarget(t.kind, t.value, t.value_high, t.benchmark)
    return CellTarget("qualitative", None)
