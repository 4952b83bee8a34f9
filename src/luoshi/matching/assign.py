"""Suggest who leads a task (牵头单位) and who cooperates (配合单位), with the reason.

How a suggestion is made (docs/assignment.md has the long form):

1. Every unit of the catalog becomes a bag of terms: its name and aliases (weight
   `NAME_WEIGHT`), its keywords (`KEYWORD_WEIGHT`) and its responsibilities (1 per mention).
   The bags go into a BM25 `TermIndex`, expanded through the thesaurus, so a duty written as
   水污染防治 also answers 碧水保卫战 and 黑臭水体.
2. A task is segmented into terms; its headline (the first sentence) counts fully, the
   explanation after it with `BODY_WEIGHT`, and an optional context (the heading above a
   measure) with `CONTEXT_WEIGHT`. The terms are expanded through the thesaurus.
3. BM25 ranks the units. Remembered decisions (feedback.FeedbackMemory) on similar tasks
   add to the units people chose, in proportion to the similarity.
4. The best unit leads; a second one co-leads when it scores nearly as high
   (`CO_LEAD_SHARE`); the next units above `COOPERATE_SHARE` of the best cooperate.
   The reason names the task terms that matched and the duty they matched.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from luoshi.errors import DataError
from luoshi.matching.catalog import Catalog, Unit
from luoshi.matching.feedback import Decision, FeedbackMemory
from luoshi.matching.index import TermIndex, expand_terms
from luoshi.matching.text import Segmenter, default_segmenter
from luoshi.matching.thesaurus import Thesaurus, default_thesaurus

NAME_WEIGHT = 3.0
KEYWORD_WEIGHT = 2.0
BODY_WEIGHT = 0.6
CONTEXT_WEIGHT = 0.35
CO_LEAD_SHARE = 0.92
COOPERATE_SHARE = 0.25
MAX_COOPERATE = 4
# Tasks scored in one NumPy product (bounds memory: BATCH × units × terms of the batch).
BATCH = 512
# Units listed as candidates (alternatives a person can pick from), best first.
CANDIDATES = 5
# Feedback: decisions at least this similar (cosine of expanded terms) count, and a decision
# on the very same task adds FEEDBACK_WEIGHT × the best catalog score to its lead.
FEEDBACK_MIN_SIMILARITY = 0.3
FEEDBACK_WEIGHT = 1.5
_SENTENCE_END = re.compile(r"[。!?;!?;]")
_CLAUSE = re.compile(r"[;;。]")
# The wording of a suggestion's reason, per language. Only the words around the quoted task
# terms, duties and unit names are translated; those stay as the catalog and the task write them.
REASON_WORDING: dict[str, dict[str, str]] = {
    "zh": {
        "lead": "牵头",
        "cooperate": "配合",
        "unit": "{role} {unit}:匹配“{terms}”",
        "duty": ",对应职责“{duty}”",
        "similar": "参照已确认的相似任务“{task}”(相似度 {similarity:.2f},牵头 {lead})",
        "units": "、",
        "then": ";",
        "end": "。",
        "none": "未找到与任务相符的单位职责 (no unit's duties match)",
    },
    "en": {
        "lead": "lead",
        "cooperate": "cooperating",
        "unit": "{role} {unit}: matches “{terms}”",
        "duty": ", under the duty “{duty}”",
        "similar": "like the confirmed task “{task}” (similarity {similarity:.2f}, lead {lead})",
        "units": ", ",
        "then": "; ",
        "end": ".",
        "none": "no unit's duties match",
    },
}


@dataclass(frozen=True)
class Ranked:
    """A unit with its score (BM25 plus feedback)."""

    unit: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"unit": self.unit, "score": round(self.score, 3)}


@dataclass(frozen=True)
class Suggestion:
    """Suggested lead and cooperating units for one task, best first, and why."""

    task: str
    lead: tuple[Ranked, ...]
    cooperate: tuple[Ranked, ...]
    reason: str  # Chinese
    candidates: tuple[Ranked, ...] = ()
    reason_en: str = ""  # the same reason in English (quoted terms, duties and units as found)

    def ranking(self) -> list[str]:
        """The best-scoring units, best first (the lead comes first): alternatives to offer."""
        return [r.unit for r in self.candidates]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: task, lead and cooperate [{unit, score}], reason, reason_en,
        candidates."""
        return {
            "task": self.task,
            "lead": [r.to_dict() for r in self.lead],
            "cooperate": [r.to_dict() for r in self.cooperate],
            "reason": self.reason,
            "reason_en": self.reason_en,
            "candidates": [r.to_dict() for r in self.candidates],
        }


