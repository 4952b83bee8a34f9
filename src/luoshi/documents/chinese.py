"""Traditional → Simplified Chinese, offset for offset.

Every rule in luoshi (ladder markers, target words, thesaurus terms) is written in simplified
Chinese. A traditional-Chinese document is matched on its simplified form and shown in its
original form, so the conversion must keep every character at its offset: spans found on the
simplified text then point at the same characters of the original. OpenCC's `t2s` table does
the conversion; when a phrase rule would change the length, we fall back to one character at
a time.
"""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The simplified form of `text`, same length and offsets: '經濟發展' → '经济发展'."""
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    convert = _converter().convert
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)


def is_traditional(text: str, simplified: str) -> bool:
    """Whether `text` reads as traditional Chinese (enough characters differ from `simplified`)."""
    if text == simplified:
        return False
    changed = sum(1 for a, b in zip(text, simplified, strict=True) if a != b)
    return changed >= 3 or (changed > 0 and changed * 200 >= len(text))
