"""Word (.docx) → text lines the outline reads, plus the indicator rows of its tables.

Word keeps what matters for the outline outside the paragraph text: heading styles (标题 1,
Heading 2, or an outline level), automatic numbering (第一章, 一、, (一), 1. drawn from
numbering.xml, never typed) and bold run-in headlines. This reader writes them back into the
text in the convention markup.py uses: the number Word would print, `#` marks for a heading
level, and `**…**` around a bold lead-in. Tables become lines of cells joined by " | ";
a main-indicator table (主要指标表) becomes indicator rows instead (indicator_table.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from luoshi.documents.indicator_table import indicator_rows, is_indicator_table
from luoshi.documents.ladder import cn_numeral
from luoshi.errors import DocumentError

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def _chinese(n: int) -> str:
    return cn_numeral(n) if n < 100 else str(n)


def _circled(n: int) -> str:
    return chr(ord("①") + n - 1) if 1 <= n <= 20 else str(n)


def _letter(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26)


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
    (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _roman(n: int) -> str:
    out = ""
    for value, digits in _ROMAN:
        while n >= value:
            out += digits
            n -= value
    return out


# How Word's w:numFmt values print a number.
NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalEnclosedCircle": _circled,
    "decimalEnclosedCircleChinese": _circled,
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "chineseLegalSimplified": _chinese,
    "ideographDigital": _chinese,
    "japaneseCounting": _chinese,
    "taiwaneseCounting": _chinese,
    "taiwaneseCountingThousand": _chinese,
    "lowerLetter": _letter,
    "upperLetter": lambda n: _letter(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
}


@dataclass
class _Level:
    fmt: str
    text: str
    start: int


@dataclass
class _Numbering:
    """Counters for Word's automatic numbering, as Word would print them."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    starts: dict[tuple[str, int], int] = field(default_factory=dict)  # startOverride
    counters: dict[str, list[int]] = field(default_factory=dict)  # abstract id → counts

    def marker(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if counts[ilvl] == 0:
            counts[ilvl] = self.starts.get((num_id, ilvl), levels[ilvl].start)
        else:
            counts[ilvl] += 1
        level = levels[ilvl]
        if level.fmt in {"bullet", "none"}:
            return ""

        def number(m: re.Match[str]) -> str:
            lvl = int(m.group(1)) - 1
            fmt = levels[lvl].fmt if lvl in levels else "decimal"
            value = counts[lvl] or (levels[lvl].start if lvl in levels else 1)
            return NUMBER_FORMATS.get(fmt, str)(value)

        return re.sub(r"%(\d)", number, level.text)


def _load_numbering(document: Any) -> _Numbering:
    numbering = _Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return numbering
    abstracts: dict[str, dict[int, _Level]] = {}
    for abstract in root.findall(qn("w:abstractNum")):
        levels = {}
        for lvl in abstract.findall(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            text = lvl.find(qn("w:lvlText"))
            start = lvl.find(qn("w:start"))
            levels[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(
                fmt=fmt.get(qn("w:val")) if fmt is not None else "decimal",
                text=text.get(qn("w:val"), "") if text is not None else "",
                start=int(start.get(qn("w:val"), "1")) if start is not None else 1,
            )
        abstracts[abstract.get(qn("w:abstractNumId"))] = levels
    for num in root.findall(qn("w:num")):
        num_id = num.get(qn("w:numId"))
        ref = num.find(qn("w:abstractNumId"))
        if ref is None:
            continue
        numbering.levels[num_id] = abstracts.get(ref.get(qn("w:val")), {})
        for override in num.findall(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            if start is not None:
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                numbering.starts[(num_id, ilvl)] = int(start.get(qn("w:val"), "1"))
    return numbering


def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
    """(numId, ilvl) of a paragraph, from its own properties or its style chain."""
    p_pr = paragraph._p.pPr
    num_pr: Any = p_pr.numPr if p_pr is not None else None
    style = paragraph.style
    ilvl = None
    while num_pr is None and style is not None:
        s_pr = style.element.pPr
        if s_pr is not None and s_pr.numPr is not None:
            num_pr = s_pr.numPr
        style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return None
    if num_pr.ilvl is not None:
        ilvl = num_pr.ilvl.val
    num_id = str(num_pr.numId.val)
    return (num_id, int(ilvl or 0)) if num_id != "0" else None


def _heading_level(paragraph: Paragraph) -> int:
    style = paragraph.style
    while style is not None:
        m = _HEADING_STYLE.match(style.name or "")
        if m:
            return int(m.group(1))
        p_pr = style.element.pPr
        outline = p_pr.find(qn("w:outlineLvl")) if p_pr is not None else None
        if outline is not None and outline.get(qn("w:val")) not in (None, "9"):
            return int(outline.get(qn("w:val"))) + 1
        style = style.base_style
    return 0


def _bold_lead(paragraph: Paragraph) -> str:
    """The paragraph text with a bold lead-in headline wrapped in ** (Markdown convention)."""
    runs = paragraph.runs
    lead = ""
    for run in runs:
        if run.bold and run.text:
            lead += run.text
        elif run.text.strip():
            break
        else:
            lead += run.text
    text = paragraph.text
    lead = lead.strip()
    if lead and len(lead) < len(text.strip()) and text.lstrip().startswith(lead):
        rest = text.lstrip()[len(lead) :]
        return f"**{lead}**{rest}"
    return text


def _table_rows(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            cells.append(text)
        rows.append(cells)
    return rows


def read_docx(data: bytes, name: str) -> tuple[str, tuple[dict[str, Any], ...]]:
    """The text of a .docx (numbering, headings, bold leads restored) and its indicator rows."""
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(f"不是有效的 Word 文档 not a valid .docx ({exc})", where=name) from None
    except Exception as exc:  # python-docx raises several lxml and package errors
        problem = f"Word 文档已损坏 damaged .docx ({type(exc).__name__})"
        raise DocumentError(problem, where=name) from None
    numbering = _load_numbering(document)
    lines: list[str] = []
    rows: list[dict[str, Any]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            cells = _table_rows(block)
            if is_indicator_table(cells):
                rows.extend(indicator_rows(cells, first_code=len(rows) + 1))
            else:
                lines.extend(" | ".join(c for c in row if c) for row in cells)
            continue
        text = _bold_lead(block).strip()
        if not text:
            continue
        num = _num_pr(block)
        marker = numbering.marker(*num) if num else ""
        level = _heading_level(block)
        if marker:
            text = f"{marker}{'' if marker[-1] in '、.．)）' else ' '}{text}"
        lines.append(("#" * min(level, 6) + " " if level else "") + text)
    return "\n".join(lines), tuple(rows)
