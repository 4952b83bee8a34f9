"""`luoshi import plan|indicators|observations FILE`: each file is one transaction.

A file with any bad row stores nothing; every bad row is printed with its place.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from luoshi.cli import app, err_console
from luoshi.cli.db import open_database
from luoshi.cli.options import file_argument, year_option
from luoshi.cli.progress import progress_bar
from luoshi.errors import TableError

if TYPE_CHECKING:
    from luoshi.services.views import ImportResult
    from luoshi.storage import Database

import_app = typer.Typer(
    help="导入 Import a plan, an indicator table or observations.", no_args_is_help=True
)
app.add_typer(import_app, name="import")

FileArg = Annotated[Path, file_argument("文件 file")]


def _report(result: ImportResult) -> None:
    parts = [f"新增 created {k} {v}" for k, v in result.created.items() if v]
    parts += [f"更新 updated {k} {v}" for k, v in result.updated.items() if v]
    if n := result.other_plans:
        parts.append(f"改名也见于其他 {n} 个规划 renamed indicators also show in {n} other plan(s)")
    plan = f"规划 plan {result.plan_id}: " if result.plan_id else ""
    typer.echo(f"{result.source}: {plan}{'; '.join(parts) or '无变化 nothing changed'}")


def _run(call: Callable[[Database], ImportResult]) -> None:
    db = open_database()
    try:
        _report(call(db))
    except TableError as exc:
        for problem in exc.errors:
            err_console.print(f"[red]✗[/] {problem}", highlight=False, soft_wrap=True)
        err_console.print(
            f"[bold red]错误 error[/]: {len(exc.errors)} 处问题,未导入任何数据 "
            f"{len(exc.errors)} problem(s), nothing stored",
            highlight=False,
        )
        sys.exit(2)
    finally:
        db.dispose()


@import_app.command("plan")
def import_plan(
    file: FileArg,
    title: str | None = typer.Option(None, help="规划名称 plan title (default: from the file)"),
    start_year: Annotated[
        int | None, year_option("--start-year", "起始年 first year, e.g. 2026")
    ] = None,
    end_year: Annotated[
        int | None, year_option("--end-year", "终止年 last year, e.g. 2030")
    ] = None,
) -> None:
    """导入规划文件 Import a document (.txt/.docx/.pdf/.md) as a new draft plan."""
    extra: dict[str, Any] = {"start_year": start_year, "end_year": end_year}
    if title:
        extra["title"] = title
    from luoshi.services import SYSTEM, plans

    _run(lambda db: plans.import_plan_file(db, SYSTEM, file, **extra))


@import_app.command("indicators")
def import_indicators(
    file: FileArg,
    plan: int = typer.Option(..., "--plan", help="规划编号 plan id"),
) -> None:
    """导入指标表 Import an indicator table (CSV/XLSX) into a plan."""
    from luoshi.services import SYSTEM, indicators

    _run(lambda db: indicators.import_indicators(db, SYSTEM, plan, file))


@import_app.command("observations")
def import_observations(
    file: FileArg,
    plan: int | None = typer.Option(None, "--plan", help="规划编号 plan id (annual targets)"),
) -> None:
    """导入观测值 Import observations (CSV/XLSX); changed values keep their old value."""
    from luoshi.services import SYSTEM, indicators

    with progress_bar("写入 storing", file.name) as report:
        _run(
            lambda db: indicators.import_observations(
                db, SYSTEM, file, plan_id=plan, progress=report
            )
        )