class Suggester:
    """Suggests units from one catalog; learns from the decisions it is given."""

    def __init__(
        self,
        catalog: Catalog,
        memory: FeedbackMemory | None = None,
        segmenter: Segmenter | None = None,
        thesaurus: Thesaurus | None = None,
    ) -> None:
        self.catalog = catalog
        self.memory = memory if memory is not None else FeedbackMemory()
        self.segmenter = segmenter or default_segmenter()
        self.thesaurus = thesaurus or default_thesaurus()
        self.index = TermIndex.build(
            [u.name for u in catalog.units],
            [self._bag(u) for u in catalog.units],
            self.thesaurus,
        )
        self._clauses = [self._unit_clauses(u) for u in catalog.units]
        self._positions = {name: i for i, name in enumerate(self.index.keys)}
        self._decision_vectors: dict[str, dict[str, float]] = {}
        self._decisions: _DecisionIndex | None = None

    # ── public ──────────────────────────────────────────────────────────────────────

    def suggest(self, task: str, context: str = "") -> Suggestion:
        """Ranked lead and cooperating units for one task text."""
        return self.suggest_many([task], [context])[0]

    def suggest_many(
        self,
        tasks: Sequence[str],
        contexts: Sequence[str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Suggestion]:
        """Suggestions for many tasks; scores are computed in batches with NumPy."""
        contexts = contexts or [""] * len(tasks)
        if len(contexts) != len(tasks):
            raise ValueError("tasks and contexts differ in length")
        out: list[Suggestion] = []
        for start in range(0, len(tasks), BATCH):
            chunk = range(start, min(start + BATCH, len(tasks)))
            queries = [self._query(tasks[i], contexts[i]) for i in chunk]
            vectors = [self.index.vector(q) for q in queries]
            scores = self.index.scores_vectors(vectors)
            for row, i in enumerate(chunk):
                out.append(self._suggestion(tasks[i], queries[row], vectors[row], scores[row]))
            if progress:
                progress(len(chunk))
        return out

    def learn(self, task: str, lead: Iterable[str], cooperate: Iterable[str] = ()) -> Decision:
        """Record a confirmed or corrected assignment; unknown unit names are refused."""
        lead, cooperate = list(lead), list(cooperate)
        resolved = {n: self.catalog.resolve(n) for n in (*lead, *cooperate)}
        unknown = [n for n, name in resolved.items() if name is None]
        if unknown:
            raise DataError(f"目录中没有这些单位 unknown units: {'、'.join(unknown)}")
        return self.memory.record(
            task, [resolved[n] or n for n in lead], [resolved[n] or n for n in cooperate]
        )

    # ── building ────────────────────────────────────────────────────────────────────

    def _bag(self, unit: Unit) -> dict[str, float]:
        bag: dict[str, float] = {}

        def add(pairs: Iterable[tuple[str, float]], weight: float, once: bool) -> None:
            if once:  # a name or keyword counts once, however often its words repeat
                best: dict[str, float] = {}
                for term, w in pairs:
                    best[term] = max(best.get(term, 0.0), w)
                pairs = best.items()
            for term, w in pairs:
                bag[term] = bag.get(term, 0.0) + weight * w

        weighted = self.segmenter.weighted_terms
        add([p for name in unit.names() for p in weighted(name)], NAME_WEIGHT, once=True)
        add(
            [p for word in unit.keywords for p in (*weighted(word), (word, 1.0))],
            KEYWORD_WEIGHT,
            once=True,
        )
        add(weighted(unit.responsibilities), 1.0, once=False)
        return bag

    def _unit_clauses(self, unit: Unit) -> list[tuple[str, set[str]]]:
        clauses = [c.strip() for c in _CLAUSE.split(unit.responsibilities) if c.strip()]
        return [(c, set(expand_terms(self.segmenter.terms(c), self.thesaurus))) for c in clauses]

    # ── scoring ─────────────────────────────────────────────────────────────────────

    def _query(self, task: str, context: str) -> dict[str, float]:
        """Expanded query terms: headline fully, the explanation and the context less."""
        match = _SENTENCE_END.search(task)
        head, body = (task[: match.start()], task[match.end() :]) if match else (task, "")
        query: dict[str, float] = {}
        for text, weight in ((head, 1.0), (body, BODY_WEIGHT), (context, CONTEXT_WEIGHT)):
            if not text.strip():
                continue
            terms = self.segmenter.weighted_terms(text)
            for term, w in expand_terms(terms, self.thesaurus).items():
                if w * weight > query.get(term, 0.0):
                    query[term] = w * weight
        return query

    def _suggestion(
        self,
        task: str,
        query: dict[str, float],
        vector: tuple[np.ndarray, np.ndarray],
        scores: np.ndarray,
    ) -> Suggestion:
        scores = scores.astype(np.float64)
        similar = self._similar(query)
        best = float(scores.max()) if scores.size else 0.0
        for decision, similarity in similar:
            lift = FEEDBACK_WEIGHT * similarity * max(best, 1.0)
            for names, share in ((decision.lead, 1.0), (decision.cooperate, 1 / 3)):
                for name in names:  # a unit another catalog knows is ignored here
                    if name in self._positions:
                        scores[self._positions[name]] += lift * share
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > 0]
        if not order:
            zh, en = (REASON_WORDING[lang]["none"] for lang in ("zh", "en"))
            return Suggestion(task, (), (), zh, reason_en=en)
        top = scores[order[0]]
        lead = [order[0]]
        if len(order) > 1 and scores[order[1]] >= CO_LEAD_SHARE * top:
            lead.append(order[1])
        rest = [i for i in order[len(lead) :] if scores[i] >= COOPERATE_SHARE * top]
        cooperate = rest[:MAX_COOPERATE]
        ranked = {i: Ranked(self.index.keys[i], float(scores[i])) for i in order[:CANDIDATES]}
        ranked.update((i, Ranked(self.index.keys[i], float(scores[i]))) for i in cooperate)
        reason, reason_en = self._reason(vector, lead, cooperate, similar)
        return Suggestion(
            task,
            lead=tuple(ranked[i] for i in lead),
            cooperate=tuple(ranked[i] for i in cooperate),
            reason=reason,
            candidates=tuple(ranked[i] for i in order[:CANDIDATES]),
            reason_en=reason_en,
        )

    def _reason(
        self,
        vector: tuple[np.ndarray, np.ndarray],
        lead: list[int],
        cooperate: list[int],
        similar: list[tuple[Decision, float]],
    ) -> tuple[str, str]:
        """The reason in Chinese and in English (REASON_WORDING): the task terms each unit
        matched, the lead's duty, and the most similar confirmed task."""
        found: list[tuple[str, str, list[str], str]] = []  # role, unit, matched terms, duty
        for role, units in (("lead", lead), ("cooperate", cooperate[:2])):
            for i in units:
                matched = _whole_terms(self.index.matched_vector(*vector, i, limit=8))[:4]
                clause = self._best_clause(i, matched) if role == "lead" else ""
                found.append((role, self.index.keys[i], matched, clause))
        reference = similar[0] if similar else None
        zh, en = (_reason_text(REASON_WORDING[lang], found, reference) for lang in ("zh", "en"))
        return zh, en

    def _best_clause(self, unit_index: int, matched: Sequence[str]) -> str:
        best, best_hits = "", 0
        for clause, terms in self._clauses[unit_index]:
            hits = sum(1 for t in matched if t in terms)
            if hits > best_hits:
                best, best_hits = clause, hits
        return _short(best, 40)

    # ── feedback ────────────────────────────────────────────────────────────────────

    def _similar(self, query: dict[str, float]) -> list[tuple[Decision, float]]:
        """Remembered decisions similar to the query, most similar first."""
        decisions = self.memory.decisions
        if not decisions:
            return []
        if self._decisions is None or self._decisions.decisions is not decisions:
            vectors = []
            for decision in decisions:  # only tasks not seen before are segmented again
                vector = self._decision_vectors.get(decision.task)
                if vector is None:
                    vector = self._decision_vectors[decision.task] = self._query(decision.task, "")
                vectors.append(vector)
            self._decisions = _DecisionIndex(decisions, vectors)
        return self._decisions.similar(query)


