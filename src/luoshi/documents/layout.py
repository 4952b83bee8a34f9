"""Undo the page layout a document picked up on its way to us.

PDFs and text pasted from them carry running headers and footers, page numbers, and a hard
line break at the end of every printed line, often in the middle of a sentence or a heading.
Word and web copies bring a table of contents (目录) that repeats every heading. Each of these
would break a heading or a sentence in two, or read a heading twice; this module removes them
and returns one line per paragraph.

The patterns are data (PAGE_NUMBER_PATTERNS, SENTENCE_END, TOC_TITLE) and docs/documents.md
lists them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from itertools import accumulate, compress, count
from operator import add, itemgetter, sub

from luoshi.documents.ladder import starts_with_marker

# A line made only of a page number, as Chinese government documents print them.
PAGE_NUMBER_PATTERNS = (
    r"[-—–－~～·\s]*\d{1,4}[-—–－~～·\s]*",  # 12, - 12 -, — 12 —
    r"第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?",  # 第3页, 第3页 共20页
    r"\d{1,4}\s*/\s*\d{1,4}",  # 3/20
    r"(?i:page)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?",  # Page 3 of 20
)
_PAGE_NUMBER = re.compile("|".join(f"(?:{p})" for p in PAGE_NUMBER_PATTERNS))

# A line ending with one of these ends its paragraph; other lines may be hard-wrapped.
SENTENCE_END = "。！？!?；;：:…"
# A closing quote or bracket ends the paragraph only right after a sentence end: “…。”
CLOSERS = "”’」』)）》】"
# A line ending with one of these is certainly cut inside a sentence.
CLAUSE_CONTINUES = "，,、（(“‘「《【"

TOC_TITLE = re.compile(r"^[#*\s]*目\s*录[*\s]*$")
_TOC_LEADER = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|\s{2}|\t)\s*\d+\s*$")
_TOC_ENTRY = re.compile(r"^[-*+\s>#]*(?:\[(?P<link>[^\]]+)\]\([^)]*\))?(?P<rest>.*?)[\s.…·\d]*$")
TOC_LINE_MAX_CHARS = 200  # a TOC entry is short; longer lines end the TOC (and bound the regexes)

_SENTENCE_STOP = re.compile(r"[。！？!?]")
_LIST_BULLET = re.compile(r"^(?:[-*+>|#]|\*\*)")


def clean(text: str) -> str:
    """Text with one paragraph per line: pages, page numbers, TOC and hard breaks removed."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text:
        text = text.replace("\u2028", "\n")
    if "\f" in text:
        return join_pages(text.split("\f"))
    lines = text.split("\n")
    stripped = list(map(str.strip, lines))
    lengths = list(map(len, stripped))
    # Only lines of 1..20 characters can be page numbers (one call per line, in C).
    numbered = [
        i
        for i in compress(count(), map(_PAGE_NUMBER_LENGTHS.__contains__, lengths))
        if _PAGE_NUMBER.fullmatch(stripped[i])
    ]
    if numbered:
        drop = set(numbered)
        if len(numbered) >= 2:
            drop |= _repeated_short_lines(stripped, lengths)
        lines = _without(lines, drop)
        stripped = _without(stripped, drop)
    return _finish(lines, stripped)


def join_pages(pages: list[str]) -> str:
    """Join page texts into paragraphs, dropping running headers, footers and page numbers."""
    page_lines = [
        [ln for ln in p.replace("\r\n", "\n").replace("\r", "\n").split("\n") if ln.strip()]
        for p in pages
    ]
    running = _running_lines(page_lines)
    lines: list[str] = []
    for page in page_lines:
        edge = {0, 1, len(page) - 1, len(page) - 2}
        for i, line in enumerate(page):
            if _is_page_number(line):
                continue
            if i in edge and _shape(line) in running:
                continue
            lines.append(line)
    return _finish(lines, list(map(str.strip, lines)))


def _without(lines: list[str], drop: set[int]) -> list[str]:
    """`lines` without the lines at the indexes in `drop`."""
    kept: list[str] = []
    start = 0
    for i in sorted(drop):
        kept += lines[start:i]
        start = i + 1
    return kept + lines[start:]


def _finish(lines: list[str], stripped: list[str]) -> str:
    """The text of `lines` (`stripped`: each of them stripped) without TOC and hard breaks."""
    without_toc = _drop_toc(lines, stripped)
    if without_toc is not lines:
        lines = without_toc
        stripped = list(map(str.strip, lines))
    return _join_hard_breaks(lines, stripped)


_PAGE_NUMBER_LENGTHS = range(1, 21)


