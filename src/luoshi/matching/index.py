"""A search index over short documents, scored with BM25 on thesaurus-expanded terms.

Department responsibilities and plan texts share few literal words with the tasks that
match them (碧水保卫战 vs 水污染防治), so both the documents and the queries are expanded
through the thesaurus before scoring: every term also counts, with a smaller weight, as its
concept and broader concepts. Scoring is Okapi BM25 (Robertson & Zaragoza, "The Probabilistic
Relevance Framework: BM25 and Beyond", 2009, eq. 3.15 with the non-negative idf of Lucene):

    score(q, d) = Σ_t  w_q(t) · idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))

where tf and |d| are sums of expansion weights and w_q(t) the query's expansion weight.
The whole term × document weight table is precomputed as one NumPy matrix, so a query costs
one gather and one small matrix product; `scores_many` does a batch at once.

Build with `TermIndex.build(keys, bags, thesaurus)` where each bag maps a term to its weight
in that document (callers weight fields, e.g. a unit's name above its duties).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from luoshi.matching.thesaurus import Thesaurus

# BM25 parameters (the usual defaults; b lowered because catalog entries are short and
# a long list of duties is not a sign of a weaker match).
K1 = 1.2
B = 0.5


@dataclass(frozen=True)
class Hit:
    """One document found for a query: its key, score and the terms that matched, best first."""

    key: str
    score: float
    matched: tuple[str, ...]


def expand_terms(
    terms: Iterable[str] | Iterable[tuple[str, float]], thesaurus: Thesaurus
) -> dict[str, float]:
    """Terms (or (term, weight) pairs) with their concepts and broader concepts, weighted;
    a concept reached twice keeps its best weight.

    >>> expand_terms(["碧水保卫战"], default_thesaurus())["水污染防治"]
    0.6
    """
    out: dict[str, float] = {}
    for item in terms:
        term, base = (item, 1.0) if isinstance(item, str) else item
        for concept, weight in thesaurus.expand(term):
            weight *= base
            if weight > out.get(concept, 0.0):
                out[concept] = weight
    return out


class TermIndex:
    """BM25 weights of every (term, document) pair, as a dense NumPy matrix."""

    def __init__(
        self, keys: Sequence[str], vocab: dict[str, int], weights: np.ndarray, thesaurus: Thesaurus
    ) -> None:
        self.keys = list(keys)
        self.vocab = vocab
        self.weights = weights  # shape (len(vocab), len(keys)), float32
        self.thesaurus = thesaurus
        self._terms = sorted(vocab, key=vocab.__getitem__)

    @classmethod
    def build(
        cls, keys: Sequence[str], bags: Sequence[Mapping[str, float]], thesaurus: Thesaurus
    ) -> TermIndex:
        """Index documents given as term → weight bags, expanded through the thesaurus."""
        if len(keys) != len(bags):
            raise ValueError("keys and bags differ in length")
        expanded: list[dict[str, float]] = []
        for bag in bags:
            tf: dict[str, float] = {}
            for term, weight in bag.items():
                for concept, factor in thesaurus.expand(term):
                    tf[concept] = tf.get(concept, 0.0) + weight * factor
            expanded.append(tf)
        vocab: dict[str, int] = {}
        for tf in expanded:
            for term in tf:
                vocab.setdefault(term, len(vocab))
        n_docs = len(keys)
        tf_matrix = np.zeros((len(vocab), n_docs), dtype=np.float64)
        for j, tf in enumerate(expanded):
            for term, value in tf.items():
                tf_matrix[vocab[term], j] = value
        lengths = tf_matrix.sum(axis=0)
        avg = lengths.mean() if n_docs else 1.0
        df = (tf_matrix > 0).sum(axis=1)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        norm = K1 * (1 - B + B * lengths / (avg or 1.0))
        weights = idf[:, None] * tf_matrix * (K1 + 1) / (tf_matrix + norm[None, :])
        return cls(keys, vocab, weights.astype(np.float32), thesaurus)

    def query(self, terms: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The query's indexed term ids and their expansion weights."""
        return self.vector(expand_terms(terms, self.thesaurus))

    def vector(self, expanded: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """Indexed term ids and weights of an already expanded query (term → weight)."""
        vocab = self.vocab
        pairs = [(vocab[t], w) for t, w in expanded.items() if t in vocab]
        if not pairs:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32)
        ids, ws = zip(*pairs, strict=True)
        return np.fromiter(ids, np.intp, len(ids)), np.fromiter(ws, np.float32, len(ws))

    def scores(self, terms: Iterable[str]) -> np.ndarray:
        """BM25 score of every document for one query, in key order."""
        return self.scores_vector(*self.query(terms))

    def scores_vector(self, ids: np.ndarray, ws: np.ndarray) -> np.ndarray:
        """BM25 score of every document for a query given as (term ids, weights)."""
        if ids.size == 0:
            return np.zeros(len(self.keys), dtype=np.float32)
        return ws @ self.weights[ids]

    def scores_many(self, queries: Sequence[Iterable[str]]) -> np.ndarray:
        """Scores for a batch of queries at once: shape (len(queries), len(keys))."""
        return self.scores_vectors([self.query(q) for q in queries])

    def scores_vectors(self, vectors: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """Scores for a batch of (term ids, weights) queries: shape (len(vectors), len(keys))."""
        out = np.zeros((len(vectors), len(self.keys)), dtype=np.float32)
        rows = np.repeat(np.arange(len(vectors)), [ids.size for ids, _ in vectors])
        if rows.size == 0:
            return out
        ids = np.concatenate([v[0] for v in vectors])
        ws = np.concatenate([v[1] for v in vectors])
        contributions = self.weights[ids] * ws[:, None]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        out[rows[starts]] = np.add.reduceat(contributions, starts, axis=0)
        return out

    def matched(self, terms: Iterable[str], key_index: int, limit: int = 6) -> tuple[str, ...]:
        """The query terms that contributed to one document's score, largest first."""
        return self.matched_vector(*self.query(terms), key_index, limit)

    def matched_vector(
        self, ids: np.ndarray, ws: np.ndarray, key_index: int, limit: int = 6
    ) -> tuple[str, ...]:
        """Like `matched`, for a query given as (term ids, weights)."""
        contrib = ws * self.weights[ids, key_index]
        order = np.argsort(-contrib, kind="stable")
        return tuple(self._terms[ids[i]] for i in order[:limit] if contrib[i] > 0)

    def search(self, terms: Sequence[str], k: int = 5) -> list[Hit]:
        """The k best documents for a query, with the terms that matched each."""
        scores = self.scores(terms)
        order = np.argsort(-scores, kind="stable")[:k]
        return [
            Hit(self.keys[i], float(scores[i]), self.matched(terms, int(i)))
            for i in order
            if scores[i] > 0
        ]
