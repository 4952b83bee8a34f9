"""The rule tables and the JSON fields are all described in docs/ (a missing row fails)."""

from __future__ import annotations

from pathlib import Path

from luoshi.documents import parse_text
from luoshi.documents.ladder import LADDER
from luoshi.documents.layout import PAGE_NUMBER_PATTERNS
from luoshi.documents.targets import TARGET_PATTERNS

DOCS = Path(__file__).parents[2] / "docs"
GUIDE = (DOCS / "documents.md").read_text("utf-8")
SCHEMA = (DOCS / "outline-schema.md").read_text("utf-8")


def test_every_ladder_rung_and_target_row_is_in_the_guide() -> None:
    for rung in LADDER:
        assert (
            f"| `{rung.key}` | {rung.label} | {rung.example} | {rung.kind} | {rung.rank} |" in GUIDE
        )
    for row in TARGET_PATTERNS:
        assert f"| `{row.key}` | {row.kind} | {row.example} |" in GUIDE
    assert "PAGE_NUMBER_PATTERNS" in GUIDE and len(PAGE_NUMBER_PATTERNS) == 4


def test_every_json_field_is_in_the_schema_page() -> None:
    outline = parse_text("一、主要目标\n(一)稳定增长。地区生产总值年均增长6%左右。\n二、任务\n")
    data = outline.to_dict()
    node = data["children"][0]["children"][0]
    fields = set(data) | set(node) | set(node["targets"][0]) | {"implicit"}
    for field in fields:
        assert f"| `{field}` |" in SCHEMA, field
