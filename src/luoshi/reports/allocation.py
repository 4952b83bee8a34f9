"""The standard task allocation table (任务分工方案) as .xlsx and .docx.

Planning offices circulate one table to every department: 序号, 重点任务, 具体举措, 牵头单位,
配合单位, 完成时限 (`COLUMNS`). Several lead units are written 、-separated, the first one
leading; measures under one 重点任务 share one merged cell. The .xlsx adds a second sheet
with the reason for each suggestion, so a reviewer sees why a unit was proposed; the .docx is
the table as it is printed and sent out (A4 landscape, header row repeated on every page,
fonts named as GB/T 9704 documents use them).

The builders take `AllocationRow`s, so the CLI and the web UI produce the same table.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Row
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from luoshi.reports.fonts import LATIN_FONT, ROLES

# (header, width in characters for .xlsx, share of the page width in .docx, centred)
COLUMNS: tuple[tuple[str, int, float, bool], ...] = (
    ("序号", 6, 0.05, True),
    ("重点任务", 24, 0.17, False),
    ("具体举措", 60, 0.43, False),
    ("牵头单位", 18, 0.12, False),
    ("配合单位", 26, 0.15, False),
    ("完成时限", 12, 0.08, True),
)
REASON_SHEET = "建议理由"
DEFAULT_TITLE = "重点任务分工方案"


@dataclass(frozen=True)
class AllocationRow:
    """One row of the table; `reason` goes to the reasons sheet, not the printed table."""

    number: int
    key_task: str
    measure: str
    lead: tuple[str, ...]
    cooperate: tuple[str, ...]
    deadline: str = ""
    reason: str = ""

    def cells(self) -> tuple[str, ...]:
        """The six printed cells."""
        return (
            str(self.number),
            self.key_task,
            self.measure,
            "、".join(self.lead),
            "、".join(self.cooperate),
            self.deadline,
        )


def allocation_xlsx(rows: Sequence[AllocationRow], title: str = DEFAULT_TITLE) -> bytes:
    """The table as .xlsx bytes: the table sheet, then the reasons sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "任务分工"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([name for name, *_ in COLUMNS])
    for row in rows:
        sheet.append([row.number, *(cell or None for cell in row.cells()[1:])])
    for i, (_, width, *_) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    for r, line in enumerate(sheet.iter_rows(min_row=2), start=2):
        for cell in line:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="center" if r == 2 else "top")
            if r == 2:
                cell.font = Font(bold=True)
    for first, last in key_task_runs(rows):  # one 重点任务 cell over its measures
        sheet.merge_cells(start_row=first + 3, start_column=2, end_row=last + 3, end_column=2)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    reasons = book.create_sheet(REASON_SHEET)
    reasons.append(["序号", "具体举措", "建议理由"])
    for row in rows:
        reasons.append([row.number, row.measure, row.reason])
    for column, width in zip("ABC", (6, 60, 80), strict=True):
        reasons.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def allocation_docx(rows: Sequence[AllocationRow], title: str = DEFAULT_TITLE) -> bytes:
    """The table as .docx bytes, A4 landscape, header row repeated on every page."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    doc.core_properties.title = title
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, title, ROLES["title"].customary, Pt(18))
    table = doc.add_table(rows=1 + len(rows), cols=len(COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    text_width = 297 - 40
    for i, line in enumerate(table.rows):
        values = [name for name, *_ in COLUMNS] if i == 0 else rows[i - 1].cells()
        cells = zip(line.cells, values, COLUMNS, strict=True)
        for j, (cell, value, (_, _, share, centred)) in enumerate(cells):
            cell.width = Mm(text_width * share)
            paragraph = cell.paragraphs[0]
            if i == 0 or centred:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if i > 1 and j == 1 and _continues(rows, i - 1):
                continue  # the merged 重点任务 cell above already shows it
            role = "heading1" if i == 0 else "table"
            _run(paragraph, value, ROLES[role].customary, Pt(10.5))
    for first, last in key_task_runs(rows):
        table.cell(first + 1, 1).merge(table.cell(last + 1, 1))
    _repeat_header(table.rows[0])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def key_task_runs(rows: Sequence[AllocationRow]) -> list[tuple[int, int]]:
    """(first, last) indexes of runs of two or more rows under the same 重点任务."""
    runs, first = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i].key_task != rows[first].key_task:
            if i - first > 1 and rows[first].key_task:
                runs.append((first, i - 1))
            first = i
    return runs


def _continues(rows: Sequence[AllocationRow], index: int) -> bool:
    """Whether row `index` stands under the same 重点任务 as the row above."""
    return bool(rows[index].key_task) and rows[index].key_task == rows[index - 1].key_task


def _run(paragraph: Paragraph, text: str, east_asia: str, size: Pt) -> None:
    """A run in the given Chinese font (named for Word/WPS) with Latin text in LATIN_FONT."""
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.name = LATIN_FONT
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _repeat_header(row: _Row) -> None:
    """Repeat the header row on every page and never split a row across pages."""
    properties = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)
