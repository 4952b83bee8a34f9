"""The HTML report: well-formed sections, tables and embedded charts for the web UI."""

from __future__ import annotations

from dataclasses import replace

import pytest
import tinyhtml5

from luoshi.indicators.evaluation import Evaluation
from luoshi.reports.model import NARRATIVE_KEYS, Report
from luoshi.reports.render_html import render_html

NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def root(html_text: str):
    return tinyhtml5.parse(html_text)


def _text(el) -> str:
    return "".join(el.itertext())


def test_sections_headings_and_editable_narrative(root, report: Report) -> None:
    sections = root.findall(f".//{NS}section")
    assert [s.get("id") for s in sections] == [
        "overall",
        "indicators",
        "tasks",
        "problems",
        "next_steps",
        "appendix",
    ]
    editable = [s.get("data-editable") for s in sections if s.get("data-editable")]
    assert editable == list(NARRATIVE_KEYS)
    assert _text(root.find(f".//{NS}h1")) == report.title


def test_indicator_table_rows(root, evaluations: list[Evaluation]) -> None:
    table = root.find(f".//{NS}section[@id='indicators']//{NS}table")
    rows = table.findall(f"./{NS}tbody/{NS}tr")
    assert len(rows) == len(evaluations)
    for tr, ev in zip(rows, evaluations, strict=True):
        cells = [_text(td) for td in tr.findall(f"{NS}td")]
        assert cells[1].startswith(ev.name) and cells[6] == ev.status_zh
        assert tr.get("data-status") == ev.status  # coloured by status on screen


def test_charts_are_embedded(root) -> None:
    images = root.findall(f".//{NS}img")
    assert images and all(i.get("src").startswith("data:image/png;base64,") for i in images)


def test_text_is_escaped(report: Report) -> None:
    hostile = replace(report, narrative={**report.narrative, "overall": ["<script>x</script>"]})
    html = render_html(hostile, standalone=False)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.lstrip().startswith("<article")
