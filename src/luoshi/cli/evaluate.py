"""`luoshi evaluate`: judge an indicator table against observations for one year.

Thin: read the two interchange files, call luoshi.indicators.evaluate, print JSON, a Rich
table or an XLSX sheet. A bad file prints every bad cell (file, sheet, row, column) and exits
with status 2.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from luoshi.cli import app, err_console
from luoshi.cli.options import Formats, choice_option, year_option
from luoshi.cli.output import emit, emit_with
from luoshi.errors import LuoshiError, TableError

if TYPE_CHECKING:
    from luoshi.indicators import Evaluation

FORMATS = Formats({"json": (".json",), "table": (".txt",), "xlsx": (".xlsx",)})
METHODS = ["fyp", "sdg", "both"]  # luoshi.indicators.METHODS, without importing it eagerly
MAX_PROBLEMS_SHOWN = 50
WARNING_STYLE = {"green": "green", "yellow": "yellow", "red": "bold red"}
XLSX_COLUMNS = (
    ("code", "代码"),
    ("name", "指标名称"),
    ("region", "地区"),
    ("kind_zh", "目标类型"),
    ("status_zh", "评估状态"),
    ("reason", "判断依据"),
    ("time_progress", "序时进度"),
    ("achievement_progress", "完成进度"),
    ("latest_year", "最新年份"),
    ("latest_value", "最新值"),
    ("projection_value", "目标年预计值"),
    ("projection_meets", "预计能否实现"),
    ("warning", "预警"),
    ("sdg_status", "SDG方法判断"),
)


@app.command("evaluate")
def evaluate_command(
    indicators: Annotated[
        Path, typer.Option("--indicators", help="指标表 CSV/XLSX indicator table.")
    ],
    observations: Annotated[
        Path, typer.Option("--observations", help="观测值 CSV/XLSX observations (long format).")
    ],
    year: Annotated[int, year_option("--year", "评估年份 evaluation year.")],
    region: Annotated[
        str | None, typer.Option("--region", help="只评估该地区 only this region.")
    ] = None,
    method: Annotated[
        str,
        choice_option(
            ("--method",),
            METHODS,
            ("评估方法", "method"),
            "评估方法:规划序时进度、SDG 方法或两者 (fyp: plan timeline, sdg, both).",
        ),
    ] = "fyp",
    fmt: Annotated[str | None, FORMATS.option()] = None,
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="输出文件 output file.")
    ] = None,
) -> None:
    """评估指标进展 Judge every indicator against its target at YEAR."""
    fmt = FORMATS.choose(fmt, out)
    if fmt == "xlsx" and out is None:
        raise LuoshiError("xlsx 格式需要用 -o 指定输出文件 xlsx needs -o FILE", where="--format")
    from luoshi.indicators import evaluate, read_indicators, read_observations

    try:
        table = read_indicators(indicators)
        obs = read_observations(observations, table)
    except TableError as exc:
        _print_problems(exc)
        raise typer.Exit(2) from None
    results = evaluate(table, obs, year, method=method, region=region)
    if fmt == "json":
        text = json.dumps([e.to_dict() for e in results], ensure_ascii=False, indent=2)
        emit(out, (text + "\n").encode("utf-8"))
    elif fmt == "table":
        if out is None:
            Console().print(_rich_table(results, year))
        else:
            buffer = io.StringIO()
            Console(file=buffer).print(_rich_table(results, year))
            emit(out, buffer.getvalue().encode("utf-8"))
    else:
        assert out is not None  # checked above: xlsx needs -o
        emit_with(out, lambda path: _write_xlsx(results, path))


def _print_problems(exc: TableError) -> None:
    for p in exc.errors[:MAX_PROBLEMS_SHOWN]:
        err_console.print(f"[bold red]错误 error[/]: {p}", highlight=False, soft_wrap=True)
    if len(exc.errors) > MAX_PROBLEMS_SHOWN:
        rest = len(exc.errors) - MAX_PROBLEMS_SHOWN
        err_console.print(f"… 另有 {rest} 处问题 ({rest} more problems)", highlight=False)
    err_console.print("文件未被使用 nothing from this file was used.", highlight=False)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def _rich_table(results: list[Evaluation], year: int) -> Table:
    """The results as a table for any terminal width: the short columns never wrap, and the
    reason stands under the indicator's name, so at 80 columns it still gets half the line."""
    from luoshi.indicators import STATUSES

    regions = any(e.region for e in results)
    table = Table(title=f"{year}年指标评估 Indicator evaluation", show_lines=True)
    table.add_column("代码", no_wrap=True)
    table.add_column("指标 / 判断依据", overflow="fold", ratio=1)
    if regions:
        table.add_column("地区", overflow="fold", max_width=12)
    table.add_column("状态", no_wrap=True)
    table.add_column("序时", no_wrap=True, justify="right")
    table.add_column("完成", no_wrap=True, justify="right")
    table.add_column("预警", no_wrap=True)
    for e in results:
        colour = STATUSES[e.status].colour
        reason = e.reason + (f"  SDG: {e.sdg.status_zh}" if e.sdg else "")
        table.add_row(
            e.code,
            f"[bold]{escape(e.name)}[/]\n{escape(reason)}",
            *([e.region or "—"] if regions else []),
            f"[{colour}]{e.status_zh}[/]",
            _pct(e.time_progress),
            _pct(e.achievement_progress),
            f"[{WARNING_STYLE[e.warning]}]{e.warning}[/]",
        )
    return table


def _write_xlsx(results: list[Evaluation], out: Path) -> None:
    from openpyxl import Workbook

    from luoshi.indicators.interchange import xlsx_row

    book = Workbook(write_only=True)
    ws = book.create_sheet("evaluation")
    ws.append([zh for _, zh in XLSX_COLUMNS])
    for e in results:
        d = e.to_dict()
        proj = d["projection"] or {}
        d["projection_value"] = proj.get("value")
        meets = proj.get("meets_target")
        d["projection_meets"] = "" if meets is None else ("是" if meets else "否")
        d["sdg_status"] = e.sdg.status_zh if e.sdg else ""
        ws.append(xlsx_row(ws, [d.get(k) for k, _ in XLSX_COLUMNS]))
    book.save(out)
