"""Accounts (admins) and the signed-in user."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from luoshi.services import accounts
from luoshi.services.permissions import Actor
from luoshi.services.views import Page, UserView
from luoshi.web.deps import CurrentUser, DbDep, Id, IfMatch, PageDep, allowed

router = APIRouter(prefix="/users", tags=["users 账号"])


@router.get("")
def list_users(
    db: DbDep, actor: Annotated[Actor, allowed("user.manage")], page: PageDep
) -> Page[UserView]:
    """All accounts."""
    return accounts.list_users(db, actor, limit=page.limit, offset=page.offset)


@router.get("/me")
def me(db: DbDep, actor: CurrentUser) -> UserView:
    """The signed-in account."""
    assert actor.user_id is not None
    return accounts.get_user(db, actor, actor.user_id)


class UserIn(BaseModel):
    username: str
    password: str
    role: str
    display_name: str | None = None
    department_code: str | None = None


@router.post("", status_code=201)
def add_user(body: UserIn, db: DbDep, actor: Annotated[Actor, allowed("user.manage")]) -> UserView:
    """Create an account."""
    return accounts.add_user(
        db,
        actor,
        body.username,
        body.password,
        body.role,
        display_name=body.display_name,
        department_code=body.department_code,
    )


class UserChange(BaseModel):
    display_name: str | None = None
    role: str | None = None
    department_id: Id | None = None
    active: bool | None = None
    password: str | None = None


@router.patch("/{user_id}")
def update_user(
    user_id: Id,
    body: UserChange,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("user.manage")],
) -> UserView:
    """Change an account (If-Match: its version)."""
    return accounts.update_user(db, actor, user_id, version, **body.model_dump(exclude_unset=True))