def _is_page_number(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and len(stripped) <= 20 and _PAGE_NUMBER.fullmatch(stripped) is not None


_DIGITS = re.compile(r"\d+")


def _shape(line: str) -> str:
    """A line with its numbers blanked: page 3's running head looks like page 4's."""
    return _DIGITS.sub("#", line.strip())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines printed at the top or bottom of at least half the pages (running heads)."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        edges = {_shape(ln) for ln in page[:2] + page[-2:]}
        seen.update(edges)
    need = max(3, len(pages) // 2)
    return {shape for shape, n in seen.items() if n >= need and len(shape) <= 60}


_SHORT_LENGTHS = range(1, 41)


def _repeated_short_lines(stripped: list[str], lengths: list[int]) -> set[int]:
    """Indexes of short unpunctuated lines repeated 3+ times (headers of a pasted PDF)."""
    short = list(compress(count(), map(_SHORT_LENGTHS.__contains__, lengths)))
    if not short:
        return set()
    # The shapes of all short lines in one pass (no line holds a line break).
    shapes = _DIGITS.sub("#", "\n".join([stripped[i] for i in short])).split("\n")
    counts = Counter(shapes)
    repeated = {
        shape
        for shape, n in counts.items()
        if n >= 3 and shape[-1] not in SENTENCE_END and not starts_with_marker(shape)
    }
    return {i for i, shape in zip(short, shapes, strict=True) if shape in repeated}


def _drop_toc(raw: list[str], stripped: list[str]) -> list[str]:
    """Remove a table of contents (目录 and the entries that repeat later headings); `raw`
    itself when there is none."""
    head = stripped[:400]
    if "目" not in "".join(head):  # every TOC title holds it
        return raw
    start = next((i for i, ln in enumerate(head) if TOC_TITLE.match(ln)), None)
    if start is None:
        return raw
    lines = [ln.rstrip() for ln in raw]
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if len(line) > TOC_LINE_MAX_CHARS:
            break
        if not line or _TOC_LEADER.search(line):
            end += 1
            continue
        m = _TOC_ENTRY.match(line)
        entry = ((m.group("link") or "") + (m.group("rest") or "")).strip("*# ") if m else ""
        if len(entry) >= 2 and _appears_after(entry, lines, end):
            end += 1
            continue
        break
    if end == start + 1:
        return raw
    return lines[:start] + lines[end:]


def _appears_after(entry: str, lines: list[str], index: int) -> bool:
    """Whether a TOC entry is found again, as a heading, after line `index` and the TOC."""
    for line in lines[index + 1 :]:
        if entry not in line:
            continue
        if len(line) > TOC_LINE_MAX_CHARS or not (
            _TOC_LEADER.search(line) or line.lstrip().startswith("[")
        ):
            return True
    return False


def _ends_sentence(line: str) -> bool:
    if line[-1] in CLOSERS and len(line) > 1:
        return line[-2] in SENTENCE_END
    return line[-1] in SENTENCE_END


def _join_hard_breaks(raw: list[str], stripped: list[str]) -> str:
    """Join lines that a printer or a mail client wrapped inside a sentence (`stripped`: the
    `raw` lines stripped); one line per paragraph."""
    lines = list(filter(None, stripped))
    text = "\n".join(lines)
    if len(lines) < 2:
        return text
    # Printed width: ASCII counts 1, everything else (CJK) 2 (the ASCII of all lines at once).
    lengths = list(map(len, lines))
    ascii_lengths = map(len, text.encode("ascii", "ignore").split(b"\n"))
    widths = list(map(sub, map(add, lengths, lengths), ascii_lengths))
    ranked = sorted(widths)
    wrap = ranked[int(len(ranked) * 0.9)]
    full = max(20, int(wrap * 0.85))
    # A hard-wrapped text has many lines of the same printed width (the margin).
    at_margin = bisect.bisect_right(ranked, wrap + 2) - bisect.bisect_left(ranked, wrap - 2)
    margin = wrap - 2 if at_margin * 10 >= len(lines) * 3 and wrap >= 20 else None
    if margin is None:
        # Only a line after one that is wide, or that ends inside a clause, can continue it
        # (see _wrapped); a line after a sentence end starts a paragraph.
        reach = min(wrap - 2, full * 0.6)
        candidates: Sequence[int] = sorted(
            i
            for i in {
                *compress(count(1), map(reach.__le__, widths[:-1])),
                *compress(count(1), map(CLAUSE_CONTINUES.__contains__, map(_LAST, lines[:-1]))),
            }
            if not _ends_sentence(lines[i - 1])
        )
        indented: list[bool] = []
    else:
        candidates = range(1, len(lines))
        indented = [ln[:1] in (" ", "\u3000", "\t") for ln in raw if ln.strip()]
    joins: list[tuple[int, str]] = []  # (line joined to the one before it, glue)
    first = 0  # the first printed line of the paragraph being built
    for i in candidates:
        line, last = lines[i], lines[i - 1]
        alone = not joins or joins[-1][0] != i - 1  # `last` started its paragraph
        if alone:
            first = i - 1
        if (
            (margin is None and _ends_sentence(last))  # a paragraph end: no finer checks
            or _LIST_BULLET.match(line)
            or starts_with_marker(line)
            or lines[first].startswith("#")
        ):
            continue
        if _wrapped(last, widths[i - 1], line, alone, wrap, full) or (
            margin and not indented[i] and widths[i - 1] >= margin and _ends_sentence(last)
        ):
            end = last[-1]
            joins.append((i, " " if end.isascii() and end.isalnum() and line[0].isascii() else ""))
    if not joins:
        return text
    # The line break before line i is at the length of the lines before it, plus i - 1 breaks.
    ends = list(accumulate(lengths))
    parts: list[str] = []
    done = 0
    for i, glue in joins:
        at = ends[i - 1] + i - 1
        parts += (text[done:at], glue)
        done = at + 1
    parts.append(text[done:])
    return "".join(parts)


_LAST = itemgetter(-1)


def _wrapped(last: str, width: int, line: str, alone: bool, wrap: int, full: int) -> bool:
    """Whether `line` continues the printed line `last` (a hard break, not a paragraph end)."""
    if last[-1] in CLAUSE_CONTINUES:
        return True
    if _ends_sentence(last):
        return False
    if alone and starts_with_marker(last) and not _SENTENCE_STOP.search(last):
        # A heading line: its rest is short and unpunctuated, unless it ran to the margin.
        return width >= wrap - 2 or (width >= full * 0.6 and not _SENTENCE_STOP.search(line))
    return width >= full
