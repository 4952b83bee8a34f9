"""Render a report as a Word document laid out like a Chinese official document.

GB/T 9704-2012 (党政机关公文格式): A4, text block 156 × 225 mm (top margin 37 mm, left 28 mm),
title in 2号 (22 pt) 小标宋, body in 3号 (16 pt) 仿宋 on a grid of 22 lines × 28 characters,
first-level headings (一、) in 黑体, second-level headings ((一)) in 楷体, page numbers in 4号
as "— 1 —" 7 mm below the text block, right on odd pages and left on even pages. The fonts are
named in the document (eastAsia) so Word and WPS use them where installed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from luoshi.reports.charts import all_charts
from luoshi.reports.compose import run_in_heading
from luoshi.reports.fonts import LATIN_FONT, ROLES
from luoshi.reports.layout import (
    APPENDIX,
    APPENDIX_TITLE,
    SIGNED_AFTER,
    Figure,
    Section,
    Sub,
    Table,
    sections,
)
from luoshi.reports.model import Report

# GB/T 9704-2012 §5.2.1–5.2.2, §7.5: page, text block and type sizes.
PAGE_W, PAGE_H = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
FOOTER_DISTANCE = Mm(23)  # puts the page number about 7 mm below the text block
LINE_PITCH = Pt(225 / 25.4 * 72 / 22)  # 22 lines in 225 mm ≈ 28.95 pt
CHARS_PER_LINE = 28
# Character spacing in twentieths of a point: 28 × (16 − 0.25) pt = 441 pt ≤ 156 mm (442.2 pt).
CHAR_SPACING_TWIPS = -5
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = Pt(22), Pt(16), Pt(14)
TABLE_SIZE, SMALL_TABLE_SIZE = Pt(10.5), Pt(9)  # 五号, 小五

STYLE_TITLE, STYLE_H1, STYLE_H2 = "Title", "Heading 1", "Heading 2"
STYLE_TABLE, STYLE_SMALL_TABLE, STYLE_CAPTION = "表格文字", "表格文字（小）", "Caption"


def _fonts(element: Any, east_asia: str) -> None:
    """Name the eastAsia font and Times New Roman for Latin text on a style or run."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)


def _off_grid(style: ParagraphStyle) -> None:
    """Keep a style off the document grid (titles, tables, captions are not 3号 text)."""
    for props in (style.element.get_or_add_pPr(), style.element.get_or_add_rPr()):
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        props.append(snap)


