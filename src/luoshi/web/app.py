"""The FastAPI application factory: `create_app(settings)`.

No state lives in the process: sessions and the sign-in rate limit are rows in the database,
CSRF tokens are HMACs, so any number of workers can serve one PostgreSQL database. Results a
worker keeps (the overview, the outline and indicator-table JSON) are keyed by a stamp of
their data read on every request, so a change through any worker shows at once everywhere.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from luoshi import __version__
from luoshi.indicators import load_kernels
from luoshi.settings import Settings, get_settings
from luoshi.storage import Database
from luoshi.storage.db import request_scope
from luoshi.web import errors
from luoshi.web.api import PREFIX as API_PREFIX
from luoshi.web.api import router as api_router
from luoshi.web.pages import install as install_pages
from luoshi.web.security import BodyLimitMiddleware, CsrfNonceMiddleware, verify_csrf

DESCRIPTION = """落实 luoshi 的 JSON 接口 (JSON API of luoshi).

登录 Sign in: `GET /api/v1/auth/session` 取 `csrf_token`,再 `POST /api/v1/auth/login`。
每个修改请求都要带 `X-CSRF-Token` 头;更新要带 `If-Match: "版本号"`,版本过期返回 409。
Every error has the shape `{"ok": false, "error": ..., "errors": [...], "status": N}`.
"""


# Threads that run the sync handlers of one worker process (anyio's default is 40). Each
# database call releases Python's lock and waits to take it back, so 40 threads of short
# queries queue behind each other; under 50 concurrent clients 8 threads served the overview
# page about 3x faster, with a p99 5x lower (BENCHMARKS.md, web).
HANDLER_THREADS = 8


class RequestScopeMiddleware:
    """Each HTTP request reads the data revision once (storage.db.request_scope)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with request_scope():
            await self.app(scope, receive, send)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = HANDLER_THREADS
    # What the worker has loaded so far (modules, data, app, the compiled indicator passes)
    # lives as long as the worker: keep it out of the collector's full passes, which otherwise
    # walk ~300,000 objects and pause every request in flight for 60-140 ms (the p99 of
    # BENCHMARKS.md, web).
    load_kernels()
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()  # an app that stops (tests start many) leaves its objects collectable


def create_app(
    settings: Settings | None = None, db: Database | None = None, *, pages: bool = True
) -> FastAPI:
    """A luoshi web app on `settings` (default: the environment); `pages=False`: API only."""
    settings = settings or get_settings()
    app = FastAPI(
        title="luoshi 落实",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        dependencies=[Depends(verify_csrf)],
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.db = db or Database(settings.resolved_database_url())
    errors.install(app)
    app.add_middleware(CsrfNonceMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_mb << 20)
    app.add_middleware(RequestScopeMiddleware)
    app.include_router(api_router, prefix=API_PREFIX)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        """Liveness: answers without touching the database (also the benchmark baseline)."""
        return JSONResponse({"ok": True})

    if pages:
        install_pages(app)
    return app
