"""Sign-in, sign-out and the interface language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from luoshi.errors import RateLimited, Unauthenticated
from luoshi.services import accounts
from luoshi.web.deps import DbDep, OptionalUser, SettingsDep
from luoshi.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from luoshi.web.pages.templating import render
from luoshi.web.security import (
    SESSION_COOKIE,
    clear_session_cookie,
    require_csrf_nonce,
    set_session_cookie,
)

router = APIRouter()


def safe_next(value: str | None) -> str:
    """A local path to return to; anything else (another site, //host) becomes "/"."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


@router.get("/login")
def login_page(request: Request, actor: OptionalUser, next: str = "/") -> Response:
    """The sign-in form (signed-in users go straight on)."""
    if actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(
        request,
        "pages/login.html",
        title_key="auth.login",
        next_url=safe_next(next),
        username="",
        error="",
    )


@router.post("/login", dependencies=[Depends(require_csrf_nonce)])
def login(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password, set the session cookie and go on."""
    client = request.client.host if request.client else ""
    try:
        token, _ = accounts.login(db, settings, username.strip(), password, client)
    except (Unauthenticated, RateLimited) as exc:
        key = "auth.rate_limited" if isinstance(exc, RateLimited) else "auth.failed"
        return render(
            request,
            "pages/login.html",
            title_key="auth.login",
            status_code=exc.status,
            next_url=safe_next(next),
            username=username,
            error_key=key,
        )
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, token)
    return response


@router.post("/logout")
def logout(request: Request, db: DbDep) -> Response:
    """End the session and return to the sign-in page."""
    accounts.logout(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/lang/{language}")
def switch_language(language: str, next: str = "/") -> Response:
    """Keep the chosen interface language in a cookie and go back."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="lax", path="/"
        )
    return response
