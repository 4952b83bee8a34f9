"""Cleaned text → plan outline: headings by the numbering ladder, items, measures, targets.

The text is read line by line (one paragraph per line, see layout.py). A line that starts with
a ladder marker (ladder.LADDER) opens a heading; its title is its first sentence, the rest of
the line is its body (run-in headings). 一是…二是… inside a paragraph and paragraphs led by ——
open items that end with their paragraph. A heading closes every open heading at its rank or
below; a heading numbered past 1 that finds lower rungs already at the top of the outline (an
excerpt that starts mid-ladder) gets an implicit parent with a null title. Measures are then
found in every container that has no numbered children (measures.py), and every target found
in the text (targets.py) is attached to the deepest node around it.

All rules read the simplified text (`SourceText.scan`); titles and texts are cut from the
original, so a traditional-Chinese document keeps its characters.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from luoshi.documents.ladder import (
    HEADING_DEPTH_KIND,
    HEADING_DEPTH_RANK,
    MARKER_START,
    RUNGS,
    marker_number,
    marker_with_number,
    match_marker,
)
from luoshi.documents.measures import find_measures
from luoshi.documents.model import KINDS, Node, Outline, SourceText, Target
from luoshi.documents.targets import find_targets

Progress = Callable[[int, int], None]

# Kinds whose nodes hold measures when they have no numbered children.
_CONTAINERS = frozenset({"part", "chapter", "section", "item"})
# Items opened by these rungs end with their paragraph (一是…二是…, ——…): they are placed
# closed, never left open.
PARAGRAPH_SCOPED = {"shi", "dash"}
_SHI_RANK = RUNGS["shi"].rank
BOX = re.compile(r"专栏\s*(?P<n>\d+|[一二三四五六七八九十]+)")
BOX_RANK = 55  # below (一), above 1.: a box holds numbered lines, (一) closes it
TITLE_MAX_CHARS = 80
# A heading title may end at a colon this close to its marker (1.指导思想:…).
COLON_TITLE_MAX_CHARS = 20
# A heading may skip this many numbers (a typo, a deleted item) and still be a heading.
MAX_NUMBER_GAP = 3

_MD_HEADING = re.compile(r"#{1,6}(?=\s|[^#])")
_SHI = re.compile(
    r"(?:(?<=[。；;！？!?：:])|(?<=^))[ \u3000]*(?P<n>[一二三四五六七八九十]{1,3})是", re.M
)
# A title ends at a full stop, or at a semicolon followed by 一是/二是 (written so that the
# regex engine skips straight to the punctuation); _TITLE_END_OR_COLON also stops at a colon
# (a title may end at a colon close to its marker).
_SHI_AHEAD = r"(?=[ \u3000]*[一二三四五六七八九十]{1,3}是)"
_TITLE_END = re.compile(rf"[。！？!?；;](?:(?<=[。！？!?])|{_SHI_AHEAD})")
_TITLE_END_OR_COLON = re.compile(rf"[。！？!?；;：:](?:(?<=[。！？!?：:])|{_SHI_AHEAD})")
# 是 after a numeral: where a _SHI match can end (found by a scan for one literal character;
# _shi_matches checks the rest of _SHI around it).
_SHI_IS = re.compile(r"是(?<=[一二三四五六七八九十]是)")
_SHI_NUMERALS = "一二三四五六七八九十"
_SHI_AFTER = "。；;！？!?：:\n"
# What a line that opens a node can start with: a ladder marker, #, ** or 专栏.
_LINE_OPENERS = MARKER_START | {"#", "*", "专"}
_SPACE = " \t\u3000\ufeff"
_SPACE_OR_BREAK = _SPACE + "\n"
# A line that is not blank, without its leading and trailing spaces (group `line`).
_LINE = re.compile(rf"[{_SPACE}]*(?P<line>[^\n]*[^\n{_SPACE}])")
# A line break before a line that starts with an opener.
_OPENER_LINE = re.compile(
    rf"\n[{_SPACE}]*[{re.escape(''.join(sorted(_LINE_OPENERS - set(_SPACE))))}]"
)
_SPACE_OR_BOLD = _SPACE + "*"
_TITLE_STRIP = _SPACE + "。.：:"


@dataclass(slots=True)
class _Open:
    node: Node
    rank: int
    rung: str
    start: int
    last_child: dict[str, int] = field(default_factory=dict)


class _Builder:
    def __init__(self, source: SourceText, progress: Progress | None) -> None:
        self.text = source.text
        self.scan = source.scan
        self.progress = progress
        self.root: list[Node] = []
        self.root_last: dict[str, int] = {}
        self.root_ranks: list[int] = []
        self.stack: list[_Open] = []
        self.title: str | None = None
        self.bodies: dict[int, int] = {}

    # -- nodes ------------------------------------------------------------------------------

    def _clean_title(self, s: int, e: int) -> str | None:
        title = self.text[s:e].replace("**", "").strip(_TITLE_STRIP)
        return title or None

    def _title_span(self, s: int, line_end: int) -> tuple[int, int, int]:
        """(title start, title end, body start) for a heading whose title starts at s."""
        scan = self.scan
        while s < line_end and scan[s] in _SPACE_OR_BOLD:
            s += 1
        m = _TITLE_END_OR_COLON.search(scan, s, line_end)
        if m and scan[m.start()] in "：:":  # the first colon, before any title end
            if s < m.start() <= s + COLON_TITLE_MAX_CHARS:  # 指导思想:高举…… → 指导思想
                return s, m.start(), m.end()
            m = _TITLE_END.search(scan, m.end(), line_end)
        if m:
            return s, m.start(), m.end()
        if line_end - s > TITLE_MAX_CHARS:
            comma = min(
                (i for c in ",，" if (i := self.scan.find(c, s, line_end)) >= 0), default=-1
            )
            if comma > s:
                return s, comma, comma + 1
        return s, line_end, line_end

    def _add(
        self,
        kind: str,
        rung: str,
        rank: int,
        number: int | None,
        marker: str | None,
        start: int,
        title: str | None,
    ) -> _Open:
        """Open a node under the innermost open one (or at the top)."""
        node = self._node(kind, rung, rank, number, marker, (start, start), title)
        opened = _Open(node, rank, rung, start)
        self.stack.append(opened)
        return opened

    def _node(
        self,
        kind: str,
        rung: str,
        rank: int,
        number: int | None,
        marker: str | None,
        span: tuple[int, int],
        title: str | None,
    ) -> Node:
        """A node placed under the innermost open one (or at the top), not opened itself."""
        if self.stack:
            parent = self.stack[-1]
            node = Node("", _KIND_UNDER[kind, parent.node.kind], marker, title, "", span)
            parent.node.children.append(node)
            if number is not None:
                parent.last_child[rung] = number
        else:
            node = Node("", _KIND_UNDER[kind, None], marker, title, "", span)
            self.root.append(node)
            self.root_ranks.append(rank)
            if number is not None:
                self.root_last[rung] = number
        return node

    def _close_to(self, rank: int, at: int) -> None:
        stack = self.stack
        while stack and stack[-1].rank >= rank:
            opened = stack.pop()
            opened.node.span = (opened.start, at)

    def _accepts(self, rung: str, rank: int, number: int | None) -> bool:
        """Whether a marker continues the numbering where it would land (else it is text)."""
        if number is None:
            return True
        depth = len(self.stack)
        while depth and self.stack[depth - 1].rank >= rank:
            depth -= 1
        last = self.stack[depth - 1].last_child.get(rung) if depth else self.root_last.get(rung)
        return last is None or number == 1 or last < number <= last + MAX_NUMBER_GAP

    def _heading(
        self,
        rung: str,
        rank: int,
        kind: str,
        number: int | None,
        marker: str | None,
        start: int,
        title: str | None,
    ) -> _Open:
        self._close_to(rank, start)
        if not self.stack and number and number > 1 and rung not in self.root_last:
            self._wrap_implicit(rung, rank, kind, number, marker, start)
            self._close_to(rank, start)
        return self._add(kind, rung, rank, number, marker, start, title)

    def _wrap_implicit(
        self, rung: str, rank: int, kind: str, number: int, marker: str | None, start: int
    ) -> None:
        """Give the lower rungs already at the top an implicit parent (excerpt mid-ladder)."""
        i = len(self.root)
        while i and self.root_ranks[i - 1] > rank and self.root[i - 1].kind != "paragraph":
            i -= 1
        moved = self.root[i:]
        if not moved:
            return
        first = moved[0].span[0]
        inferred = marker_with_number(marker, number, number - 1) if marker else None
        parent = Node(
            id="",
            kind=_resolve_kind(kind, None),
            marker=inferred,
            title=None,
            text="",
            span=(first, start),
            children=moved,
            implicit=True,
        )
        del self.root[i:]
        del self.root_ranks[i:]
        self.root.append(parent)
        self.root_ranks.append(rank)
        self.root_last[rung] = number - 1

    # -- lines ------------------------------------------------------------------------------

    def build(self) -> list[Node]:
        scan = self.scan
        # Where 是 follows a numeral, for _shi_matches (one scan of the whole text).
        self.shi = [m.end() for m in _SHI_IS.finditer(scan)]
        lines = _LINE.finditer(scan)
        first_line = True
        le = 0
        for m in lines:  # until a node stays open, every line counts
            ls, le = m.span("line")
            self._line(ls, le, first_line)
            first_line = False
            if self.stack:
                break
        # Inside an open node (the stack never empties again) a plain paragraph is part of its
        # text: only the lines that start with an opener or hold n是 are read.
        starts = {m.start() + 1 for m in _OPENER_LINE.finditer(scan, le)}
        starts.update(scan.rfind("\n", 0, end) + 1 for end in self.shi if end > le)
        total = len(scan)
        step = max(total // 100, 50_000)
        next_report = step
        for start in sorted(starts):
            ls, le = _LINE.match(scan, start).span("line")  # type: ignore[union-attr]
            if self.progress and ls >= next_report:
                self.progress(ls, total)
                next_report = ls + step
            self._line(ls, le, False)
        self._close_to(-1, len(scan))
        return self.root

    def _line(self, ls: int, le: int, first_line: bool) -> None:
        scan = self.scan
        pos = ls
        depth = 0
        md = _MD_HEADING.match(scan, pos) if scan[pos] == "#" else None
        if md:
            depth = md.end() - md.start()
            pos = md.end()
            while pos < le and scan[pos] in _SPACE:
                pos += 1
        bold = scan.startswith("**", pos)
        mpos = pos + 2 if bold else pos
        found = match_marker(scan, mpos)
        if found and found.end <= le and found.rung.key not in PARAGRAPH_SCOPED:
            rung = found.rung
            if self._accepts(rung.key, rung.rank, found.number):
                ts, te, body = self._title_span(found.end, le)
                opened = self._heading(
                    rung.key,
                    rung.rank,
                    rung.kind,
                    found.number,
                    self.text[mpos : found.end].strip(),
                    ls,
                    self._clean_title(ts, te),
                )
                self.bodies[id(opened.node)] = body
                self._inline_items(body, le, opened)
                return
        if depth:
            ts, te, body = self._title_span(pos, le)
            if first_line and self._only_heading_at(depth, le):
                self.title = self._clean_title(ts, te)
                return
            opened = self._heading(
                f"h{depth}",
                HEADING_DEPTH_RANK[depth],
                HEADING_DEPTH_KIND[depth],
                None,
                None,
                ls,
                self._clean_title(ts, te),
            )
            self.bodies[id(opened.node)] = body
            self._inline_items(body, le, opened)
            return
        box = BOX.match(scan, pos) if scan[pos] == "专" else None
        if box:
            ts, te, _ = self._title_span(box.end(), le)
            self._close_to(BOX_RANK, ls)
            self._add(
                "paragraph",
                "box",
                BOX_RANK,
                None,
                self.text[box.start() : box.end()],
                ls,
                self._clean_title(ts, te),
            )
            return
        if first_line and self._looks_like_title(ls, le):
            self.title = self._clean_title(ls, le)
            return
        if found and found.rung.key == "dash":
            ts, te, body = self._title_span(found.end, le)
            title = self._clean_title(ts, te)
            node = self._node("item", "dash", found.rung.rank, None, "——", (ls, le), title)
            self.bodies[id(node)] = body
            return
        self._paragraph(ls, le)

    def _paragraph(self, ls: int, le: int) -> None:
        """A plain paragraph: it may hold 一是…二是… items; at top level it is a node itself."""
        if not self.stack:
            first = _SHI.match(self.scan, ls)
            if first is None or marker_number(first.group("n")) != 1:
                self._node("paragraph", "paragraph", 100, None, None, (ls, le), None)
                return
        self._inline_items(ls, le, self.stack[-1] if self.stack else None)

    def _inline_items(self, start: int, le: int, parent: _Open | None) -> None:
        """Open an item for each 一是, 二是 … in this paragraph that continues the count."""
        if start >= le:
            return
        expected = 1
        last = parent.last_child.get("shi") if parent else self.root_last.get("shi")
        # (match start, numeral start, end after 是, number)
        picks: list[tuple[int, int, int, int | None]] = []
        for at, numeral, end in self._shi_matches(start, le):
            n = marker_number(self.scan[numeral : end - 1])
            if n == expected or (not picks and at == start and last and n == last + 1):
                picks.append((at, numeral, end, n))
                expected = (n or 0) + 1
        for i, (_, numeral, end, n) in enumerate(picks):
            stop = picks[i + 1][0] if i + 1 < len(picks) else le
            ts, te, body = self._title_span(end, stop)
            title = self._clean_title(ts, te)
            node = self._node(
                "item", "shi", _SHI_RANK, n, self.text[numeral:end], (numeral, stop), title
            )
            self.bodies[id(node)] = body

    def _shi_matches(self, start: int, le: int) -> list[tuple[int, int, int]]:
        """What _SHI.finditer(scan, start, le) finds, as (start, numeral start, end).

        Found from the cheap _SHI_IS hits: the numerals (at most 3) and the spaces before them
        must follow a sentence end, a colon or a line start, at or after `start`.
        """
        scan = self.scan
        shi = self.shi
        found = []
        for i in range(bisect.bisect_right(shi, start + 1), bisect.bisect_right(shi, le)):
            end = shi[i]
            numeral = end - 2
            while numeral > start and scan[numeral - 1] in _SHI_NUMERALS:
                numeral -= 1
            if end - 1 - numeral > 3:
                continue
            at = numeral
            while at > start and scan[at - 1] in " \u3000":
                at -= 1
            if at >= start and (at == 0 or scan[at - 1] in _SHI_AFTER):
                found.append((at, numeral, end))
        return found

    def _only_heading_at(self, depth: int, after: int) -> bool:
        """Whether no other heading of this depth follows (then the first one is the title)."""
        marks = re.compile(rf"^#{{{depth}}}(?!#)", re.M)
        return marks.search(self.scan, after) is None

    def _looks_like_title(self, ls: int, le: int) -> bool:
        line = self.scan[ls:le]
        return (
            len(line) <= 60
            and line[-1] not in "。！？!?；;：:，,"
            and "\n" in self.scan[le : le + 1]
        )


def _resolve_kind(default: str, parent: str | None) -> str:
    """The rung's usual kind, or one level below its parent when that is deeper."""
    if parent is None or default == "paragraph":
        return default
    d, p = KINDS.index(default), KINDS.index(parent)
    return default if d > p else KINDS[min(p + 1, KINDS.index("item"))]