def _defaults(doc: DocxDocument) -> None:
    """Document defaults of 3号 仿宋: Word measures the character grid from this size."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(round(BODY_SIZE.pt * 2)))
    rfonts = rpr.find(qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), ROLES["body"].customary)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")


def _style(
    doc: DocxDocument, name: str, role: str, size: Pt, base: str | None = "Normal"
) -> ParagraphStyle:
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
    if base and name != base:
        style.base_style = styles[base]
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element, ROLES[role].customary)
    pf = style.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_PITCH
    return style


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = FOOTER_DISTANCE
    # Line grid of 22 lines; 28 characters a line come from a slightly tightened character
    # spacing (a character grid is measured differently by Word and LibreOffice).
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    grid.attrib.pop(qn("w:charSpace"), None)

    _defaults(doc)
    normal = _style(doc, "Normal", "body", BODY_SIZE, base=None)
    normal.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    normal.element.get_or_add_rPr().append(spacing)
    title = _style(doc, STYLE_TITLE, "title", TITLE_SIZE)
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(35)
    title.paragraph_format.space_after = LINE_PITCH
    _off_grid(title)
    ppr = title.element.find(qn("w:pPr"))
    if ppr is not None and ppr.find(qn("w:pBdr")) is not None:
        ppr.remove(ppr.find(qn("w:pBdr")))  # the default template underlines titles
    for name, role in ((STYLE_H1, "heading1"), (STYLE_H2, "heading2")):
        h = _style(doc, name, role, BODY_SIZE)
        h.paragraph_format.keep_with_next = True
        h.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
    table = _style(doc, STYLE_TABLE, "table", TABLE_SIZE)
    table.paragraph_format.first_line_indent = Pt(0)
    table.paragraph_format.line_spacing = Pt(15)
    table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _off_grid(table)
    small = _style(doc, STYLE_SMALL_TABLE, "table", SMALL_TABLE_SIZE, base=STYLE_TABLE)
    small.paragraph_format.line_spacing = Pt(13)
    caption = _style(doc, STYLE_CAPTION, "heading1", Pt(14))
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    _off_grid(caption)
    _page_numbers(doc)


def _page_field(paragraph: Paragraph) -> None:
    """Append "— PAGE —" as a Word field, in 4号 宋体."""

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = PAGE_NUMBER_SIZE
        _fonts(r._r, "宋体")
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
    run(" —")


def _page_numbers(doc: DocxDocument) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        p.style = doc.styles[STYLE_TABLE]
        p.alignment = align
        # 单页码居右空一字,双页码居左空一字 (GB/T 9704-2012 §7.5)
        indent = Pt(PAGE_NUMBER_SIZE.pt)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = indent
        else:
            p.paragraph_format.left_indent = indent
        _page_field(p)


def _paragraph(doc: DocxDocument, text: str) -> None:
    heading, rest = run_in_heading(text)
    p = doc.add_paragraph()
    if heading:
        _fonts(p.add_run(heading)._r, ROLES["heading2"].customary)
    p.add_run(rest)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    cant = OxmlElement("w:cantSplit")
    trpr.append(cant)


def _table(doc: DocxDocument, table: Table) -> None:
    doc.add_paragraph(table.caption, style=STYLE_CAPTION)
    t = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    total = sum(c.width for c in table.columns)
    widths = [Mm(156 * c.width / total) for c in table.columns]
    for column, width in zip(t.columns, widths, strict=True):
        column.width = width  # the grid LibreOffice and WPS lay out by
    style = doc.styles[STYLE_SMALL_TABLE if table.small else STYLE_TABLE]
    for i, row in enumerate(t.rows):
        values: Sequence[str] = [c.label for c in table.columns] if i == 0 else table.rows[i - 1]
        for cell, value, width, col in zip(row.cells, values, widths, table.columns, strict=True):
            cell.width = width
            p = cell.paragraphs[0]
            p.style = style
            if i == 0 or col.numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = p.add_run(value)
            if i == 0:
                _fonts(r._r, ROLES["heading1"].customary)
    _repeat_header(t.rows[0])
    doc.add_paragraph()


def _signature(doc: DocxDocument, report: Report) -> None:
    if not report.issuer:
        return
    doc.paragraphs[
        -1
    ].paragraph_format.keep_with_next = True  # never a page with only the signature
    for text in (report.issuer, _chinese_date(report.date)):
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)
        p.paragraph_format.keep_with_next = True


def _appendix_start(doc: DocxDocument, section: Section) -> None:
    doc.add_page_break()
    p = doc.add_paragraph(section.heading)
    p.paragraph_format.first_line_indent = Pt(0)
    _fonts(p.runs[0]._r, ROLES["heading1"].customary)
    doc.add_paragraph(APPENDIX_TITLE, style=STYLE_TITLE)


def render_docx(report: Report) -> bytes:
    """The report as .docx bytes."""
    doc = Document()
    _setup(doc)
    doc.core_properties.title = report.title
    doc.core_properties.author = report.issuer or "luoshi"
    doc.add_paragraph(report.title, style=STYLE_TITLE)
    charts = {c.caption: c for c in all_charts(report)}
    for section in sections(report, charts):
        if section.key == APPENDIX:
            _appendix_start(doc, section)
        else:
            doc.add_paragraph(section.heading, style=STYLE_H1)
        for block in section.blocks:
            if isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Sub):
                doc.add_paragraph(block.text, style=STYLE_H2)
            elif isinstance(block, Figure):
                chart = charts[block.caption]
                p = doc.add_paragraph(style=STYLE_CAPTION)
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                p.add_run().add_picture(io.BytesIO(chart.data), width=Mm(chart.width_mm))
                doc.add_paragraph(chart.caption, style=STYLE_CAPTION)
            elif section.key != APPENDIX:
                _paragraph(doc, block)
        if section.key == SIGNED_AFTER:
            _signature(doc, report)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _chinese_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"
