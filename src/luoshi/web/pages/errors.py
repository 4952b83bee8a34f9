"""Errors on page paths as HTML: sign-in redirect, a readable error page, or an htmx fragment."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from luoshi.web.pages.templating import render


def login_redirect(request: Request) -> RedirectResponse:
    """Send the browser to the sign-in page, coming back here afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def render_error(request: Request, status: int, message: str) -> Response:
    """The HTML answer to an error on a page path (registered on app.state)."""
    if status == 401 and request.method == "GET" and "hx-request" not in request.headers:
        return login_redirect(request)
    actor = getattr(request.state, "actor", None)
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


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
