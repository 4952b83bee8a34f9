"""The sample speech outlines as tests/data/seed_outline.json says (issue 3 acceptance)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luoshi.documents import Outline, parse_file, parse_text

GOLD = json.loads((Path(__file__).parents[1] / "data" / "seed_outline.json").read_text("utf-8"))
SAMPLE = (
    Path(__file__).parents[2] / "src" / "luoshi" / "data" / "samples" / "city-15th-fyp-speech.txt"
)


@pytest.fixture(scope="module")
def outline() -> Outline:
    return parse_file(SAMPLE)


def _gold_measures() -> list[str]:
    return [
        measure
        for part in GOLD["parts"]
        for section in part["sections"]
        for item in section.get("items", [])
        for measure in item.get("measures", [])
    ]


def _prefix_match(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def test_parts_sections_and_items_have_the_gold_titles(outline: Outline) -> None:
    parts = outline.children
    assert [(p.marker, p.title) for p in parts] == [
        (p["marker"], p["title"]) for p in GOLD["parts"]
    ]
    assert parts[0].implicit and parts[0].title is None
    assert sum(1 for p in parts if p.title) == GOLD["counts"]["parts_with_heading"]
    for part, gold_part in zip(parts, GOLD["parts"], strict=True):
        sections = [c for c in part.children if c.kind == "section"]
        assert [(s.marker, s.title) for s in sections] == [
            (s["marker"], s["title"]) for s in gold_part["sections"]
        ]
        for section, gold_section in zip(sections, gold_part["sections"], strict=True):
            items = [c for c in section.children if c.kind == "item"]
            assert [(i.marker, i.title) for i in items] == [
                (i["marker"], i["title"]) for i in gold_section["items"]
            ]
    counts = outline.counts()
    assert counts["section"] == GOLD["counts"]["sections"]
    assert counts["item"] == GOLD["counts"]["items"]


def test_measures_are_found_with_high_recall_and_precision(outline: Outline) -> None:
    gold = _gold_measures()
    found = [m.title or "" for _, m in outline.measures()]
    recall = sum(any(_prefix_match(g, f) for f in found) for g in gold) / len(gold)
    precision = sum(any(_prefix_match(g, f) for g in gold) for f in found) / len(found)
    print(f"\nmeasures: gold {len(gold)}, found {len(found)}")
    print(f"recall (gold found, prefix match): {recall:.1%}")
    print(f"precision (found in gold): {precision:.1%}")
    assert recall >= 0.90
    assert precision >= 0.85


def test_ids_are_paths_and_spans_cut_the_node_text(outline: Outline) -> None:
    text = SAMPLE.read_text("utf-8")
    ids = [n.id for n in outline.walk()]
    assert len(ids) == len(set(ids))
    item = outline.find("2.1.3")
    assert item is not None and item.title == "推动数字经济与实体经济深度融合,赋能产业焕新升级"
    for node in outline.walk():
        start, end = node.span
        assert text[start:end] == node.text
        for child in node.children:
            assert child.id.startswith(node.id + ".")
            assert start <= child.span[0] <= child.span[1] <= end


def test_the_comparative_target_of_the_gold_is_found(outline: Outline) -> None:
    gold = GOLD["comparative_targets"][0]
    targets = [t for _, t in outline.targets() if t.kind == "rate_above"]
    assert any(gold["text"] in ("保持" + t.text) or gold["text"].endswith(t.text) for t in targets)
    target = next(t for t in targets if "全国平均水平" in t.text)
    assert target.benchmark == gold["benchmark"]
    assert target.subject == "经济增速"


def test_outline_json_reads_back_to_the_same_outline(outline: Outline) -> None:
    data = json.loads(json.dumps(outline.to_dict(), ensure_ascii=False))
    assert data["schema"] == "luoshi.outline/1"
    again = Outline.from_dict(data)
    assert again.to_dict() == outline.to_dict()


def test_a_copy_with_full_width_punctuation_outlines_the_same(outline: Outline) -> None:
    widen = str.maketrans({",": "，", ";": "；", "(": "（", ")": "）", ":": "："})
    copy = parse_text(SAMPLE.read_text("utf-8").translate(widen))
    assert copy.counts() == outline.counts()
    assert [n.title for n in copy.walk()] == [
        n.title.translate(widen) if n.title else None for n in outline.walk()
    ]
