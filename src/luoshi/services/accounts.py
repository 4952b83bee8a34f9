"""Accounts, sign-in and sessions.

Passwords are argon2 hashes. A session is a random token: the client keeps the token, the
database keeps its SHA-256, so any worker process can check it and a stolen database cannot
be replayed. Failed sign-ins are rows too, so the rate limit holds across processes.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, func, select

from luoshi.errors import Invalid, RateLimited, Unauthenticated
from luoshi.services.audit import record, record_added, snapshot
from luoshi.services.permissions import ROLE_NAMES, SYSTEM, Actor, check
from luoshi.services.transactions import check_version, get_or_404, reading, writing
from luoshi.services.views import Page, UserView
from luoshi.settings import Settings
from luoshi.storage import Database
from luoshi.storage.db import with_revision
from luoshi.storage.models import Department, LoginAttempt, User, WebSession

_hasher = PasswordHasher()
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    """An argon2 hash of `password`."""
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.role, user.department_id, user.display_name)


def _validate(role: str, password: str | None, department_id: int | None) -> None:
    if role not in ROLE_NAMES:
        raise Invalid(f"未知角色 unknown role: {role}(可选 {', '.join(ROLE_NAMES)})")
    if password is not None and len(password) < MIN_PASSWORD:
        raise Invalid(f"密码至少{MIN_PASSWORD}位 password needs {MIN_PASSWORD}+ characters")
    if role == "reporter" and department_id is None:
        raise Invalid("部门联络员必须属于一个部门 a reporter needs a department")


def add_user(
    db: Database,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    *,
    display_name: str | None = None,
    department_code: str | None = None,
) -> UserView:
    """Create an account; reporters need a department (by code)."""
    check(actor, "user.manage")
    username = username.strip()
    if not username:
        raise Invalid("用户名不能为空 username is empty")
    with writing(db) as s:
        department_id = None
        if department_code:
            department_id = s.scalar(
                select(Department.id).where(Department.code == department_code)
            )
            if department_id is None:
                raise Invalid(f"部门不存在 unknown department: {department_code}")
        _validate(role, password, department_id)
        user = User(
            username=username,
            display_name=display_name or username,
            password_hash=hash_password(password),
            role=role,
            department_id=department_id,
        )
        record_added(s, actor, user, "user.add", "user")
        return UserView.model_validate(user)


def update_user(
    db: Database,
    actor: Actor,
    user_id: int,
    expected_version: int | None,
    *,
    display_name: str | None = None,
    role: str | None = None,
    department_id: int | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> UserView:
    """Change an account; a new password or deactivation ends its sessions."""
    check(actor, "user.manage")
    with writing(db) as s:
        user = get_or_404(s, User, user_id, "用户 user")
        check_version(user, expected_version, "用户 user")
        before = snapshot(user)
        if display_name is not None:
            user.display_name = display_name
        if role is not None:
            user.role = role
        if department_id is not None:
            get_or_404(s, Department, department_id, "部门 department")
            user.department_id = department_id
        if active is not None:
            user.active = active
        _validate(user.role, password, user.department_id)
        if password is not None:
            user.password_hash = hash_password(password)
        if password is not None or active is False:
            s.execute(delete(WebSession).where(WebSession.user_id == user.id))
        s.flush()
        record(s, actor, "user.update", "user", user.id, before=before, after=snapshot(user))
        return UserView.model_validate(user)


def list_users(db: Database, actor: Actor, limit: int = 100, offset: int = 0) -> Page[UserView]:
    """All accounts, by username."""
    check(actor, "user.manage")
    with reading(db) as s:
        total = s.scalar(select(func.count(User.id))) or 0
        rows = s.scalars(select(User).order_by(User.username).limit(limit).offset(offset)).all()
        return Page(
            items=[UserView.model_validate(u) for u in rows],
            total=total,
            limit=limit,
            offset=offset,
        )


def login(
    db: Database, settings: Settings, username: str, password: str, client: str = ""
) -> tuple[str, Actor]:
    """Check the password and open a session; returns (token for the cookie, actor)."""
    now = datetime.now(UTC)
    window = now - timedelta(minutes=settings.login_window_minutes)
    keys = [f"user:{username}"] + ([f"ip:{client}"] if client else [])
    with writing(db) as s:
        # Counted per key: one blocked key (account or address) blocks the attempt.
        per_key = s.execute(
            select(LoginAttempt.key, func.count())
            .where(LoginAttempt.key.in_(keys), LoginAttempt.at >= window)
            .group_by(LoginAttempt.key)
        ).all()
        if any(n >= settings.login_max_failures for _, n in per_key):
            raise RateLimited(
                f"登录失败次数过多,请{settings.login_window_minutes}分钟后再试 "
                "too many failed sign-ins, try again later"
            )
        user = s.scalar(select(User).where(User.username == username))
        ok = False
        if user is not None and user.active:
            try:
                ok = _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        if not ok:
            s.add_all(LoginAttempt(key=k, at=now) for k in keys)
            record(s, SYSTEM, "session.login_failed", "user", username, summary=client)
            fail = True
        else:
            assert user is not None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            token = secrets.token_urlsafe(32)
            s.add(
                WebSession(
                    token_hash=_token_hash(token),
                    user_id=user.id,
                    expires_at=now + timedelta(hours=settings.session_hours),
                )
            )
            s.execute(delete(LoginAttempt).where(LoginAttempt.key == f"user:{username}"))
            # Housekeeping on each sign-in keeps both tables small without a scheduler.
            s.execute(delete(WebSession).where(WebSession.expires_at < now))
            s.execute(delete(LoginAttempt).where(LoginAttempt.at < window))
            actor = _actor(user)
            record(s, actor, "session.login", "user", user.id, summary=client)
            fail = False
    if fail:
        # Outside the transaction block so the failed attempt above is committed.
        raise Unauthenticated("用户名或密码错误 wrong username or password")
    return token, actor


def resolve_session(db: Database, token: str | None) -> Actor | None:
    """The actor a session token belongs to, or None when it is unknown or expired."""
    if not token:
        return None
    row = db.first_and_keep(_SESSION_USER, {"token_hash": _token_hash(token)})
    if row is None:
        return None
    user_id, username, role, department_id, display_name, active, expires_at = row
    if expires_at.tzinfo is None:  # SQLite returns naive UTC
        expires_at = expires_at.replace(tzinfo=UTC)
    if expires_at < datetime.now(UTC) or not active:
        return None
    return Actor(user_id, username, role, department_id, display_name)


# Built once: the statement every signed-in request runs; it reads the data revision too, which
# the request's cached results are keyed by.
_SESSION_USER = with_revision(
    select(
        User.id,
        User.username,
        User.role,
        User.department_id,
        User.display_name,
        User.active,
        WebSession.expires_at,
    )
    .join(WebSession, WebSession.user_id == User.id)
    .where(WebSession.token_hash == bindparam("token_hash"))
)


def logout(db: Database, token: str | None) -> None:
    """End the session of `token` (no error when it is already gone)."""
    if not token:
        return
    with writing(db) as s:
        s.execute(delete(WebSession).where(WebSession.token_hash == _token_hash(token)))


def get_user(db: Database, actor: Actor, user_id: int) -> UserView:
    """One account (admins, or the user themself)."""
    if actor.user_id != user_id:
        check(actor, "user.manage")
    with reading(db) as s:
        return UserView.model_validate(get_or_404(s, User, user_id, "用户 user"))
