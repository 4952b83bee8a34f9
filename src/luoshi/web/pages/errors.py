"""Errors on page paths as HTML: sign-in redirect, a readable error page, or an htmx fragment.

A page never shows the API's technical line: a request that failed validation names the bad
field in words (a form field by its label, a query parameter by its name), an address that
does not exist (or whose path does not parse) is "page not found", and an HTTP error without
a message of its own gets a short one, all in the interface language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from luoshi.services.permissions import Actor
from luoshi.web.deps import optional_user
from luoshi.web.i18n import catalog, translate
from luoshi.web.pages.templating import language_of, render

# At most this many bad fields are named; the rest are counted.
NAMED_FIELDS = 3


def login_redirect(request: Request) -> RedirectResponse:
    """Send the browser to the sign-in page, coming back here afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def _field(language: str, loc: Sequence[Any]) -> str:
    """A bad field in words: a form field by its label, anything else by its name."""
    names = [str(part) for part in loc[1:] if isinstance(part, str)]
    name = names[-1] if names else ""
    if loc and loc[0] == "body":
        label = catalog(language).get(f"errors.field.{name}") or name
        return translate(language, "errors.form_field", label=label)
    return translate(language, "errors.query_field", name=name)


def _problem(language: str, error: Mapping[str, Any]) -> str:
    """One validation error as a sentence."""
    kind = str(error.get("type", ""))
    loc = list(error.get("loc", ()))
    if kind == "missing" and loc[1:] == ["file"]:
        return translate(language, "errors.missing_file")
    if kind == "missing":
        key = "errors.missing"
    elif kind.startswith("int_"):
        key = "errors.int"
    elif kind.startswith(("float_", "decimal_")):
        key = "errors.number"
    elif kind.startswith("bool_"):
        key = "errors.bool"
    elif kind.startswith(("date", "datetime")):
        key = "errors.date"
    else:
        key = "errors.invalid"
    return translate(language, key, field=_field(language, loc))


def page_error(
    language: str, status: int, message: str, invalid: Sequence[Mapping[str, Any]] = ()
) -> tuple[int, str]:
    """The status and the short message a person sees for an error on a page path."""
    if invalid:
        if any(list(e.get("loc", ()))[:1] == ["path"] for e in invalid):
            return 404, translate(language, "errors.not_found")
        problems = list(dict.fromkeys(_problem(language, e) for e in invalid))
        text = " ".join(problems[:NAMED_FIELDS])
        if len(problems) > NAMED_FIELDS:
            text += translate(language, "errors.more", n=len(problems) - NAMED_FIELDS)
        return status, text
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = None
    if message == phrase or not message:  # no message of its own (e.g. a route not found)
        key = {404: "errors.not_found", 405: "errors.not_allowed"}.get(status, "errors.failed")
        return status, translate(language, key)
    return status, message


def render_error(
    request: Request, status: int, message: str, invalid: Sequence[Mapping[str, Any]] = ()
) -> Response:
    """The HTML answer to an error on a page path (registered on app.state)."""
    if status == 401 and request.method == "GET" and "hx-request" not in request.headers:
        return login_redirect(request)
    status, message = page_error(language_of(request), status, message, invalid)
    actor = _signed_in(request)
    if "hx-request" in request.headers:
        # Shown in the page's message area whatever element the request targeted.
        fragment = f'<div class="flash error" role="alert">{_escape(message)}</div>'
        return HTMLResponse(
            fragment,
            status_code=status,
            headers={"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"},
        )
    return render(
        request,
        "pages/error.html",
        title_key="errors.title",
        actor=actor,
        status_code=status,
        status=status,
        message=message,
    )


def _signed_in(request: Request) -> Actor | None:
    """Who is signed in, also for an address no route matched (no dependency ran there), so
    the error page keeps the menu; None when the database itself is what failed."""
    try:
        return optional_user(request, request.app.state.db)
    except SQLAlchemyError:
        return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
