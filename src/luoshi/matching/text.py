"""Chinese text normalisation and segmentation for matching.

Every matcher (department assignment, plan alignment) compares *terms*, never raw strings, so
both sides must be cut the same way. This module owns that one way:

- `normalize(text)`: full-width → half-width (NFKC), traditional → simplified characters
  (the documents room's `to_simplified`), whitespace collapsed.
- `Segmenter.cut(text)`: jieba words, with the bundled policy-term dictionary
  (data/dictionary/policy_terms.txt) and every thesaurus term added, so 碧水保卫战 or 放管服
  stay one word.
- `Segmenter.terms(text)`: the content terms of a text, for indexing and search: words that
  carry meaning (stopwords of data/dictionary/stopwords.txt and one-character function words
  dropped), plus the common words inside long words (高端装备制造 → 高端, 装备, 制造), as a
  search engine does: the whole word carries the policy term, its parts the plain meaning.

Build segmenters with `default_segmenter()` (cached; about half a second the first time,
while jieba loads its dictionary).
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

with warnings.catch_warnings():
    # jieba 0.42 imports pkg_resources, which newer setuptools marks deprecated.
    warnings.simplefilter("ignore", DeprecationWarning)
    import jieba

from luoshi.documents.chinese import to_simplified

jieba.setLogLevel(logging.WARNING)

# A term must hold a CJK character or be an alphanumeric code such as 5G, PM2.5, IC.
_MEANINGFUL = re.compile(r"[\u4e00-\u9fff]|^[A-Za-z][A-Za-z0-9.]*$|^[0-9]+[A-Za-z]+$")
_SPACES = re.compile(r"\s+")
# Frequency given to dictionary words: high enough that jieba keeps them whole.
_USER_WORD_FREQ = 20_000
# A part of a long word counts as a term only when jieba's dictionary knows it as a common
# word; rare fragments (通运 inside 交通运输) are noise.
_PART_MIN_FREQ = 100
# A part of a long word says less than the word: 精神 inside 精神卫生 is not about 精神文明.
PART_WEIGHT = 0.5


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), simplified characters, spaces collapsed.

    >>> normalize("打好 碧水保衛戰(2026年)")
    '打好 碧水保卫战(2026年)'
    """
    return _SPACES.sub(" ", to_simplified(unicodedata.normalize("NFKC", text))).strip()


def _data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a bundled dictionary file."""
    path = resources.files("luoshi").joinpath("data", "dictionary", name)
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache
def stopwords() -> frozenset[str]:
    """Words that never count as terms (generic verbs and function words of policy texts)."""
    return frozenset(_data_lines("stopwords.txt"))


@lru_cache
def policy_terms() -> tuple[str, ...]:
    """The bundled policy-term dictionary: words jieba must keep whole."""
    return tuple(line.split()[0] for line in _data_lines("policy_terms.txt"))


class Segmenter:
    """A jieba tokenizer of its own (the global jieba dictionary is never touched)."""

    def __init__(self, words: Iterable[str] = (), stop: Iterable[str] | None = None) -> None:
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.initialize()
        self._stop = frozenset(stop) if stop is not None else stopwords()
        self._freq = self._tokenizer.FREQ
        self.add_words(words)

    def add_words(self, words: Iterable[str]) -> None:
        """Teach the segmenter words it must keep whole (policy terms, unit names)."""
        for word in words:
            word = normalize(word)
            if word and self._freq.get(word, 0) < _USER_WORD_FREQ:
                self._tokenizer.add_word(word, _USER_WORD_FREQ)

    def cut(self, text: str) -> list[str]:
        """Plain segmentation of normalized text, every token kept (punctuation included)."""
        return self._tokenizer.lcut(normalize(text), HMM=False)

    def terms(self, text: str) -> list[str]:
        """Content terms of a text, in order, with the dictionary sub-words of long words.

        >>> default_segmenter().terms("打好碧水保卫战")
        ['碧水', '保卫', '保卫战', '碧水保卫战']
        """
        return [term for term, _ in self.weighted_terms(text)]

    def weighted_terms(self, text: str) -> list[tuple[str, float]]:
        """Like `terms`, each with a weight: 1 for a word, `PART_WEIGHT` for a part of one.

        >>> default_segmenter().weighted_terms("精神卫生")
        [('精神', 0.5), ('卫生', 0.5), ('精神卫生', 1.0)]
        """
        out: list[tuple[str, float]] = []
        freq, stop = self._freq, self._stop
        for word in self._tokenizer.cut(normalize(text), HMM=False):
            if word in stop or len(word) < 2 or not _MEANINGFUL.search(word):
                continue
            if len(word) > 2:
                out.extend((part, PART_WEIGHT) for part in self._parts(word, freq, stop))
            out.append((word, 1.0))
        return out

    @staticmethod
    def _parts(word: str, freq: dict[str, int], stop: frozenset[str]) -> list[str]:
        """Common dictionary words of length 2 and 3 inside a long word (jieba's search mode)."""
        parts = []
        for size in (2, 3):
            if len(word) > size:
                for i in range(len(word) - size + 1):
                    gram = word[i : i + size]
                    if freq.get(gram, 0) >= _PART_MIN_FREQ and gram not in stop:
                        parts.append(gram)
        return parts


@lru_cache
def default_segmenter() -> Segmenter:
    """The shared segmenter: jieba + policy terms + every thesaurus term (cached)."""
    from luoshi.matching.thesaurus import default_thesaurus

    return Segmenter(words=(*policy_terms(), *default_thesaurus().terms()))
