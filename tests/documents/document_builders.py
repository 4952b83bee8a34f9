"""Documents the intake tests write themselves: .docx with Word numbering, PDFs, encodings.

Nothing here is a stored binary: every file is built in the test's tmp_path from the text
below, with python-docx and reportlab, so a reader can see exactly what the parser is given.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

SAMPLE = (
    Path(__file__).parents[2] / "src" / "luoshi" / "data" / "samples" / "city-15th-fyp-speech.txt"
)

# A short plan in the layout of a 纲要, used in several formats.
PLAN_TEXT = """\
某市国民经济和社会发展第十五个五年规划纲要
第一章 发展环境
“十四五”时期,全市经济总量迈上新台阶。
第二章 建设现代化产业体系
第一节 推进新型工业化
做强先进制造业。实施制造业重点产业链高质量发展行动,到2030年制造业增加值占地区生产总值比重达到32%。
培育新兴产业。发展集成电路、生物医药、新能源等产业。
第二节 发展现代服务业
一、推动生产性服务业向专业化延伸
(一)发展现代金融。
(二)发展现代物流。
二、推动生活性服务业向高品质升级
第三章 增进民生福祉
居民人均可支配收入增长与经济增长基本同步,城镇调查失业率控制在5.5%以内。
单位地区生产总值能耗累计降低13.5%(约束性)。
"""

NUMBERING_ID = "77"
# Word's own numbering for three levels: 一、 / (一) / 1.
NUMBERING_LEVELS = (("chineseCounting", "%1、"), ("chineseCounting", "(%2)"), ("decimal", "%3."))


def _add_numbering(document: docx.document.Document) -> None:
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(NUMBERING_LEVELS)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUMBERING_ID}">{levels}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{NUMBERING_ID}">'
            f'<w:abstractNumId w:val="{NUMBERING_ID}"/></w:num>'
        )
    )


def _numbered(document: docx.document.Document, text: str, level: int, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = int(NUMBERING_ID)
    return paragraph


def write_docx(path: Path) -> Path:
    """A .docx whose markers all come from Word numbering, with a bold lead and two tables."""
    document = docx.Document()
    _add_numbering(document)
    document.add_heading("某市“十五五”规划纲要(摘要)", level=0)
    _numbered(document, "主要目标", 0, style="Heading 1")
    document.add_paragraph("到2030年,全市地区生产总值年均增长6%左右,常住人口城镇化率达到65%。")
    table = document.add_table(rows=4, cols=7)
    header = ["类别", "指标", "单位", "2025年", "2030年", "年均/累计", "属性"]
    body = [
        ["经济发展", "地区生产总值增长", "%", "5.5", "", ">5", "预期性"],
        ["绿色生态", "单位地区生产总值能耗降低", "%", "", "", "[13.5]", "约束性"],
        ["民生福祉", "常住人口城镇化率", "%", "61.2", "65", "", "预期性"],
    ]
    for r, row in enumerate([header, *body]):
        for c, value in enumerate(row):
            table.rows[r].cells[c].text = value
    _numbered(document, "重点任务", 0, style="Heading 1")
    _numbered(document, "建设现代化产业体系", 1)
    for lead, rest in (
        ("做强先进制造业", "。实施重点产业链高质量发展行动。"),
        ("培育新兴产业", "。发展集成电路、生物医药等产业。"),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(lead).bold = True
        paragraph.add_run(rest)
    _numbered(document, "扩大有效投资", 1)
    _numbered(document, "聚焦关键领域投入。", 2)
    _numbered(document, "强化要素保障。", 2)
    other = document.add_table(rows=2, cols=2)
    other.rows[0].cells[0].text = "项目"
    other.rows[0].cells[1].text = "地点"
    other.rows[1].cells[0].text = "地铁三号线"
    other.rows[1].cells[1].text = "浑南区"
    document.save(str(path))
    return path


_FONT = "STSong-Light"


def write_pdf(path: Path, pages: list[list[str]], header: str | None = "某市人民政府文件") -> Path:
    """A PDF with a real text layer (CID font), a running header and page numbers."""
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    pdf = canvas.Canvas(str(path))
    for number, lines in enumerate(pages, 1):
        pdf.setFont(_FONT, 11)
        if header:
            pdf.drawString(72, 800, header)
        y = 770
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 16
        pdf.drawString(290, 40, f"- {number} -")
        pdf.showPage()
    pdf.save()
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF with pictures only (what a scanner produces): no text layer."""
    pdf = canvas.Canvas(str(path))
    for _ in range(2):
        pdf.rect(60, 60, 400, 600, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def wrap(text: str, width: int) -> list[str]:
    """Cut text into printed lines `width` CJK characters wide, as a PDF or a mail client does."""
    lines = []
    for paragraph in text.splitlines():
        line, used = "", 0
        for ch in paragraph:
            w = 1 if ch.isascii() else 2
            if used + w > 2 * width:
                lines.append(line)
                line, used = "", 0
            line += ch
            used += w
        if line:
            lines.append(line)
    return lines
