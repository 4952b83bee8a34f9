"""Document intake: a policy document (bytes) → text → plan outline with targets.

This room is pure: no database, no web. Other rooms call only the names below.

    read_document(path) -> SourceText        .txt/.md/.html (any common Chinese encoding),
                                             .docx, .pdf with a text layer; DocumentError
                                             names the file and the problem
    read_bytes(data, name, suffix=".txt") -> SourceText    the same for an upload in memory
    parse_file(path, progress=None) -> Outline
    parse_bytes(data, name, progress=None) -> Outline
    parse_text(text, source="<text>") -> Outline
    parse_source(source, progress=None) -> Outline
    to_simplified(text) -> str               traditional → simplified, same offsets

    Outline   .children, .walk(), .measures() -> (path, measure), .targets(), .find(id),
              .indicators (rows of the METHOD.md §3 indicators table found in .docx tables),
              .to_dict() (schema "luoshi.outline/1", docs/outline-schema.md), .from_dict()
    Node      id ("2.1.3"), kind, marker, title, text, span, targets, children, implicit
    Target    text, kind (METHOD.md §1), value, value_high, unit, year, comparison, subject,
              benchmark, binding, span

`progress(done, total)` is called with character counts while a long document is outlined.
The numbering ladder (ladder.LADDER), target patterns (targets.TARGET_PATTERNS) and layout
patterns are module-level tables, described in docs/documents.md.
"""

from __future__ import annotations

from pathlib import Path

from luoshi.documents.chinese import to_simplified
from luoshi.documents.layout import clean
from luoshi.documents.model import SCHEMA, Node, Outline, SourceText, Target
from luoshi.documents.outline import Progress, build_outline
from luoshi.documents.reading import read_bytes, read_document

__all__ = [
    "SCHEMA",
    "Node",
    "Outline",
    "Progress",
    "SourceText",
    "Target",
    "parse_bytes",
    "parse_file",
    "parse_source",
    "parse_text",
    "read_bytes",
    "read_document",
    "to_simplified",
]


def parse_source(source: SourceText, progress: Progress | None = None) -> Outline:
    """The outline of an already decoded document."""
    return build_outline(source, progress)


def parse_file(path: str | Path, progress: Progress | None = None) -> Outline:
    """Read a document file and return its outline."""
    return build_outline(read_document(path), progress)


def parse_bytes(data: bytes, name: str, progress: Progress | None = None) -> Outline:
    """Outline a document held in memory (an upload); `name` appears in messages."""
    suffix = Path(name).suffix.lower() or ".txt"
    return build_outline(read_bytes(data, name, suffix=suffix), progress)


def parse_text(text: str, source: str = "<text>") -> Outline:
    """Outline a text already in memory (plain text or pasted PDF text)."""
    cleaned = clean(text)
    simplified = to_simplified(cleaned)
    return build_outline(
        SourceText(
            text=cleaned,
            source=source,
            format="text",
            simplified=simplified,
            traditional=cleaned != simplified,
        )
    )
