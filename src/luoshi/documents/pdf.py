"""PDF → one text per page, from the PDF's text layer (PDFium via pypdfium2).

Government PDFs are printed from Word, so the text layer is there; a scanned PDF has none and
gets a clear message asking for the original document (luoshi does no OCR). Running headers,
page numbers and hard line breaks are removed afterwards by layout.join_pages.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from luoshi.errors import DocumentError

# Fewer text characters per page than this means a scan (no text layer).
MIN_CHARS_PER_PAGE = 20


def read_pdf(data: bytes, name: str) -> list[str]:
    """The text of each page of a PDF; DocumentError for damaged, locked or scanned files."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            problem = "PDF 已加密,请提供未加密的文件 PDF is encrypted"
            raise DocumentError(problem, where=name) from None
        raise DocumentError(f"PDF 文件已损坏 damaged PDF ({message})", where=name) from None
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            try:
                pages.append(textpage.get_text_range())
            finally:
                textpage.close()
                page.close()
    finally:
        pdf.close()
    chars = sum(len(p.strip()) for p in pages)
    if not pages or chars < MIN_CHARS_PER_PAGE * len(pages):
        raise DocumentError(
            f"PDF 没有文字层(可能是扫描件,共 {len(pages)} 页),请提供 Word 或带文字的 PDF "
            "scanned PDF without a text layer",
            where=name,
        )
    return pages
