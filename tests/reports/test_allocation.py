"""The standard allocation table: the six columns planning offices use, in .xlsx and .docx."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from luoshi.reports.allocation import AllocationRow, allocation_docx, allocation_xlsx

HEADER = ["序号", "重点任务", "具体举措", "牵头单位", "配合单位", "完成时限"]
ROWS = [
    AllocationRow(
        1,
        "打好污染防治攻坚战",
        "打好碧水保卫战。",
        ("市生态环境局",),
        ("市水利局", "市住房城乡建设局"),
        "2027年底前",
        "牵头 市生态环境局:匹配“水污染防治”",
    ),
    AllocationRow(
        2,
        "扩大有效投资",
        "强化要素保障。",
        ("市发展改革委", "市财政局"),
        (),
        "持续推进",
        "牵头 市发展改革委",
    ),
]


def test_row_cells_join_units_with_the_enumeration_comma() -> None:
    assert ROWS[0].cells() == (
        "1",
        "打好污染防治攻坚战",
        "打好碧水保卫战。",
        "市生态环境局",
        "市水利局、市住房城乡建设局",
        "2027年底前",
    )
    assert ROWS[1].cells()[3:5] == ("市发展改革委、市财政局", "")


def test_xlsx_has_title_header_rows_and_reasons() -> None:
    book = load_workbook(io.BytesIO(allocation_xlsx(ROWS, "某市任务分工方案")))
    sheet = book["任务分工"]
    assert sheet["A1"].value == "某市任务分工方案"
    assert [c.value for c in sheet[2]] == HEADER
    assert [c.value for c in sheet[4]] == [
        2,
        "扩大有效投资",
        "强化要素保障。",
        "市发展改革委、市财政局",
        None,
        "持续推进",
    ]
    assert sheet.freeze_panes == "A3"
    assert sheet.page_setup.orientation == "landscape"
    reasons = book["建议理由"]
    assert [c.value for c in reasons[2]] == [1, "打好碧水保卫战。", ROWS[0].reason]


def test_docx_is_landscape_with_a_repeated_header_row() -> None:
    document = Document(io.BytesIO(allocation_docx(ROWS, "某市任务分工方案")))
    assert document.paragraphs[0].text == "某市任务分工方案"
    section = document.sections[0]
    assert section.page_width > section.page_height
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADER
    assert [c.text for c in table.rows[2].cells] == list(ROWS[1].cells())
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    east_asia = table.rows[1].cells[2].paragraphs[0].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia"))
    assert east_asia == "仿宋"


def test_empty_table_still_has_its_header() -> None:
    document = Document(io.BytesIO(allocation_docx([])))
    assert [c.text for c in document.tables[0].rows[0].cells] == HEADER
    assert [
        c.value for c in load_workbook(io.BytesIO(allocation_xlsx([])))["任务分工"][2]
    ] == HEADER


def test_rows_under_one_key_task_share_one_merged_cell() -> None:
    keys = ["甲", "甲", "乙", "", "", "丙", "丙", "丙"]
    rows = [AllocationRow(i + 1, k, f"举措{i}", ("市财政局",), ()) for i, k in enumerate(keys)]
    merged = {
        str(r)
        for r in load_workbook(io.BytesIO(allocation_xlsx(rows)))["任务分工"].merged_cells.ranges
    }
    assert merged == {"A1:F1", "B3:B4", "B8:B10"}
    table = Document(io.BytesIO(allocation_docx(rows))).tables[0]
    assert [r.cells[1].text for r in table.rows[1:]] == keys
    assert table.rows[1].cells[1]._tc is table.rows[2].cells[1]._tc
