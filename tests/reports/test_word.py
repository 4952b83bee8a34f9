"""The Word report: official-document layout, headings, indicator table and summary sentence."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from luoshi.indicators.evaluation import Evaluation
from luoshi.reports.model import KINDS, Report


@pytest.fixture(scope="module")
def doc(docx_bytes: bytes) -> Document:
    return Document(io.BytesIO(docx_bytes))


def _east_asia(style: object) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_page_is_a4_with_the_official_text_block(doc: Document) -> None:
    s = doc.sections[0]

    def mm(length: int) -> float:
        return round(length / Mm(1), 1)

    assert (mm(s.page_width), mm(s.page_height)) == (210, 297)
    assert mm(s.page_width - s.left_margin - s.right_margin) == 156
    assert mm(s.page_height - s.top_margin - s.bottom_margin) == 225
    assert (mm(s.top_margin), mm(s.left_margin)) == (37, 28)
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert round(225 / 25.4 * 72 * 20 / int(grid.get(qn("w:linePitch")))) == 22


def test_body_fits_28_characters_a_line(doc: Document) -> None:
    normal = doc.styles["Normal"]
    spacing = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    pitch = normal.font.size.pt + spacing
    assert 28 * pitch <= 156 / 25.4 * 72 < 29 * pitch
    for name in ("Title", "表格文字", "Caption"):  # larger or smaller text stays off the grid
        assert doc.styles[name].element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"


@pytest.mark.parametrize(
    ("style", "font", "size"),
    [
        ("Title", "方正小标宋简体", 22),
        ("Normal", "仿宋", 16),
        ("Heading 1", "黑体", 16),
        ("Heading 2", "楷体", 16),
    ],
)
def test_styles_name_the_customary_fonts(doc: Document, style: str, font: str, size: int) -> None:
    assert _east_asia(doc.styles[style]) == font
    assert doc.styles[style].font.size == Pt(size)


def test_headings_follow_the_kind(doc: Document, report: Report) -> None:
    k = KINDS["midterm"]
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [
        f"一、{k.overall}",
        f"二、{k.indicators}",
        f"三、{k.tasks}",
        f"四、{k.problems}",
        f"五、{k.next_steps}",
    ]
    assert doc.paragraphs[0].text == report.title
    assert doc.paragraphs[0].style.name == "Title"
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert "（三）滞后任务及原因" in h2


def test_indicator_table_rows_match_the_evaluation(
    doc: Document, evaluations: list[Evaluation]
) -> None:
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[1] == "指标（单位）" and header[6] == "评估状态" and header[7] == "说明"
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == len(evaluations)
    for cells, ev in zip(rows, evaluations, strict=True):
        assert cells[1].startswith(ev.name)
        assert cells[6] == ev.status_zh
        assert cells[7].startswith(ev.reason.rstrip("。"))
    # The header repeats on every page the table spans.
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_summary_sentence_is_in_the_indicator_section(doc: Document, report: Report) -> None:
    texts = [p.text for p in doc.paragraphs]
    start = texts.index(f"二、{report.kind.indicators}")
    assert texts[start + 1] == report.summary


def test_footer_has_page_number_field_on_odd_and_even_pages(doc: Document) -> None:
    s = doc.sections[0]
    for footer in (s.footer, s.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert "PAGE" in xml and footer.paragraphs[0].text.startswith("— ")
    assert doc.settings.odd_and_even_pages_header_footer


def test_charts_and_signature(doc: Document) -> None:
    assert len(doc.inline_shapes) >= 2  # status chart + at least one series figure
    texts = [p.text for p in doc.paragraphs]
    assert "某市发展和改革委员会" in texts and "2027年11月30日" in texts
    assert texts.index("2027年11月30日") < texts.index("附件")
