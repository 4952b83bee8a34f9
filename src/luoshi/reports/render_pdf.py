"""Render a report as PDF: the HTML report with its print stylesheet, typeset by WeasyPrint.

WeasyPrint embeds subsets of the open CJK fonts found through fontconfig (Noto Serif CJK for
仿宋/宋体, Noto Sans CJK for 黑体, AR PL UKai for 楷体 when installed); a missing required
font stops the export with a message naming it, instead of a PDF full of empty boxes.
"""

from __future__ import annotations

from luoshi.reports.fonts import require_open_fonts
from luoshi.reports.model import Report
from luoshi.reports.render_html import render_html


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes (A4, GB/T 9704-2012 layout, CJK fonts embedded)."""
    require_open_fonts()
    import weasyprint  # heavy import (Pango through cffi): only when a PDF is asked for

    html = render_html(report, standalone=True, customary_fonts=False)
    return weasyprint.HTML(string=html).write_pdf() or b""
