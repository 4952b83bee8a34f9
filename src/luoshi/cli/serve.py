"""`luoshi serve`: run the web service (migrates the database first)."""

from __future__ import annotations

import typer

from luoshi.cli import app
from luoshi.cli.db import open_database


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址 address to listen on"),
    port: int = typer.Option(8000, help="端口 port"),
    workers: int = typer.Option(1, min=1, help="工作进程数 worker processes (PostgreSQL for >1)"),
    proxy_headers: bool = typer.Option(
        True, help="信任反向代理的 X-Forwarded-* trust X-Forwarded-* from --forwarded-allow-ips"
    ),
) -> None:
    """启动网站 Serve the web UI and the JSON API (settings from LUOSHI_* variables)."""
    import uvicorn

    open_database().dispose()
    uvicorn.run(
        "luoshi.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=proxy_headers,
        log_level="info",
    )
