"""The numbering ladder of Chinese policy documents as a table (shared METHOD.md §4).

Each row is one rung a planning officer would recognise: how its marker is printed, the node
kind it opens by default, and its rank (smaller = higher in the ladder). The outline builder
only reads this table; docs/documents.md prints it.

A rung may be skipped and a document may start at any rung; a rung never seen above a lower
one is simply not there (no invented headings). `inline` rungs (一是…二是…) are found inside a
paragraph, after a sentence end; the others only at the start of a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

# Chinese numerals as printed in markers: 一 … 十九, 二十一, 一百 (and 〇/零, 两).
CN_DIGITS = "零〇一二两三四五六七八九十百"
_CN = f"[{CN_DIGITS}]+"
_OPEN = "[(（]"
_CLOSE = "[)）]"


@dataclass(frozen=True)
class Rung:
    """One rung of the numbering ladder."""

    key: str
    label: str
    example: str
    kind: str
    rank: int
    pattern: re.Pattern[str]
    inline: bool = False


def _rung(key: str, label: str, example: str, kind: str, rank: int, regex: str, **kw: bool) -> Rung:
    return Rung(key, label, example, kind, rank, re.compile(regex), **kw)


# Patterns match the marker at the start of a (stripped) line and capture its number as `n`.
LADDER: tuple[Rung, ...] = (
    _rung("pian", "第X篇", "第二篇 创新驱动", "part", 10, rf"第\s*(?P<n>{_CN}|\d+)\s*篇"),
    _rung("bufen", "第X部分", "第二部分 主要任务", "part", 15, rf"第\s*(?P<n>{_CN}|\d+)\s*部分"),
    _rung(
        "zhang", "第X章", "第五章 建设现代化产业体系", "chapter", 20, rf"第\s*(?P<n>{_CN}|\d+)\s*章"
    ),
    _rung("jie", "第X节", "第一节 推进新型工业化", "section", 30, rf"第\s*(?P<n>{_CN}|\d+)\s*节"),
    _rung(
        "cn_comma",
        "一、",
        "二、紧扣关键任务",
        "part",
        40,
        rf"(?P<n>{_CN})\s*[、．.](?![\d{CN_DIGITS}])",
    ),
    _rung(
        "cn_paren",
        "(一)/(一)",
        "(一)聚焦现代化产业体系",
        "section",
        50,
        rf"{_OPEN}\s*(?P<n>{_CN})\s*{_CLOSE}",
    ),
    _rung(
        "num_dot",
        "1. / 1、",
        "1. 做强先进制造业",
        "item",
        60,
        r"(?P<n>\d{1,2})\s*(?:[、．]|\.(?!\d))",
    ),
    _rung(
        "num_paren",
        "(1)/(1)",
        "(1)新材料产业",
        "item",
        70,
        rf"{_OPEN}\s*(?P<n>\d{{1,2}})\s*{_CLOSE}",
    ),
    _rung("circled", "①", "①集成电路", "item", 80, r"(?P<n>[①-⑳])"),
    _rung("shi", "一是…二是…", "一是巩固提升优势产业", "item", 90, rf"(?P<n>{_CN})是", inline=True),
    _rung("dash", "——", "——高质量发展取得显著成效。", "item", 95, r"——|--(?!-)"),
)
"""The ladder, highest rung first."""

RUNGS = {r.key: r for r in LADDER}

# A Markdown/HTML heading without a ladder marker sits at the rung its depth suggests.
HEADING_DEPTH_RANK = {1: 10, 2: 20, 3: 30, 4: 40, 5: 50, 6: 60}
HEADING_DEPTH_KIND = {1: "part", 2: "chapter", 3: "section", 4: "part", 5: "section", 6: "item"}

_CN_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_VALUE |= {"七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100}


@lru_cache(maxsize=512)
def marker_number(text: str) -> int | None:
    """The value of a marker's number: '十二' → 12, '3' → 3, '③' → 3, '' → None."""
    if not text:
        return None
    if text.isdigit() and text.isascii():
        return int(text)
    if len(text) == 1 and "①" <= text <= "⑳":
        return ord(text) - ord("①") + 1
    total, digit = 0, None
    for ch in text:
        if ch in _CN_VALUE:
            digit = _CN_VALUE[ch]
        elif ch in _CN_UNIT:
            total += (digit if digit is not None else 1) * _CN_UNIT[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def cn_numeral(n: int) -> str:
    """Print 1..99 as a Chinese numeral: 3 → '三', 12 → '十二', 21 → '二十一'."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def marker_with_number(marker: str, old: int, new: int) -> str:
    """The same marker style carrying another number: ('二、', 2, 1) → '一、'."""
    if str(old) in marker:
        return marker.replace(str(old), str(new), 1)
    old_cn = cn_numeral(old)
    if old_cn in marker:
        return marker.replace(old_cn, cn_numeral(new), 1)
    return marker


class MarkerMatch(NamedTuple):
    """A ladder marker found at the start of a line."""

    rung: Rung
    marker: str
    number: int | None
    end: int


# Characters a block marker can start with; other lines are not tried against the ladder.
MARKER_START = frozenset("第(（—-0123456789" + CN_DIGITS + "".join(map(chr, range(0x2460, 0x2474))))

# All block rungs as one alternation, highest rung first (the first rung that matches wins);
# each rung is a named group (its key) and its number group is renamed `<key>_n`.
_BLOCK_RUNGS = {r.key: r for r in LADDER if not r.inline}
_BLOCK = re.compile(
    "|".join(
        f"(?P<{r.key}>{r.pattern.pattern.replace('(?P<n>', f'(?P<{r.key}_n>')})"
        for r in _BLOCK_RUNGS.values()
    )
)

_NUMBER_GROUP = {k: g if (g := f"{k}_n") in _BLOCK.groupindex else None for k in _BLOCK_RUNGS}


def match_marker(line: str, pos: int = 0) -> MarkerMatch | None:
    """The block (non-inline) ladder marker at `pos` of `line`, if any."""
    if pos >= len(line) or line[pos] not in MARKER_START:
        return None
    m = _BLOCK.match(line, pos)
    if m is None:
        return None
    key = m.lastgroup or ""
    group = _NUMBER_GROUP[key]
    number = marker_number(m.group(group) or "") if group else None
    return MarkerMatch(_BLOCK_RUNGS[key], m.group(0).strip(), number, m.end())


def starts_with_marker(line: str) -> bool:
    """Whether `line` opens with a block ladder marker (match_marker without the details)."""
    return bool(line) and line[0] in MARKER_START and _BLOCK.match(line) is not None
