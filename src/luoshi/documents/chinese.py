"""Traditional → Simplified Chinese, offset for offset.

Every rule in luoshi (ladder markers, target words, thesaurus terms) is written in simplified
Chinese. A traditional-Chinese document is matched on its simplified form and shown in its
original form, so the conversion must keep every character at its offset: spans found on the
simplified text then point at the same characters of the original. OpenCC's `t2s` table does
the conversion; when a phrase rule would change the length, we fall back to one character at
a time.

Most documents are simplified already, so only the lines holding a character that t2s could
change are converted (no t2s rule spans a line break, so a line converts as it would within
the whole text). Those characters are the ones t2s changes on their own, found once by
converting every BMP character, any non-BMP character, and PHRASE_ONLY_CHARS.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

# OpenCC 1.4.2's t2s phrase table also rewrites phrases made only of characters it leaves
# alone one by one: 回覆 → 回复, 瞭解 → 了解, 沈默 → 沉默, 藉口 → 借口, 英哩 → 英里, 衹得 → 只得,
# 甦醒 → 苏醒, 毛坏 → 毛坯. Each such phrase holds one of these characters.
PHRASE_ONLY_CHARS = "覆瞭沈藉哩衹甦坏"
MANY_LINES = 32  # after this many lines to convert, convert the rest of the text at once


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _convertible() -> re.Pattern[str]:
    """Any character t2s may change (a line without one converts to itself)."""
    bmp = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000 and c != 0x0A]
    converted = _converter().convert("\n".join(bmp)).split("\n")
    if len(converted) != len(bmp):  # a rule joined lines: convert every line
        return re.compile(r"[^\n]")
    changed = "".join(ch for ch, new in zip(bmp, converted, strict=True) if ch != new)
    return re.compile(f"[{re.escape(changed + PHRASE_ONLY_CHARS)}\U00010000-\U0010ffff]")


def to_simplified(text: str) -> str:
    """The simplified form of `text`, same length and offsets: '經濟發展' → '经济发展'."""
    convert = _converter().convert
    convertible = _convertible()
    parts: list[str] = []
    done = 0
    while (m := convertible.search(text, done)) is not None:
        start = text.rfind("\n", 0, m.start()) + 1
        if len(parts) >= 2 * MANY_LINES:  # a traditional text: convert the rest in one call
            end = len(text)
        else:
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
        parts += (text[done:start], convert(text[start:end]))
        done = end
    if not parts:
        return text
    converted = "".join(parts) + text[done:]
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)


def is_traditional(text: str, simplified: str) -> bool:
    """Whether `text` reads as traditional Chinese (enough characters differ from `simplified`)."""
    if text == simplified:
        return False
    changed = sum(1 for a, b in zip(text, simplified, strict=True) if a != b)
    return changed >= 3 or (changed > 0 and changed * 200 >= len(text))
