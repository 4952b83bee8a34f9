"""Dependencies declared once as `Annotated` aliases, so handlers stay short.

DbDep            the Database of this app
SettingsDep      the Settings of this app
MailerDep        the Mailer the settings describe, or None (no SMTP server)
RulesDep         the warning rules (supervision.Rules) the settings give
OptionalUser     the signed-in Actor, or None
CurrentUser      the signed-in Actor (401 otherwise)
Allowed("act")   CurrentUser that the permission table lets do `act` (403 otherwise);
                 the endpoint × role tests read `.action` from it
PageDep          limit / offset query parameters
Year             a year in a query or form (interchange.FIRST_YEAR–LAST_YEAR)
Id               a row id in a path, query or body (1 up to the databases' 64-bit limit)
IfMatch          the expected version from If-Match or ?version=

Dependencies that do no I/O are `async def`: FastAPI runs them on the event loop instead of
handing each one to a worker thread (a thread hop costs more than they do).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from pydantic import Field

from luoshi.errors import Forbidden, Invalid, Unauthenticated
from luoshi.indicators.interchange import FIRST_YEAR, LAST_YEAR
from luoshi.services import accounts
from luoshi.services.mailer import Mailer
from luoshi.services.permissions import Actor, role_allows
from luoshi.services.supervision import Rules
from luoshi.settings import Settings
from luoshi.storage import Database
from luoshi.web.security import SESSION_COOKIE


async def get_db(request: Request) -> Database:
    """The app's database."""
    return request.app.state.db


async def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_mailer(settings: SettingsDep) -> Mailer | None:
    """The mailer the app's SMTP settings describe; None when there is no server."""
    return Mailer.from_settings(settings)


async def get_rules(settings: SettingsDep) -> Rules:
    """The warning rules the app's settings give."""
    return Rules.from_settings(settings)


MailerDep = Annotated[Mailer | None, Depends(get_mailer)]
RulesDep = Annotated[Rules, Depends(get_rules)]


def optional_user(request: Request, db: DbDep) -> Actor | None:
    """The signed-in actor, resolved once per request."""
    if not hasattr(request.state, "actor"):
        request.state.actor = accounts.resolve_session(db, request.cookies.get(SESSION_COOKIE))
    return request.state.actor


OptionalUser = Annotated[Actor | None, Depends(optional_user)]


async def current_user(actor: OptionalUser) -> Actor:
    """The signed-in actor; 401 when nobody is."""
    if actor is None:
        raise Unauthenticated("请先登录 please sign in")
    return actor


CurrentUser = Annotated[Actor, Depends(current_user)]


@dataclass(frozen=True)
class Requires:
    """Dependency: the signed-in actor may do `action` (role check of the permission table)."""

    action: str

    async def __call__(self, actor: CurrentUser) -> Actor:
        if not role_allows(actor.role, self.action):
            raise Forbidden(f"无权操作 not allowed: {self.action}", actor.username)
        return actor


def allowed(action: str) -> Any:
    """`actor: Annotated[Actor, allowed("plan.edit")]`: a permission-checked actor."""
    return Depends(Requires(action))


# SQLite and PostgreSQL keep integers in 64 bits; a larger one sent in a query raises
# OverflowError (a 500), so every id and offset the API reads stops there (a 422 naming it).
INT64_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=INT64_MAX)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]  # a year asked for


def whole_number(text: str) -> int | None:
    """`text` as a whole number under 64 bits, else None ("²" is a digit to isdigit(), not int)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


@dataclass(frozen=True)
class PageParams:
    """Pagination of a list endpoint."""

    limit: int
    offset: int


async def page_params(
    limit: Annotated[int, Query(ge=1, le=1000, description="每页条数 page size")] = 50,
    offset: Annotated[int, Query(ge=0, le=INT64_MAX, description="跳过条数 rows to skip")] = 0,
) -> PageParams:
    """limit / offset from the query string."""
    return PageParams(limit, offset)


PageDep = Annotated[PageParams, Depends(page_params)]


async def if_match(
    if_match: Annotated[str | None, Header(description='期望版本 expected version: "3"')] = None,
    version: Annotated[
        int | None, Query(ge=0, le=INT64_MAX, description="期望版本 expected version")
    ] = None,
) -> int:
    """The version the client edited, from If-Match (ETag) or ?version=; required."""
    if if_match is not None:
        raw = if_match.strip().removeprefix("W/").strip('"')
        # ASCII digits ("²" is a digit to isdigit() but not to int()), few enough for int()
        # and the database's 64 bits
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
            raise Invalid(f"If-Match 应为版本号 must be a version ETag, got {if_match[:40]}")
        return int(raw)
    if version is not None:
        return version
    raise Invalid("缺少版本号:请发送 If-Match 或 version version required (If-Match or ?version=)")


IfMatch = Annotated[int, Depends(if_match)]


def etag(version: int) -> str:
    """The ETag of a row at `version`."""
    return f'"{version}"'
