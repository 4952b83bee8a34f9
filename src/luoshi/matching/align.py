"""Plan alignment (对标对表): which lower-level nodes carry out each upper-level goal and task.

A city measures its plan against the national one (and a district against the city's): for
every upper goal and task, the lower nodes that take it up, with a score and a reason; the
upper nodes nothing takes up (`uncovered`); the lower nodes no upper node anchors
(`unanchored`). The steps:

1. Each outline becomes a flat list of `PlanNode`s with a role, goal or task
   (data/alignment/rules.yaml `goal_headings`), and a weighted bag of terms cut by the matching
   room's segmenter: own title, own text, children's titles, parent's title.
2. Both plans go into one `TermIndex` (BM25 over thesaurus-expanded terms), so a term common
   to both plans weighs little. Every upper node queries the lower nodes at once; a raw score
   is divided by the geometric mean of the two nodes' scores against themselves, which puts
   it between 0 and about 1 whatever the lengths.
3. Structure: the score is multiplied by the role factor (a goal matches goals before tasks),
   and the lowest-level goals of the two plans are paired one to one, best pair first, as main
   goals correspond one to one in practice.
4. Learning: `AlignFeedback` (luoshi.matching.align_feedback) adds to pairs close to pairs
   people confirmed and takes from pairs close to rejected ones.

`align(upper, lower)` returns an `Alignment`; `Alignment.to_dict()` is the JSON of
`luoshi align` (docs/alignment.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from luoshi.documents.model import Node, Outline
from luoshi.errors import LuoshiError
from luoshi.matching.align_feedback import AlignFeedback
from luoshi.matching.align_samples import PlanSource
from luoshi.matching.index import TermIndex
from luoshi.matching.text import Segmenter, default_segmenter
from luoshi.matching.thesaurus import Thesaurus, default_thesaurus

ROLE_LABEL = {"goal": "目标", "task": "任务"}
# The wording of a pair's reason, per language; the shared terms stay as the plans write them.
REASON_WORDING: dict[str, dict[str, str]] = {
    "zh": {
        **ROLE_LABEL,
        "confirmed": "已由人工确认",
        "terms": "共同要点:{terms}",
        "paired": "主要目标一一对应",
        "same_role": "同为{role}",
        "roles": "上级{upper}对应下级{lower}",
        "and": "、",
        "then": ";",
    },
    "en": {
        "goal": "goal",
        "task": "task",
        "confirmed": "confirmed by a person",
        "terms": "shared terms: {terms}",
        "paired": "main goals paired one to one",
        "same_role": "both a {role}",
        "roles": "upper {upper} to lower {lower}",
        "and": ", ",
        "then": "; ",
    },
}
# Largest plan pair aligned at once (upper nodes × lower nodes): the few score matrices of this
# many pairs take about 200 MB together; beyond it a plan should be aligned part by part.
MAX_PAIRS = 10_000_000


@dataclass(frozen=True)
class AlignRules:
    """The tunable rules of alignment (data/alignment/rules.yaml)."""

    goal_headings: tuple[str, ...]
    fold_kinds: tuple[str, ...]
    weights: dict[str, float]
    role_factor: dict[str, float]
    min_score: float
    relative: float
    max_lower: int
    goal_pair_min: float
    confirm_boost: float
    reject_penalty: float


@lru_cache
def default_rules() -> AlignRules:
    """The bundled alignment rules (cached)."""
    path = resources.files("luoshi").joinpath("data", "alignment", "rules.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return AlignRules(
        goal_headings=tuple(data["goal_headings"]),
        fold_kinds=tuple(data["fold_kinds"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        role_factor={k: float(v) for k, v in data["role_factor"].items()},
        min_score=float(data["min_score"]),
        relative=float(data["relative"]),
        max_lower=int(data["max_lower"]),
        goal_pair_min=float(data["goal_pair_min"]),
        confirm_boost=float(data["confirm_boost"]),
        reject_penalty=float(data["reject_penalty"]),
    )


@dataclass(frozen=True)
class PlanNode:
    """One titled node of a plan as alignment sees it."""

    id: str
    kind: str
    role: str
    title: str
    text: str
    parent: str | None
    children: tuple[str, ...]
    child_titles: tuple[str, ...] = ()
    parent_title: str = ""

    def brief(self) -> dict[str, str]:
        """The {id, kind, title} form used in the JSON output."""
        return {"id": self.id, "kind": self.kind, "role": self.role, "title": self.title}


def _own_text(node: Node, fold: frozenset[str]) -> str:
    """A node's text without the text of the children that are aligned on their own."""
    text = node.text or ""
    for child in node.children:
        if child.title and child.kind not in fold and child.text and child.text in text:
            text = text.replace(child.text, "")
    return text