# _resolve_kind for every pair, looked up once per node.
_KIND_UNDER = {(d, p): _resolve_kind(d, p) for d in KINDS for p in (*KINDS, None)}


def build_outline(source: SourceText, progress: Progress | None = None) -> Outline:
    """The outline of a decoded document."""
    builder = _Builder(source, progress)
    roots = builder.build()
    _complete(roots, "", source, builder.bodies)
    _attach_targets(roots, find_targets(source.scan))
    if progress:
        progress(len(source.text), len(source.text))
    return Outline(
        source=source.source,
        format=source.format,
        children=roots,
        title=builder.title,
        encoding=source.encoding,
        traditional=source.traditional,
        indicators=[dict(r) for r in source.indicator_rows],
        chars=len(source.text),
    )


def _complete(nodes: list[Node], prefix: str, source: SourceText, bodies: dict[int, int]) -> None:
    """Trim each node's span to its text, give it its id, and find the measures of containers
    without numbered children (one walk over the tree)."""
    text = source.text
    for i, node in enumerate(nodes, 1):
        s, e = node.span
        if node.children:
            s = min(s, node.children[0].span[0])
        while e > s and text[e - 1] in _SPACE_OR_BREAK:
            e -= 1
        node.span = (s, e)
        node.text = text[s:e]
        node.id = node_id = f"{prefix}{i}"
        if node.children:
            _complete(node.children, node_id + ".", source, bodies)
        elif node.kind in _CONTAINERS:
            node.children = [
                Node(
                    f"{node_id}.{j}",
                    "measure",
                    None,
                    text[title_start:title_end].replace("**", "").strip(_SPACE),
                    text[start:end],
                    (start, end),
                )
                for j, (title_start, title_end, start, end) in enumerate(
                    find_measures(source.scan, bodies.get(id(node), s), e), 1
                )
            ]


def _attach_targets(nodes: list[Node], targets: list[Target]) -> None:
    """Give each target to the deepest node whose span holds its start."""
    starts: dict[int, list[int]] = {}  # id(level) → the starts of its nodes, for bisect
    for target in targets:
        at = target.span[0]
        level, owner = nodes, None
        while level:
            firsts = starts.get(id(level))
            if firsts is None:
                firsts = starts[id(level)] = [n.span[0] for n in level]
            i = bisect.bisect_right(firsts, at) - 1
            if i < 0 or not (level[i].span[0] <= at < level[i].span[1]):
                break
            owner = level[i]
            level = owner.children
        if owner is not None:
            owner.targets.append(target)
