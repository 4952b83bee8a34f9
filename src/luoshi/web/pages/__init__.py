"""Server-rendered pages (Jinja2 + htmx): one router module per page, mounted by `install`.

Pages are thin like the API: parse the form or query, call one service, render a template.
Errors on page paths become HTML pages (or, for htmx requests, a message fragment swapped
into the page's message area) through `app.state.html_error_renderer`.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from luoshi.web.pages import (
    alignment,
    audit,
    auth,
    errors,
    imports,
    indicators,
    outline,
    overview,
    public,
    regions,
    reports,
    supervision,
    tasks,
)
from luoshi.web.pages.templating import STATIC_DIR

# One router module per page; the page × role tests read their routes from this tuple.
MODULES = (
    auth,
    overview,
    outline,
    indicators,
    imports,
    tasks,
    audit,
    public,
    alignment,
    regions,
    supervision,
    reports,
)


def install(app: FastAPI) -> None:
    """Add the pages, their static files and their HTML error pages to `app`."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Each page router straight on the app: one level of routers less to walk per request.
    for module in MODULES:
        app.include_router(module.router, include_in_schema=False)
    app.state.html_error_renderer = errors.render_error
