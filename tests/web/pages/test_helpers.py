"""Small page helpers: where a node can be split, search highlighting, safe redirects."""

from __future__ import annotations

import pytest

from luoshi.web.pages.auth import safe_next
from luoshi.web.pages.outline import split_points
from luoshi.web.pages.templating import excerpt, highlight


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("一是强化。二是提升。", [(5, "二是提升。")]),
        ("做强新材料产业;建设产业园!加快发展?", [(8, "建设产业园!加快发展?"), (14, "加快发展?")]),
        ("甲\uff1b乙\uff01丙\uff1f", [(2, "乙\uff01丙\uff1f"), (4, "丙\uff1f")]),
        ("没有句号的一句话", []),
        ("只有一句。", []),
    ],
)
def test_split_points(text: str, points: list[tuple[int, str]]) -> None:
    assert split_points(text) == points


def test_highlight_marks_the_query_and_escapes_everything_else() -> None:
    assert str(highlight("<b>新材料</b>产业", "新材料")) == (
        "&lt;b&gt;<mark>新材料</mark>&lt;/b&gt;产业"
    )
    assert str(highlight("<i>", "")) == "&lt;i&gt;"


def test_excerpt_keeps_the_text_around_the_query() -> None:
    text = "甲" * 100 + "新材料" + "乙" * 100
    cut = excerpt(text, "新材料", width=20)
    assert "新材料" in cut and cut.startswith("…") and cut.endswith("…")
    assert excerpt("短句", "短") == "短句"


@pytest.mark.parametrize(
    ("value", "target"),
    [
        ("/plans/1?year=2026", "/plans/1?year=2026"),
        ("https://evil.example", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        (None, "/"),
    ],
)
def test_safe_next(value: str | None, target: str) -> None:
    assert safe_next(value) == target
