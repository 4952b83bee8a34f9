"""Measures (举措): the short action headlines inside an item and the sentences explaining them.

Plans write a measure as a headline sentence ("做强新材料产业。") followed by one or more
sentences that explain it ("依托金属所、东大等技术优势,发展……等。"). Web and Markdown copies
mark the headline in bold; a 纲要 often gives each measure its own paragraph. Plain copies of a
speech run them together in one paragraph, so the headline has to be recognised by its shape:

- a headline is a short verb phrase: MIN_CHARS..MAX_CHARS characters, no comma or colon, no
  copula 是, not ending in 等, not opening with an explaining word (EXPLANATION_OPENERS);
- right after a headline, an enumeration (a sentence with 、) explains it, it is not a new
  headline; right after an explanation, a headline may be longer (MAX_CHARS_AFTER_EXPLANATION)
  or run into its explanation after a comma (its first clause, at most RUN_IN_MAX_CHARS);
- a container needs at least MIN_HEADLINES plain headlines before its text is split into
  measures at all: one short sentence in a paragraph is not a list of measures.

Leading connectives (同时,要 / 特别要) are not part of a headline (LEADING_CONNECTIVE).
"""

from __future__ import annotations

import re

MIN_CHARS = 5
MAX_CHARS = 28
MAX_CHARS_AFTER_EXPLANATION = 40
RUN_IN_MAX_CHARS = 18
MIN_HEADLINES = 2
_LONGEST = MAX_CHARS_AFTER_EXPLANATION + 12  # a headline plus a connective and its punctuation

EXPLANATION_OPENERS = (
    "这",
    "其中",
    "此外",
    "依托",
    "围绕",
    "按照",
    "通过",
    "以",
    "在",
    "对",
    "比如",
    "例如",
    "如",
    "全会",
    "我们",
    "必须",
    "重点",
    "主要",
    "目前",
    "当前",
    "近年来",
    "今后",
)
LEADING_CONNECTIVE = r"(?:(?:同时|此外|另外|并且|其次)[,，][^\S\n]*)?(?:特别要|还要|更要|要)?"
_BOLD = re.compile(r"\*\*(?P<title>[^*\n]{1,80}?)\*\*")
# A sentence. Group `lead` is its leading connective, if any; group `plain` the words after it
# up to the first comma, colon or 是 (none in a plain headline).
_SENTENCE = re.compile(
    rf"(?=[^。！？!?；;\n])(?P<lead>{LEADING_CONNECTIVE})(?P<plain>[^。！？!?；;\n,，:：是]*)"
    r"(?P<rest>[^。！？!?；;\n]*)(?:[。！？!?；;]+[”’」』）)]*)?"
)
# What a headline may not hold (a comma or colon, 是; right after a headline also 、): one
# search instead of several.
_NOT_IN_HEADLINE = re.compile(r"[,，:：是]")
_NOT_IN_HEADLINE_AFTER_HEADLINE = re.compile(r"[,，:：是、]")
_END_PUNCT = "。！？!?；; "
_CLOSERS = "”’」』)）"


MeasureSpan = tuple[int, int, int, int]
"""Where a measure is, as offsets: (title start, title end, start, end) of its headline and of
its whole text (a plain tuple: thousands are made per document)."""


def find_measures(text: str, start: int, end: int) -> list[MeasureSpan]:
    """The measures in text[start:end] (the body of an item, after its own title)."""
    if text.find("**", start, end) >= 0:
        bold = _bold_measures(text, start, end)
        if bold:
            return bold
    if text.find("\n", start, end) >= 0:
        by_paragraph = _paragraph_measures(text, start, end)
        if by_paragraph:
            return by_paragraph
    return _sentence_measures(text, start, end)


def _bold_measures(text: str, start: int, end: int) -> list[MeasureSpan]:
    heads = [m for m in _BOLD.finditer(text, start, end) if _opens_sentence(text, m.start(), start)]
    spans = []
    for i, m in enumerate(heads):
        stop = heads[i + 1].start() if i + 1 < len(heads) else end
        spans.append((m.start("title"), m.end("title"), m.start(), _rstrip(text, m.start(), stop)))
    return spans