def plan_nodes(outline: Outline, rules: AlignRules | None = None) -> list[PlanNode]:
    """The titled nodes of an outline in document order, each with its role (goal or task)."""
    rules = rules or default_rules()
    out: list[PlanNode] = []

    fold = frozenset(rules.fold_kinds)

    def titled_children(node: Node) -> list[Node]:
        found: list[Node] = []
        for child in node.children:
            if child.title:
                found.append(child)
            else:
                found.extend(titled_children(child))
        return found

    def visit(node: Node, parent: PlanNode | None, in_goal: bool) -> None:
        title = (node.title or "").strip()
        goal = in_goal or any(h in title for h in rules.goal_headings)
        if not title or node.kind in fold:
            for child in node.children:
                visit(child, parent, goal)
            return
        kids = titled_children(node)
        text = _own_text(node, fold)
        if not node.text:  # outlines that keep paragraph text in untitled children
            text += "".join(c.text for c in node.children if not c.title and not c.children)
        aligned = [k for k in kids if k.kind not in fold]
        me = PlanNode(
            id=node.id,
            kind=node.kind,
            role="goal" if goal else "task",
            title=title,
            text=text.strip(),
            parent=parent.id if parent else None,
            children=tuple(k.id for k in aligned),
            child_titles=tuple((k.title or "").strip() for k in kids),
            parent_title=parent.title if parent else "",
        )
        out.append(me)
        for child in node.children:
            visit(child, me, goal)

    for top in outline.children:
        visit(top, None, False)
    return out


def term_bags(
    nodes: Sequence[PlanNode], seg: Segmenter, weights: dict[str, float]
) -> list[dict[str, float]]:
    """Each node's terms with their field weights (a term keeps its largest weight).

    Fields: own title, own text, children's titles, parent's title. A title is cut once
    although it appears in three bags (its own, its parent's, its children's).
    """
    cut: dict[str, list[str]] = {}

    def terms(text: str) -> list[str]:
        found = cut.get(text)
        if found is None:
            found = cut[text] = seg.terms(text)
        return found

    bags: list[dict[str, float]] = []
    for node in nodes:
        bag: dict[str, float] = {}
        fields = (
            ("title", [node.title]),
            ("text", [node.text]),
            ("children", node.child_titles),
            ("parent", [node.parent_title]),
        )
        for name, texts in fields:
            w = weights[name]
            for text in texts:
                for term in terms(text):
                    if w > bag.get(term, 0.0):
                        bag[term] = w
        bags.append(bag)
    return bags


@dataclass(frozen=True)
class LowerMatch:
    """One lower node found for an upper node, with its score and reason."""

    node: PlanNode
    score: float
    reason: str  # Chinese
    terms: tuple[str, ...] = ()
    confirmed: bool = False
    reason_en: str = ""  # the same reason in English

    def to_dict(self) -> dict[str, Any]:
        """JSON form: {id, kind, role, title, score, reason, reason_en, terms}."""
        data: dict[str, Any] = {
            **self.node.brief(),
            "score": round(self.score, 3),
            "reason": self.reason,
            "reason_en": self.reason_en,
            "terms": list(self.terms),
        }
        if self.confirmed:
            data["confirmed"] = True
        return data