class _DecisionIndex:
    """Postings of the remembered decisions' expanded terms, for cosine similarity.

    Weights are squared first, so the broader concepts every task of a field shares weigh
    less than the task's own words.
    """

    def __init__(self, decisions: list[Decision], vectors: list[dict[str, float]]) -> None:
        self.decisions = decisions
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for i, vector in enumerate(vectors):
            squared = {t: w * w for t, w in vector.items()}
            norm = math.sqrt(sum(w * w for w in squared.values())) or 1.0
            for term, weight in squared.items():
                ids, weights = postings.setdefault(term, ([], []))
                ids.append(i)
                weights.append(weight / norm)
        self.postings = {t: (np.array(i), np.array(w)) for t, (i, w) in postings.items()}

    def similar(self, query: dict[str, float]) -> list[tuple[Decision, float]]:
        """Decisions at least FEEDBACK_MIN_SIMILARITY similar to the query, best first."""
        squared = {t: w * w for t, w in query.items()}
        norm = math.sqrt(sum(w * w for w in squared.values()))
        if not norm:
            return []
        similarity = np.zeros(len(self.decisions))
        for term, weight in squared.items():
            posting = self.postings.get(term)
            if posting is not None:
                ids, weights = posting
                similarity[ids] += weights * (weight / norm)  # ids are unique per term
        found = np.flatnonzero(similarity >= FEEDBACK_MIN_SIMILARITY)
        found = found[np.argsort(-similarity[found], kind="stable")]
        return [(self.decisions[i], float(similarity[i])) for i in found]


def _reason_text(
    words: dict[str, str],
    found: Sequence[tuple[str, str, Sequence[str], str]],
    reference: tuple[Decision, float] | None,
) -> str:
    """A reason in one language: (role, unit, matched terms, duty) per unit, then the most
    similar confirmed task. Matched terms are quoted as the task writes them, joined by 、."""
    parts = []
    for role, unit, matched, duty in found:
        text = words["unit"].format(role=words[role], unit=unit, terms="、".join(matched))
        if duty:
            text += words["duty"].format(duty=duty)
        parts.append(text)
    if reference is not None:
        decision, similarity = reference
        parts.append(
            words["similar"].format(
                task=_short(decision.task),
                similarity=similarity,
                lead=words["units"].join(decision.lead),
            )
        )
    return words["then"].join(parts) + words["end"]


def _whole_terms(terms: Sequence[str]) -> list[str]:
    """Drop terms that are part of another listed term (保卫战 beside 碧水保卫战)."""
    joined = "\n".join(terms)  # a term found twice is also inside another term
    return [t for t in terms if joined.count(t) == 1]


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
