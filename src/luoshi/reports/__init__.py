"""Evaluation reports: annual monitoring (年度监测), mid-term (中期评估) and final (总结评估).

    rows = evaluate_rows(indicators, observations, year)          # luoshi.reports.evaluated
    report = build_report("midterm", plan, year, rows, status_table(), tasks)  # .compose
    data = render(report, "docx" | "pdf" | "html")

`report_from_tables` does all three from interchange files, with no database. The Word, PDF
and HTML renderers lay out the same blocks (luoshi.reports.layout) from the same model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from luoshi.errors import Invalid
from luoshi.reports.compose import build_report
from luoshi.reports.model import KINDS, Report, TaskRecord

Format = Literal["docx", "pdf", "html"]
FORMATS: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def render(report: Report, fmt: str) -> bytes:
    """The report in one format (docx, pdf or html) as bytes."""
    if fmt == "docx":
        from luoshi.reports.render_word import render_docx

        return render_docx(report)
    if fmt == "pdf":
        from luoshi.reports.render_pdf import render_pdf

        return render_pdf(report)
    if fmt == "html":
        from luoshi.reports.render_html import render_html

        return render_html(report).encode("utf-8")
    raise Invalid(f"未知格式 {fmt!r}，应为 docx、pdf 或 html （unknown format）", where="format")


def plan_name(target_years: Iterable[int]) -> str:
    """A default plan name from the target year: 2030 → 国民经济和社会发展第十五个五年规划纲要."""
    years = set(target_years)
    if len(years) == 1:
        (year,) = years
        number = (year - 1955) / 5  # the 1st FYP ran 1953–1957
        if number.is_integer() and 1 <= number <= 30:
            return f"国民经济和社会发展第{_chinese_number(int(number))}个五年规划纲要"
    return "规划纲要"


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (
        digits[ones] if ones else ""
    )


def report_from_tables(
    indicators_path: str | Path,
    observations_path: str | Path,
    year: int,
    kind: str = "midterm",
    *,
    plan: str | None = None,
    region: str | None = None,
    issuer: str = "",
    on: date | None = None,
    narrative: Mapping[str, Sequence[str]] | None = None,
    tasks: Iterable[TaskRecord] | None = None,
) -> Report:
    """Read METHOD.md interchange files, evaluate `year` and compose the report."""
    from luoshi.indicators.interchange import read_indicators, read_observations
    from luoshi.reports.evaluated import evaluate_rows, status_table

    if kind not in KINDS:
        raise Invalid(f"未知报告类型 {kind!r}，应为 {'/'.join(KINDS)}", where="kind")
    indicators = read_indicators(indicators_path)
    observations = read_observations(observations_path, indicators)
    rows = evaluate_rows(indicators, observations, year, region)
    name = plan or plan_name(i.target_year for i in indicators)
    return build_report(kind, name, year, rows, status_table(), tasks, issuer, on, narrative)


__all__ = [
    "FORMATS",
    "KINDS",
    "Report",
    "build_report",
    "plan_name",
    "render",
    "report_from_tables",
]
