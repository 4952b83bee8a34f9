"""Sign-in, sign-out and the current session (with its CSRF token)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from luoshi.services import accounts
from luoshi.services.permissions import Actor
from luoshi.web.deps import DbDep, OptionalUser, SettingsDep
from luoshi.web.security import (
    SESSION_COOKIE,
    clear_session_cookie,
    csrf_token,
    require_csrf_nonce,
    set_session_cookie,
)

router = APIRouter(prefix="/auth", tags=["auth 登录"])


class Credentials(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    user: Actor | None
    csrf_token: str


@router.get("/session")
def session(request: Request, actor: OptionalUser) -> SessionOut:
    """Who is signed in, and the CSRF token to send with changes."""
    return SessionOut(user=actor, csrf_token=csrf_token(request))


@router.post("/login", dependencies=[Depends(require_csrf_nonce)])
def login(
    request: Request, response: Response, body: Credentials, db: DbDep, settings: SettingsDep
) -> SessionOut:
    """Sign in with username and password; sets the session cookie."""
    client = request.client.host if request.client else ""
    token, actor = accounts.login(db, settings, body.username, body.password, client)
    set_session_cookie(request, response, token)
    return SessionOut(user=actor, csrf_token=csrf_token(request, session_token=token))


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, db: DbDep) -> None:
    """Sign out (ends the session in the database)."""
    accounts.logout(db, request.cookies.get(SESSION_COOKIE))
    clear_session_cookie(response)
