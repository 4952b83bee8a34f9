"""`luoshi demo` (what `make run` calls): a fresh demo database, then the web service."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console

from luoshi.cli import app
from luoshi.cli.db import database_problems
from luoshi.settings import get_settings


@app.command()
def demo(
    port: int = typer.Option(8000, help="端口 port"),
    serve: bool = typer.Option(True, help="装好后启动网站 serve after loading"),
) -> None:
    """演示 Load the sample plan into a fresh SQLite database and serve it."""
    import uvicorn

    from luoshi.indicators import statuses
    from luoshi.services import SYSTEM, dashboard
    from luoshi.services.demo import DEMO_PASSWORD, load_demo
    from luoshi.storage import Database, upgrade

    settings = get_settings()
    path = (Path(settings.data_dir) / "demo.sqlite3").resolve()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    console = Console()
    with console.status("正在载入示例数据 loading the demo data…"):
        with database_problems(url, "LUOSHI_DATA_DIR"):
            db = Database(url)
            upgrade(db)
        summary = load_demo(db)
        # Judged once here, so the compiled indicator passes are built (and cached on disk)
        # before the first visitor opens the overview.
        view = dashboard.overview(db, SYSTEM, summary.plan_id)
    db.dispose()
    console.print(
        f"示例规划 demo plan {summary.plan_id}: {summary.nodes} 个大纲节点 nodes, "
        f"{summary.indicators} 个指标 indicators, {summary.observations} 个观测值 observations "
        f"(示例数据 illustrative), {summary.tasks} 项任务分工 task assignments."
    )
    labels = statuses()
    console.print(
        f"{view.year} 年评估 evaluated: "
        + ", ".join(f"{labels[code].zh} {n}" for code, n in view.counts.items() if n)
    )
    console.print(f"数据库 database: {path}")
    console.print(
        f"\n登录 Sign in at [bold]http://127.0.0.1:{port}/[/] (密码 password: {DEMO_PASSWORD})"
    )
    for username, role, label in summary.accounts:
        console.print(f"  {username:<12} {role:<11} {label}")
    if not serve:
        return
    os.environ["LUOSHI_DATABASE_URL"] = url
    get_settings.cache_clear()
    uvicorn.run("luoshi.web.app:create_app", factory=True, host="127.0.0.1", port=port)