def _opens_sentence(text: str, pos: int, floor: int) -> bool:
    before = text[max(floor, pos - 1) : pos]
    return pos == floor or before in {"\n", "。", "；", ";", " ", "　", "！", "？"}


def _content(text: str, sentence: re.Match[str]) -> tuple[int, int]:
    """The sentence without its leading connective and closing punctuation."""
    s, e = sentence.end("lead"), sentence.end()
    while e > s:
        last = text[e - 1]
        if last in _END_PUNCT or (last in _CLOSERS and e - 2 >= s and text[e - 2] in _END_PUNCT):
            e -= 1  # a closing quote ends the sentence only right after its own full stop
        else:
            break
    while s < e and text[s] in " \u3000":
        s += 1
    return s, e


def _headline(text: str, s: int, e: int, after_headline: bool) -> bool:
    n = e - s
    if n < MIN_CHARS or n > (MAX_CHARS if after_headline else MAX_CHARS_AFTER_EXPLANATION):
        return False
    banned = _NOT_IN_HEADLINE_AFTER_HEADLINE if after_headline else _NOT_IN_HEADLINE
    if banned.search(text, s, e) or text[e - 1] == "等":
        return False
    return not text.startswith(EXPLANATION_OPENERS, s)


def _sentence_measures(text: str, start: int, end: int) -> list[MeasureSpan]:
    heads: list[tuple[int, int, int]] = []  # (sentence start, title start, title end)
    plain = 0
    explained = False  # the last sentence was an explanation (not a headline)
    for sentence in _SENTENCE.finditer(text, start, end):
        s, e = sentence.span()
        words_end = sentence.end(2)
        if words_end < sentence.end(3):
            # A comma, colon or 是 ends its first words: not a plain headline, but after an
            # explanation maybe a run-in one (its first clause, up to a comma).
            if explained and plain:
                cs = sentence.end(1)
                while text[cs] in " \u3000":
                    cs += 1
                if (
                    text[words_end] in ",，"
                    and MIN_CHARS <= words_end - cs <= RUN_IN_MAX_CHARS
                    and text.find("、", cs, words_end) < 0
                    and not text.startswith(EXPLANATION_OPENERS, cs)
                ):
                    heads.append((s, cs, words_end))
                    explained = False
                    continue
            explained = True
            continue
        if e - s > _LONGEST and not (explained and plain):
            explained = True  # too long for a headline: skip the finer checks
            continue
        cs, ce = _content(text, sentence)
        if cs >= ce:
            continue
        if _headline(text, cs, ce, after_headline=not explained):
            heads.append((s, cs, ce))
            plain += 1
            explained = False
        else:
            explained = True
    if plain < MIN_HEADLINES:
        return []
    return _spans(text, heads, end)


def _paragraph_measures(text: str, start: int, end: int) -> list[MeasureSpan]:
    """Each paragraph led by a headline sentence is a measure (the usual 纲要 layout)."""
    firsts = _paragraph_firsts(text, start, end)
    if len(firsts) < 2:
        return []
    heads = []
    for sentence in firsts:
        cs, ce = _content(text, sentence)
        if cs < ce and _headline(text, cs, ce, after_headline=False):
            heads.append((sentence.start(), cs, ce))
    if len(heads) < max(2, int(len(firsts) * 0.6 + 0.5)):
        return []
    return _spans(text, heads, end)


def _paragraph_firsts(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The first sentence of each paragraph, as the sentence split finds it (no sentence spans
    a line break, so each search can start at the next one)."""
    firsts = []
    at = start
    while (sentence := _SENTENCE.search(text, at, end)) is not None:
        firsts.append(sentence)
        at = text.find("\n", sentence.end(), end)
        if at < 0:
            break
    return firsts


def _spans(text: str, heads: list[tuple[int, int, int]], end: int) -> list[MeasureSpan]:
    spans = []
    for i, (s, ts, te) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else end
        spans.append((ts, te, s, _rstrip(text, s, stop)))
    return spans


def _rstrip(text: str, start: int, stop: int) -> int:
    while stop > start and text[stop - 1] in " \t\n\u3000":
        stop -= 1
    return stop
