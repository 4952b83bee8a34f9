"""Render a report as HTML: a page for the web UI and a download, and the source of the PDF.

One Jinja2 template (templates/report.html.j2) and one stylesheet whose print rules give the
GB/T 9704-2012 page; charts are embedded as data URIs so the file stands alone.
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from luoshi.indicators.rules import statuses
from luoshi.reports.charts import Chart, all_charts
from luoshi.reports.compose import run_in_heading
from luoshi.reports.fonts import ROLES, css_stack
from luoshi.reports.layout import APPENDIX, SIGNED_AFTER, Figure, Sub, Table, sections
from luoshi.reports.model import NARRATIVE_KEYS, Report

# Page numbers use a serif (宋体 in the customary setting).
PAGE_NUMBER_ROLE = "body"


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("luoshi.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=False,
    )


def stylesheet(customary_fonts: bool = True) -> str:
    """The report CSS; without customary fonts it names only installed open fonts (for PDF)."""
    fonts = {role: css_stack(role, customary_fonts) for role in ROLES}
    fonts["page"] = css_stack(PAGE_NUMBER_ROLE, customary_fonts)
    colours = {s.code: s.colour for s in statuses().values()}
    return _env().get_template("report.css.j2").render(fonts=fonts, status_colours=colours)


def _blocks(report: Report, charts: dict[str, Chart]) -> list[dict[str, Any]]:
    out = []
    for section in sections(report, charts):
        blocks: list[tuple[str, object, object]] = []
        for block in section.blocks:
            if isinstance(block, Table):
                blocks.append(("table", block, sum(c.width for c in block.columns)))
            elif isinstance(block, Sub):
                blocks.append(("sub", block.text, None))
            elif isinstance(block, Figure):
                chart = charts[block.caption]
                blocks.append(("figure", chart, base64.b64encode(chart.data).decode("ascii")))
            else:
                blocks.append(("p", *run_in_heading(block)))
        out.append({"key": section.key, "heading": section.heading, "blocks": blocks})
    return out


def render_html(
    report: Report,
    standalone: bool = True,
    customary_fonts: bool = True,
) -> str:
    """The report as an HTML document, or as an <article> fragment when not standalone."""
    charts = {c.caption: c for c in all_charts(report)}
    y, m, d = (int(x) for x in report.date.split("-"))
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            report=report,
            sections=_blocks(report, charts),
            editable=NARRATIVE_KEYS,
            appendix=APPENDIX,
            signed_after=SIGNED_AFTER,
            standalone=standalone,
            css=stylesheet(customary_fonts) if standalone else "",
            date_zh=f"{y}年{m}月{d}日",
        )
    )
