"""`luoshi serve`: run the web service (migrates the database first).

One worker runs in uvicorn itself. Several run under gunicorn's process manager with
uvicorn workers, each listening on its own socket (SO_REUSEPORT), so the kernel spreads new
connections evenly over the workers; on one shared socket the first worker to wake takes most
of them (50 connections split 42/8 in the web benchmark) and its clients wait.
"""

from __future__ import annotations

from typing import Any

import typer

from luoshi.cli import app
from luoshi.cli.db import open_database

APP = "luoshi.web.app:create_app"


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址 address to listen on"),
    port: int = typer.Option(8000, help="端口 port"),
    workers: int = typer.Option(1, min=1, help="工作进程数 worker processes (PostgreSQL for >1)"),
    proxy_headers: bool = typer.Option(
        True, help="信任反向代理的 X-Forwarded-* trust X-Forwarded-* from --forwarded-allow-ips"
    ),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        help="可信代理地址 proxies trusted for X-Forwarded-* (comma-separated, * = all)",
    ),
    access_log: bool = typer.Option(True, help="记录每个请求 log every request"),
) -> None:
    """启动网站 Serve the web UI and the JSON API (settings from LUOSHI_* variables)."""
    open_database().dispose()
    trusted = forwarded_allow_ips if proxy_headers else ""
    if workers == 1:
        import uvicorn

        uvicorn.run(
            APP,
            factory=True,
            host=host,
            port=port,
            proxy_headers=proxy_headers,
            forwarded_allow_ips=trusted,
            access_log=access_log,
            log_level="info",
        )
        return
    _gunicorn(
        bind=f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        workers=workers,
        worker_class="uvicorn_worker.UvicornWorker",
        reuse_port=True,
        forwarded_allow_ips=trusted,
        accesslog="-" if access_log else None,
        errorlog="-",
        loglevel="info",
        keepalive=5,
    )


def _gunicorn(**options: Any) -> None:
    """gunicorn with `options` as its settings (not read from its command line)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from luoshi.web.app import create_app

            return create_app()

    Server().run()