@dataclass
class Alignment:
    """The result of aligning a lower plan with an upper plan."""

    upper: list[PlanNode]
    lower: list[PlanNode]
    matches: dict[str, list[LowerMatch]]
    uncovered: list[PlanNode]
    unanchored: list[PlanNode]
    upper_title: str | None = None
    lower_title: str | None = None
    indicators: dict[str, Any] | None = field(default=None)

    def anchors(self) -> dict[str, list[tuple[str, float]]]:
        """For every matched lower node, its upper nodes with scores, best first."""
        out: dict[str, list[tuple[str, float]]] = {}
        for up_id, lows in self.matches.items():
            for m in lows:
                out.setdefault(m.node.id, []).append((up_id, m.score))
        for pairs in out.values():
            pairs.sort(key=lambda p: -p[1])
        return out

    def coverage(self) -> float:
        """Share of upper nodes with at least one lower node."""
        if not self.upper:
            return 0.0
        return sum(1 for n in self.upper if self.matches.get(n.id)) / len(self.upper)

    def matrix(self, upper_depth: int = 0, lower_depth: int = 0) -> dict[str, Any]:
        """The coverage matrix a screen shows: upper headings × lower headings.

        Rows are the upper nodes down to `upper_depth` (0 = top level), columns the lower nodes
        at `lower_depth`; a cell holds the best score of any pair inside the two subtrees, or
        None. A row of None is a gap (the lower plan takes up nothing of that heading).
        """
        up_lines = _lines(self.upper)
        low_lines = _lines(self.lower)
        rows = [n for n in self.upper if _depth(n, self.upper) <= upper_depth]
        cols = [n for n in self.lower if _depth(n, self.lower) == lower_depth]
        row_at = {n.id: k for k, n in enumerate(rows)}
        col_at = {n.id: k for k, n in enumerate(cols)}
        cells: list[list[float | None]] = [[None] * len(cols) for _ in rows]
        for up_id, lows in self.matches.items():
            for m in lows:
                low_line = low_lines[m.node.id]
                if len(low_line) <= lower_depth:
                    continue
                c = col_at[low_line[lower_depth]]
                for r_id in up_lines[up_id][: upper_depth + 1]:
                    r = row_at[r_id]
                    current = cells[r][c]
                    if current is None or m.score > current:
                        cells[r][c] = round(m.score, 3)
        return {
            "rows": [n.brief() for n in rows],
            "columns": [n.brief() for n in cols],
            "cells": cells,
            "gaps": [
                n.id for n, row in zip(rows, cells, strict=True) if all(v is None for v in row)
            ],
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `luoshi align`: matches (one per upper node), uncovered, unanchored."""
        hit = {n.id for n in self.upper if self.matches.get(n.id)}
        below, _ = _subtree_flags(self.upper, hit)
        data: dict[str, Any] = {
            "upper_title": self.upper_title,
            "lower_title": self.lower_title,
            "summary": {
                "upper_nodes": len(self.upper),
                "lower_nodes": len(self.lower),
                "covered": len(hit),
                "covered_below": len(below - hit),
                "uncovered_nodes": len(self.upper) - len(below),
                "coverage": round(self.coverage(), 3),
                "uncovered": len(self.uncovered),
                "unanchored": len(self.unanchored),
            },
            "matches": [
                {"upper": n.brief(), "lower": [m.to_dict() for m in self.matches.get(n.id, [])]}
                for n in self.upper
            ],
            "uncovered": [n.brief() for n in self.uncovered],
            "unanchored": [n.brief() for n in self.unanchored],
        }
        if self.indicators is not None:
            data["indicators"] = self.indicators
        return data


Query = tuple[np.ndarray, np.ndarray]  # indexed term ids and their expansion weights


def _self_scores(index: TermIndex, queries: Sequence[Query]) -> np.ndarray:
    """Each indexed document's score against its own terms (document k is query k)."""
    out = np.zeros(len(queries), dtype=np.float32)
    for k, (ids, ws) in enumerate(queries):
        if ids.size:
            out[k] = float(ws @ index.weights[ids, k])
    return out


def _cross_scores(index: TermIndex, queries: Sequence[Query], columns: np.ndarray) -> np.ndarray:
    """Scores of the queries against the indexed documents in `columns`."""
    weights = np.ascontiguousarray(index.weights[:, columns])
    out = np.zeros((len(queries), columns.size), dtype=np.float32)
    for row, (ids, ws) in enumerate(queries):
        if ids.size:
            out[row] = ws @ weights[ids]
    return out


@dataclass
class Similarity:
    """Normalised similarity of every (upper, lower) pair, with what explains it."""

    scores: np.ndarray  # shape (len(upper), len(lower)), between 0 and 1
    index: TermIndex  # upper nodes are documents 0 … n_up − 1, lower nodes follow
    queries: list[Query]  # every node's query, upper first
    n_upper: int
    _by_id: list[str] = field(default_factory=list, init=False, repr=False)

    def terms(self, i: int, j: int, limit: int = 5) -> tuple[str, ...]:
        """The terms that weigh most in the score of upper node i against lower node j."""
        ids, ws = self.queries[i]
        contrib = ws * self.index.weights[ids, self.n_upper + j]
        order = np.argsort(-contrib, kind="stable")[:limit]
        names = self._names()
        return tuple(names[ids[k]] for k in order if contrib[k] > 0)

    def _names(self) -> list[str]:
        """Indexed terms by id (built on first use)."""
        if not self._by_id:
            self._by_id = [""] * len(self.index.vocab)
            for term, k in self.index.vocab.items():
                self._by_id[k] = term
        return self._by_id


def similarity(
    upper: Sequence[PlanNode],
    lower: Sequence[PlanNode],
    rules: AlignRules | None = None,
    segmenter: Segmenter | None = None,
    thesaurus: Thesaurus | None = None,
) -> Similarity:
    """Normalised text similarity of every (upper, lower) pair (steps 2 and 3 of the method)."""
    rules = rules or default_rules()
    seg = segmenter or default_segmenter()
    nodes = [*upper, *lower]
    bags = term_bags(nodes, seg, rules.weights)
    keys = [f"u:{n.id}" for n in upper] + [f"l:{n.id}" for n in lower]
    index = TermIndex.build(keys, bags, thesaurus or default_thesaurus())
    queries = [index.query(b) for b in bags]
    selfs = _self_scores(index, queries)
    lower_cols = np.arange(len(upper), len(nodes))
    raw = _cross_scores(index, queries[: len(upper)], lower_cols)
    norm = np.sqrt(np.outer(selfs[: len(upper)], selfs[len(upper) :]))
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = np.where(norm > 0, raw / norm, 0.0)
    return Similarity(np.clip(sim, 0.0, 1.0).astype(np.float32), index, queries, len(upper))


def _role_matrix(
    upper: Sequence[PlanNode], lower: Sequence[PlanNode], rules: AlignRules
) -> np.ndarray:
    """The role factor of every pair."""
    up = np.array([n.role for n in upper])
    lo = np.array([n.role for n in lower])
    out = np.ones((len(upper), len(lower)), dtype=np.float32)
    for key, factor in rules.role_factor.items():
        a, b = key.split("-")
        out[np.ix_(up == a, lo == b)] = factor
    return out


def _leaf_goals(nodes: Sequence[PlanNode]) -> list[int]:
    """Positions of goals with no goal below them (the main goals themselves)."""
    by_id = {n.id: n for n in nodes}
    return [
        i
        for i, n in enumerate(nodes)
        if n.role == "goal" and not any(by_id[c].role == "goal" for c in n.children if c in by_id)
    ]


def _pair_goals(
    score: np.ndarray, ups: list[int], lows: list[int], floor: float
) -> set[tuple[int, int]]:
    """Greedy one-to-one pairing of upper and lower main goals, best pair first."""
    pairs = sorted(((score[i, j], i, j) for i in ups for j in lows), reverse=True)
    used_u: set[int] = set()
    used_l: set[int] = set()
    chosen: set[tuple[int, int]] = set()
    for s, i, j in pairs:
        if s < floor or i in used_u or j in used_l:
            continue
        used_u.add(i)
        used_l.add(j)
        chosen.add((i, j))
    return chosen


def _reason(
    up: PlanNode, low: PlanNode, terms: Iterable[str], paired: bool, confirmed: bool
) -> tuple[str, str]:
    """One sentence a planner can check, in Chinese and in English (REASON_WORDING): shared
    terms (as the plans write them) and the structural reason."""
    shown = list(terms)[:5]
    zh, en = (
        _reason_text(REASON_WORDING[lang], up.role, low.role, shown, paired, confirmed)
        for lang in ("zh", "en")
    )
    return zh, en


def _reason_text(
    words: dict[str, str],
    up_role: str,
    low_role: str,
    shown: Sequence[str],
    paired: bool,
    confirmed: bool,
) -> str:
    parts: list[str] = []
    if confirmed:
        parts.append(words["confirmed"])
    if shown:
        parts.append(words["terms"].format(terms=words["and"].join(shown)))
    if paired:
        parts.append(words["paired"])
    elif up_role == low_role:
        parts.append(words["same_role"].format(role=words[up_role]))
    else:
        parts.append(words["roles"].format(upper=words[up_role], lower=words[low_role]))
    return words["then"].join(parts)


def _depth(node: PlanNode, nodes: Sequence[PlanNode]) -> int:
    """How many titled ancestors a node has (0 for a top-level node)."""
    by_id = {n.id: n for n in nodes}
    depth = 0
    while node.parent in by_id:
        node = by_id[node.parent]
        depth += 1
    return depth


def _lines(nodes: Sequence[PlanNode]) -> dict[str, list[str]]:
    """Every node's line of descent: top-level ancestor first, itself last."""
    by_id = {n.id: n for n in nodes}
    line: dict[str, list[str]] = {}
    for n in nodes:  # parents come first in document order
        line[n.id] = [*line[n.parent], n.id] if n.parent in by_id else [n.id]
    return line


def _lineages(nodes: Sequence[PlanNode]) -> list[frozenset[int]]:
    """For every node, the positions of its ancestors and descendants."""
    pos = {n.id: i for i, n in enumerate(nodes)}
    ancestors: list[set[int]] = []
    for n in nodes:
        up = pos.get(n.parent) if n.parent else None
        ancestors.append(({up} | ancestors[up]) if up is not None else set())
    related = [set(a) for a in ancestors]
    for i, ups in enumerate(ancestors):
        for a in ups:
            related[a].add(i)
    return [frozenset(r) for r in related]


def _one_per_lineage(order: list[int], lineage: list[frozenset[int]], limit: int) -> list[int]:
    """The best candidates, one per line of descent: a node whose ancestor or descendant is
    already listed is left out (the listed one stands for it)."""
    taken: list[int] = []
    for j in order:
        if len(taken) >= limit:
            break
        if not any(t in lineage[j] for t in taken):
            taken.append(j)
    return taken


def _subtree_flags(nodes: Sequence[PlanNode], hit: set[str]) -> tuple[set[str], set[str]]:
    """Ids whose subtree holds a hit, and ids with a hit on themselves or an ancestor."""
    by_id = {n.id: n for n in nodes}
    below: set[str] = set()
    for n in reversed(nodes):  # children come after parents in document order
        if n.id in hit or any(c in below for c in n.children):
            below.add(n.id)
    above: set[str] = set()
    for n in nodes:
        if n.id in hit or (n.parent in above and n.parent in by_id):
            above.add(n.id)
    return below, above


def _topmost(nodes: Sequence[PlanNode], ids: set[str]) -> list[PlanNode]:
    """The nodes in `ids` whose parent is not in `ids`, in document order."""
    return [n for n in nodes if n.id in ids and n.parent not in ids]


def align(
    upper: Outline | Sequence[PlanNode],
    lower: Outline | Sequence[PlanNode],
    feedback: AlignFeedback | None = None,
    rules: AlignRules | None = None,
) -> Alignment:
    """Align a lower plan with an upper plan: matches per upper node, uncovered, unanchored."""
    rules = rules or default_rules()
    up_nodes = plan_nodes(upper, rules) if isinstance(upper, Outline) else list(upper)
    low_nodes = plan_nodes(lower, rules) if isinstance(lower, Outline) else list(lower)
    seg = default_segmenter()
    result = Alignment(
        upper=up_nodes,
        lower=low_nodes,
        matches={},
        uncovered=[],
        unanchored=[],
        upper_title=upper.title if isinstance(upper, Outline) else None,
        lower_title=lower.title if isinstance(lower, Outline) else None,
    )
    if len(up_nodes) * len(low_nodes) > MAX_PAIRS:
        raise LuoshiError(
            f"规划过大,无法一次对标:{len(up_nodes)} × {len(low_nodes)} 个节点对,"
            f"上限 {MAX_PAIRS:,} (align the plans part by part)",
            "align",
        )
    if not up_nodes or not low_nodes:
        result.uncovered = _topmost(up_nodes, {n.id for n in up_nodes})
        result.unanchored = _topmost(low_nodes, {n.id for n in low_nodes})
        return result

    sim = similarity(up_nodes, low_nodes, rules, seg)
    score = sim.scores * _role_matrix(up_nodes, low_nodes, rules)
    confirmed = np.zeros(score.shape, dtype=bool)
    if feedback is not None and len(feedback):
        adjust, confirmed = feedback.adjustments(up_nodes, low_nodes, seg, rules)
        score = np.clip(score + adjust, 0.0, 1.0)
        score[confirmed] = 1.0

    paired = _pair_goals(score, _leaf_goals(up_nodes), _leaf_goals(low_nodes), rules.goal_pair_min)
    # Main goals pair one to one: a main goal's other main-goal candidates are dropped.
    up_goals = {i for i, _ in paired}
    low_goals = {j for _, j in paired}
    for i in up_goals:
        for j in low_goals:
            if (i, j) not in paired and not confirmed[i, j]:
                score[i, j] = 0.0

    lineage = _lineages(low_nodes)
    forced = confirmed.copy()
    for i, j in paired:
        forced[i, j] = True
    for i, up in enumerate(up_nodes):
        row = score[i]
        best = float(row.max())
        floor = max(rules.min_score, rules.relative * best)
        cand = np.flatnonzero((row >= floor) | forced[i])
        same_role = np.array([low_nodes[j].role == up.role for j in cand], dtype=bool)
        order = sorted(
            range(cand.size),
            key=lambda k: (not forced[i, cand[k]], not same_role[k], -row[cand[k]]),
        )
        picked = _one_per_lineage([int(cand[k]) for k in order], lineage, rules.max_lower)
        lows: list[LowerMatch] = []
        for j in picked:
            terms = sim.terms(i, j)
            reason, reason_en = _reason(
                up, low_nodes[j], terms, (i, j) in paired, bool(confirmed[i, j])
            )
            lows.append(
                LowerMatch(
                    node=low_nodes[j],
                    score=float(row[j]),
                    reason=reason,
                    terms=terms,
                    confirmed=bool(confirmed[i, j]),
                    reason_en=reason_en,
                )
            )
        result.matches[up.id] = lows

    hit_up = {n.id for n in up_nodes if result.matches.get(n.id)}
    hit_low = {m.node.id for lows in result.matches.values() for m in lows}
    up_below, _ = _subtree_flags(up_nodes, hit_up)
    result.uncovered = _topmost(up_nodes, {n.id for n in up_nodes} - up_below)
    low_below, low_above = _subtree_flags(low_nodes, hit_low)
    result.unanchored = _topmost(low_nodes, {n.id for n in low_nodes} - low_below - low_above)
    return result


def align_plans(
    upper: PlanSource, lower: PlanSource, feedback: AlignFeedback | None = None
) -> Alignment:
    """Align two loaded plans: their outlines and their indicators (each plan's indicator table,
    or the targets found in its text when it has none)."""
    from luoshi.matching.align_indicators import align_indicators, target_rows

    result = align(upper.outline, lower.outline, feedback)
    result.upper_title = result.upper_title or upper.name
    result.lower_title = result.lower_title or lower.name
    upper_rows = upper.indicators or target_rows(upper.outline)
    lower_rows = lower.indicators or target_rows(lower.outline)
    if upper_rows:
        result.indicators = align_indicators(upper_rows, lower_rows).to_dict()
    return result
