"""The policy-term thesaurus: synonyms and broader terms, as data.

Policy texts name one thing many ways (碧水保卫战, 水污染防治攻坚, 治水) and a department's
duties are written in general words (生态环境). The thesaurus links them so a matcher can
climb from the slogan to the field:

    碧水保卫战 ──broader──▶ 水污染防治 ──broader──▶ 生态环境

data/thesaurus.yaml has one entry per concept:

    水污染防治: {broader: [生态环境], synonyms: [水环境治理, 治水]}

A synonym stands for its concept (canonical term); `broader` lists more general concepts,
which may themselves have entries. `expand(term)` gives the term, its concept and every
broader concept up the chain, each with a weight that decays by `BROADER_DECAY` per step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from luoshi.errors import DataError

# Weight kept per step up the broader chain: 碧水保卫战 1.0 → 水污染防治 0.6 → 生态环境 0.36.
BROADER_DECAY = 0.6
# Steps climbed at most; deeper chains add noise, not meaning.
MAX_DEPTH = 3


@dataclass(frozen=True)
class Concept:
    """One thesaurus entry: a canonical term, its synonyms and its broader concepts."""

    term: str
    synonyms: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()


@dataclass
class Thesaurus:
    """Synonym and broader-term lookups over a set of concepts."""

    concepts: dict[str, Concept] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._canonical: dict[str, str] = {}
        for concept in self.concepts.values():
            self._canonical[concept.term] = concept.term
        for concept in self.concepts.values():
            for synonym in concept.synonyms:
                self._canonical.setdefault(synonym, concept.term)
        self._expand_cache: dict[str, tuple[tuple[str, float], ...]] = {}

    def __len__(self) -> int:
        return len(self.concepts)

    def __contains__(self, term: str) -> bool:
        return term in self._canonical

    def terms(self) -> list[str]:
        """Every term the thesaurus knows (concepts, synonyms and broader terms)."""
        known = set(self._canonical)
        for concept in self.concepts.values():
            known.update(concept.broader)
        return sorted(known)

    def canonical(self, term: str) -> str:
        """The concept a term stands for (itself when it is no synonym)."""
        return self._canonical.get(term, term)

    def broader(self, term: str) -> tuple[str, ...]:
        """The direct broader concepts of a term (empty when it has none)."""
        concept = self.concepts.get(self.canonical(term))
        return concept.broader if concept else ()

    def expand(self, term: str) -> tuple[tuple[str, float], ...]:
        """The term's concept and its broader concepts with decaying weights (cached).

        >>> default_thesaurus().expand("碧水保卫战")[:3]
        (('碧水保卫战', 1.0), ('水污染防治', 0.6), ('生态环境', 0.36))
        """
        cached = self._expand_cache.get(term)
        if cached is not None:
            return cached
        weights: dict[str, float] = {self.canonical(term): 1.0}
        frontier = [self.canonical(term)]
        weight = 1.0
        for _ in range(MAX_DEPTH):
            weight *= BROADER_DECAY
            nxt = []
            for current in frontier:
                for up in self.broader(current):
                    up = self.canonical(up)
                    if up not in weights:
                        weights[up] = round(weight, 6)
                        nxt.append(up)
            frontier = nxt
        result = tuple(weights.items())
        self._expand_cache[term] = result
        return result


def thesaurus_from_mapping(data: Mapping[str, object], where: str = "thesaurus") -> Thesaurus:
    """Build a thesaurus from the YAML mapping form (term → {broader, synonyms})."""
    concepts: dict[str, Concept] = {}
    for term, body in data.items():
        body = body or {}
        if not isinstance(term, str) or not isinstance(body, Mapping):
            raise DataError(f"词条 {term!r} 的格式应为 {{broader: [...], synonyms: [...]}}", where)
        unknown = set(body) - {"broader", "synonyms"}
        if unknown:
            raise DataError(f"词条 {term} 有未知字段 {sorted(unknown)}", where)
        concepts[term] = Concept(
            term=term,
            synonyms=_str_tuple(body.get("synonyms"), f"{term}.synonyms", where),
            broader=_str_tuple(body.get("broader"), f"{term}.broader", where),
        )
    return Thesaurus(concepts)


def _str_tuple(value: object, name: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise DataError(f"{name} 应为词语列表", where)


def load_thesaurus(path: str | Path) -> Thesaurus:
    """Read a thesaurus YAML file; a malformed file raises DataError naming it."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataError(f"无法读取词表 cannot read thesaurus: {exc}", str(path)) from exc
    if not isinstance(data, Mapping):
        raise DataError("词表应为 词条: {broader, synonyms} 的映射", str(path))
    return thesaurus_from_mapping(data, str(path))


@lru_cache
def default_thesaurus() -> Thesaurus:
    """The bundled thesaurus, data/thesaurus.yaml (cached)."""
    with resources.as_file(resources.files("luoshi").joinpath("data", "thesaurus.yaml")) as path:
        return load_thesaurus(path)
