"""One error shape for every API error, pinned by a test.

    {"ok": false, "error": "<one line for a person>", "errors": [...], "status": N}

`errors` lists every bad cell of a table (file, sheet, row, column, message) or every bad
field of a request (loc, message). Pages may register an HTML renderer for non-API paths
(`app.state.html_error_renderer(request, status, message, invalid) -> Response`, where
`invalid` is the list of pydantic errors of a request that failed validation, else empty), so
a page can name a bad field in words rather than show the API's technical line.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from luoshi.errors import (
    ConfigError,
    DocumentError,
    LuoshiError,
    MethodError,
    ServiceError,
    TableError,
)

API_PREFIX = "/api/"

# Status of the errors that are not ServiceErrors.
STATUS: tuple[tuple[type[LuoshiError], int], ...] = (
    (TableError, 422),
    (DocumentError, 422),
    (MethodError, 422),
    (ConfigError, 500),
)


def status_of(exc: LuoshiError) -> int:
    """The HTTP status for a luoshi error."""
    if isinstance(exc, ServiceError):
        return exc.status
    return next((code for cls, code in STATUS if isinstance(exc, cls)), 400)


def error_body(status: int, message: str, errors: list[Any] | None = None) -> dict[str, Any]:
    """The JSON body of an API error."""
    return {"ok": False, "error": message, "errors": errors or [], "status": status}


def _respond(
    request: Request,
    status: int,
    message: str,
    errors: list[Any],
    invalid: list[Any] | None = None,
) -> Response:
    renderer = getattr(request.app.state, "html_error_renderer", None)
    if renderer is not None and not request.url.path.startswith(API_PREFIX):
        return renderer(request, status, message, invalid or [])
    headers = {"WWW-Authenticate": 'Cookie realm="luoshi"'} if status == 401 else None
    return JSONResponse(error_body(status, message, errors), status_code=status, headers=headers)


async def _luoshi_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LuoshiError)
    errors: list[Any] = []
    if isinstance(exc, TableError):
        errors = [
            {
                "file": p.file,
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "message": p.message,
            }
            for p in exc.errors
        ]
    return _respond(request, status_of(exc), str(exc), errors)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(x) for x in e.get("loc", ())], "message": e.get("msg", "")}
        for e in exc.errors()
    ]
    first = errors[0] if errors else {"loc": [], "message": ""}
    message = f"请求无效 invalid request: {'.'.join(first['loc'])}: {first['message']}"
    return _respond(request, 422, message, errors, list(exc.errors()))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    response = _respond(request, exc.status_code, str(exc.detail), [])
    for key, value in (exc.headers or {}).items():
        response.headers.setdefault(key, value)
    return response


def install(app: FastAPI) -> None:
    """Register the handlers that give every error its one shape."""
    app.add_exception_handler(LuoshiError, _luoshi_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
