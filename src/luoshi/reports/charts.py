"""Report charts: status counts by goal, and each indicator's series against its target path.

Drawn with matplotlib's object API (no pyplot global state, safe in a web worker) in an open
CJK sans font, as PNG (150 dpi) for every format: Word needs raster images, and PNG renders
several times faster than SVG with text as outlines.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from luoshi.indicators.rules import statuses
from luoshi.reports.fonts import open_families, require_open_fonts
from luoshi.reports.model import IndicatorRow, Report

OTHER_COLOR = "#bababa"

PER_FIGURE = 9  # indicator panels per figure: 3 x 3 leaves room for the caption on A4
COLUMNS = 3
DPI = 150
MM = 1 / 25.4  # inches per millimetre


@dataclass(frozen=True)
class Chart:
    """One rendered chart with its caption."""

    caption: str
    data: bytes
    width_mm: float
    height_mm: float

    mime = "image/png"


def _colour(status: str) -> str:
    """The status colour of the indicator rules (statuses.csv); grey when unknown."""
    found = statuses().get(status)
    return found.colour if found else OTHER_COLOR


def _render(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _cjk() -> AbstractContextManager[None]:
    """matplotlib settings for one chart: the open CJK sans font, 8 pt."""
    return matplotlib.rc_context(
        {
            "font.family": list(open_families("heading1")),
            "font.size": 8,
            "axes.unicode_minus": False,  # CJK fonts lack U+2212
        }
    )


def status_by_goal(report: Report) -> Chart:
    """Stacked horizontal bars: how many indicators of each goal have each status."""
    require_open_fonts()
    goals = [g for g in report.goal_counts if any(c.count for c in g.counts)]
    statuses = [s for s in report.status_counts if s.count]
    width, height = 150.0, 20.0 + 9.0 * max(len(goals), 1)
    with _cjk():
        fig = Figure(figsize=(width * MM, height * MM), layout="constrained")
        ax = fig.add_subplot()
        left = [0] * len(goals)
        names = [g.goal for g in goals]
        for s in statuses:
            counts = [next((c.count for c in g.counts if c.status == s.status), 0) for g in goals]
            bars = ax.barh(
                names,
                counts,
                left=left,
                label=s.label,
                color=_colour(s.status),
                height=0.6,
            )
            ax.bar_label(
                bars,
                labels=[str(c) if c else "" for c in counts],
                label_type="center",
                fontsize=7,
                color="white",
            )
            left = [a + b for a, b in zip(left, counts, strict=True)]
        ax.invert_yaxis()
        ax.set_xlabel("指标数（项）")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=max(len(statuses), 1),
            frameon=False,
            fontsize=7,
        )
        data = _render(fig)
    return Chart("图1 各目标主要指标评估状态", data, width, height)


# How each series of an indicator panel is drawn (the legend shows the same styles); the
# observed series of the plan period takes the status colour.
STYLES: dict[str, tuple[str, dict[str, Any]]] = {
    "target_path": ("目标路径", {"linestyle": "--", "color": "#555555", "linewidth": 1}),
    "history": ("基期及以前", {"marker": "o", "markersize": 2, "color": "#999999", "linewidth": 1}),
    "series": (
        "规划期实际值",
        {"marker": "o", "markersize": 3, "color": "#555555", "linewidth": 1.5},
    ),
}


def _panel(ax: Axes, row: IndicatorRow) -> None:
    for key, (_label, style) in STYLES.items():
        points = getattr(row, key)
        if not points:
            continue
        if key == "series":
            style = {**style, "color": _colour(row.status)}
        elif key == "target_path" and len(points) == 1:  # a one-year benchmark needs a mark
            style = {**style, "marker": "x", "markersize": 3}
        ax.plot([p.year for p in points], [p.value for p in points], **style)
    if not row.series:
        ax.text(
            0.5,
            0.5,
            "规划期暂无数据",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color="#777777",
        )
    name = row.name if len(row.name) <= 14 else row.name[:13] + "…"
    ax.set_title(f"{name}\n{row.status_zh}", fontsize=7.5, color="#222222", loc="left")
    ax.set_ylabel(row.series_label, fontsize=6.5)
    ax.tick_params(labelsize=6)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)


def indicator_series(report: Report) -> Iterator[Chart]:
    """Small multiples, one panel per indicator: observed series and target path (dashed)."""
    require_open_fonts()
    rows = [r for r in report.indicators if r.series or r.target_path]
    for start in range(0, len(rows), PER_FIGURE):
        chunk = rows[start : start + PER_FIGURE]
        nrows = -(-len(chunk) // COLUMNS)
        width, height = 150.0, 8.0 + 48.0 * nrows
        with _cjk():
            # Fixed margins: constrained layout would double the drawing time of a figure.
            fig = Figure(figsize=(width * MM, height * MM))
            fig.subplots_adjust(
                left=0.08,
                right=0.98,
                top=1 - 9 / height,
                bottom=14 / height,
                hspace=0.75,
                wspace=0.42,
            )
            axes = fig.subplots(nrows, COLUMNS, squeeze=False).ravel()
            for ax, row in zip(axes, chunk, strict=False):
                _panel(ax, row)
            for ax in axes[len(chunk) :]:
                ax.set_visible(False)
            legend = [Line2D([], [], label=label, **style) for label, style in STYLES.values()]
            fig.legend(handles=legend, loc="lower center", ncols=3, frameon=False, fontsize=7)
            data = _render(fig)
        first, last = start + 1, start + len(chunk)
        yield Chart(
            f"图{2 + start // PER_FIGURE} 主要指标实际值与目标路径（第{first}—{last}项）",
            data,
            width,
            height,
        )


def all_charts(report: Report) -> list[Chart]:
    """Every chart of a report, in the order the report shows them."""
    if not report.indicators:
        return []
    return [status_by_goal(report), *indicator_series(report)]
