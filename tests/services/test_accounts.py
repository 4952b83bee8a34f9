"""Accounts: argon2 passwords, sessions in the database, rate-limited sign-in."""

from __future__ import annotations

import pytest

from fixtures import PASSWORD, make_settings
from luoshi.errors import Invalid, RateLimited, Unauthenticated
from luoshi.services import SYSTEM, accounts


@pytest.fixture
def settings(tmp_path, db):
    return make_settings(tmp_path, db.url, login_max_failures=3)


def test_sign_in_opens_a_session_any_process_can_resolve(db, settings):
    token, actor = accounts.login(db, settings, "planner", PASSWORD, "10.0.0.1")
    assert actor.role == "planner"
    assert accounts.resolve_session(db, token) == actor
    accounts.logout(db, token)
    assert accounts.resolve_session(db, token) is None


def test_passwords_are_stored_as_argon2(db):
    from sqlalchemy import select

    from luoshi.storage.models import User

    with db.read() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "planner"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_wrong_password_and_unknown_user_get_the_same_answer(db, settings):
    with pytest.raises(Unauthenticated) as wrong:
        accounts.login(db, settings, "planner", "nope-nope", "10.0.0.2")
    with pytest.raises(Unauthenticated) as unknown:
        accounts.login(db, settings, "nobody", "nope-nope", "10.0.0.3")
    assert wrong.value.message == unknown.value.message


def test_too_many_failures_block_even_the_right_password(db, settings):
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            accounts.login(db, settings, "viewer", "wrong-password", "10.0.0.4")
    with pytest.raises(RateLimited):
        accounts.login(db, settings, "viewer", PASSWORD, "10.0.0.5")
    # Other accounts from other addresses are not affected.
    accounts.login(db, settings, "planner", PASSWORD, "10.0.0.6")


def test_deactivating_an_account_ends_its_sessions(db, settings):
    token, actor = accounts.login(db, settings, "viewer", PASSWORD)
    user = accounts.get_user(db, SYSTEM, actor.user_id)
    accounts.update_user(db, SYSTEM, user.id, user.version, active=False)
    assert accounts.resolve_session(db, token) is None
    with pytest.raises(Unauthenticated):
        accounts.login(db, settings, "viewer", PASSWORD)


@pytest.mark.parametrize(
    ("role", "password", "department"),
    [("chief", PASSWORD, None), ("viewer", "short", None), ("reporter", PASSWORD, None)],
)
def test_bad_accounts_are_refused(db, role, password, department):
    with pytest.raises(Invalid):
        accounts.add_user(db, SYSTEM, "new", password, role, department_code=department)
