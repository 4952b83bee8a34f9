"""Session cookies and CSRF protection.

The session cookie holds a random token (HttpOnly, SameSite=Lax, Secure over HTTPS). Every
state-changing request that carries a cookie must also send the CSRF token, in the
`X-CSRF-Token` header or a `csrf_token` form field. The token is an HMAC of the session token
(or, before sign-in, of a random `luoshi_csrf` cookie this module sets), so no process keeps
any state and every worker accepts it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from http.cookies import SimpleCookie
from typing import Any

from fastapi import Request, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luoshi.errors import Forbidden
from luoshi.settings import Settings
from luoshi.web.errors import error_body

SESSION_COOKIE = "luoshi_session"
NONCE_COOKIE = "luoshi_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return {}
            return {k: m.value for k, m in jar.items()}
    return {}


def _sign(settings: Settings, basis: str) -> str:
    return hmac.new(
        settings.secret_key.encode(), f"csrf|{basis}".encode(), hashlib.sha256
    ).hexdigest()


def csrf_token(request: Request, session_token: str | None = None) -> str:
    """The CSRF token to put in forms and the X-CSRF-Token header for this client."""
    settings: Settings = request.app.state.settings
    basis = (
        session_token or request.cookies.get(SESSION_COOKIE) or request.cookies.get(NONCE_COOKIE)
    )
    basis = basis or request.scope.get("state", {}).get("csrf_nonce", "")
    return _sign(settings, basis)


async def verify_csrf(request: Request) -> None:
    """App-wide dependency: refuse a state-changing request whose CSRF token is missing or wrong."""
    if request.method in SAFE_METHODS:
        return
    basis = request.cookies.get(SESSION_COOKIE) or request.cookies.get(NONCE_COOKIE)
    if not basis:
        # No cookie means no ambient authority to abuse; sign-in demands a nonce separately.
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, _sign(request.app.state.settings, basis)):
        raise Forbidden("CSRF 校验失败,请刷新页面后重试 CSRF token missing or wrong")
    request.state.csrf_checked = True


def require_csrf_nonce(request: Request) -> None:
    """Sign-in needs a CSRF-checked request (a forged sign-in could plant another account)."""
    if not getattr(request.state, "csrf_checked", False):
        raise Forbidden("CSRF 校验失败,请刷新页面后重试 CSRF token missing or wrong")


def _secure(request: Request) -> bool:
    mode = request.app.state.settings.cookie_secure
    return mode == "always" or (mode == "auto" and request.url.scheme == "https")


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """Put the session token in an HttpOnly, SameSite=Lax cookie (Secure over HTTPS)."""
    settings: Settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/")


class CsrfNonceMiddleware:
    """Give a client without any luoshi cookie a random `luoshi_csrf` cookie (pure ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        if SESSION_COOKIE in cookies or NONCE_COOKIE in cookies:
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(24)
        scope.setdefault("state", {})["csrf_nonce"] = nonce
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = f"{NONCE_COOKIE}={nonce}; Path=/; HttpOnly; SameSite=Lax" + (
                    "; Secure" if secure else ""
                )
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"set-cookie", cookie.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class BodyLimitMiddleware:
    """Refuse a request body larger than MAX_UPLOAD_MB (plus form overhead) with 413.

    Checked on Content-Length before anything is read, and counted while reading for bodies
    sent without one, so a hostile client cannot fill the disk with a spooled upload.
    """

    OVERHEAD = 1 << 20  # multipart boundaries and form fields around the file

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes + self.OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _too_large(send, self.max_bytes)
                return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracking_send)
        except _TooLarge:
            if not started:
                await _too_large(send, self.max_bytes)


def _too_large_message(limit: int) -> str:
    return f"请求过大,上限 {limit >> 20} MB request body too large"


class _TooLarge(StarletteHTTPException):
    """The body grew past the limit while it was being read (the error handlers answer 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _too_large_message(limit))


async def _too_large(send: Send, limit: int) -> None:
    message = _too_large_message(limit)
    body = json.dumps(error_body(413, message), ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
