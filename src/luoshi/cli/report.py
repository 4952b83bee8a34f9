"""`luoshi report`: write an annual monitoring, mid-term or final evaluation report to a file.

With --indicators and --observations the indicator part is built straight from METHOD.md
interchange files, with no database. With --plan the plan's indicators, observations, tasks and
progress reports come from the database (luoshi.services.reporting), with the narrative
sections the planner saved in the web UI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import yaml

from luoshi.cli import app
from luoshi.cli.options import Formats, choice_option, year_option
from luoshi.cli.output import emit
from luoshi.errors import Invalid
from luoshi.reports import render, report_from_tables
from luoshi.reports.model import KINDS, NARRATIVE_KEYS
from luoshi.reports.task_table import read_tasks

# The formats luoshi.reports renders (its FORMATS), with their file extensions.
FORMATS = Formats({"docx": (".docx",), "pdf": (".pdf",), "html": (".html", ".htm")})


def read_narrative(path: Path) -> dict[str, list[str]]:
    """Planner-written sections from YAML: {overall|problems|next_steps: text or [paragraphs]}."""
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise Invalid(f"无法读取叙述文件（YAML，UTF-8）: {exc}", where=where) from exc
    if not isinstance(data, dict):
        raise Invalid(f"应为以 {', '.join(NARRATIVE_KEYS)} 为键的映射", where=where)
    out: dict[str, list[str]] = {}
    for key, value in data.items():
        if key not in NARRATIVE_KEYS:
            raise Invalid(f"未知章节 {key!r}，可编辑: {', '.join(NARRATIVE_KEYS)}", where=where)
        if isinstance(value, str):
            out[key] = [p.strip() for p in value.split("\n") if p.strip()]
        elif isinstance(value, list) and all(isinstance(p, str) for p in value):
            out[key] = list(value)
        else:
            raise Invalid(f"章节 {key} 应为文字或文字列表", where=where)
    return out


@app.command("report")
def report_command(
    output: Annotated[Path, typer.Option("-o", "--output", help="输出文件 Output file.")],
    year: Annotated[int, year_option("--year", "评估年份 evaluation year.")],
    kind: Annotated[
        str,
        choice_option(
            ("--kind",),
            list(KINDS),
            ("报告类型", "kind"),
            "报告类型 kind: annual 年度监测, midterm 中期评估, final 总结评估.",
        ),
    ] = "midterm",
    fmt: Annotated[str | None, FORMATS.option()] = None,
    plan: Annotated[int | None, typer.Option("--plan", help="数据库中的规划编号 Plan id.")] = None,
    indicators: Annotated[
        Path | None, typer.Option("--indicators", help="指标表 CSV/XLSX indicator table.")
    ] = None,
    observations: Annotated[
        Path | None, typer.Option("--observations", help="观测值 CSV/XLSX observations.")
    ] = None,
    tasks: Annotated[
        Path | None,
        typer.Option(
            "--tasks", help="任务台账 CSV/XLSX: 任务, 进展, 重点领域, 牵头单位 … (task ledger)."
        ),
    ] = None,
    region: Annotated[str | None, typer.Option("--region", help="地区 Region.")] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="规划名称(标题用) Plan name in the title.")
    ] = None,
    issuer: Annotated[str, typer.Option("--issuer", help="落款单位 Issuer.")] = "",
    narrative: Annotated[
        Path | None,
        typer.Option("--narrative", help="叙述章节 YAML: overall / problems / next_steps."),
    ] = None,
) -> None:
    """生成规划实施监测/评估报告 Write an evaluation report (Word, PDF or HTML)."""
    fmt = FORMATS.choose(fmt, output)
    edits = read_narrative(narrative) if narrative else None
    if plan is not None:
        if indicators or observations or tasks:
            raise Invalid(
                "--plan 与 --indicators/--observations/--tasks 只能选其一", where="--plan"
            )
        from luoshi.cli.db import open_database
        from luoshi.services import SYSTEM, reporting

        db = open_database()
        try:
            data = reporting.render_plan_report(
                db,
                SYSTEM,
                plan,
                year,
                kind,
                fmt,
                narrative=edits,
                issuer=issuer,
                region=region or "",
            )
        finally:
            db.dispose()
    else:
        if not (indicators and observations):
            raise Invalid("需要 --plan，或同时提供 --indicators 和 --observations", where="report")
        report = report_from_tables(
            indicators,
            observations,
            year,
            kind,
            plan=name,
            region=region,
            issuer=issuer,
            narrative=edits,
            tasks=read_tasks(tasks) if tasks else None,
        )
        data = render(report, fmt)
    emit(output, data)
