"""The data revision within one web request (storage.db.request_scope): read once, with the
session row, and read again after the request's own commit; a later request sees every commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from fixtures import PASSWORD, make_settings
from luoshi.services import SYSTEM, accounts, plans
from luoshi.storage import Database
from luoshi.storage.db import request_scope

OUTLINE = {"id": "", "kind": "document", "children": [{"id": "1", "kind": "part", "title": "一"}]}


def statements(db: Database) -> list[str]:
    """The SQL statements `db` runs from now on."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    return seen


def test_a_request_reads_the_revision_once(db: Database) -> None:
    seen = statements(db)
    with request_scope():
        first = db.revision()
        assert db.revision() == first
    assert len(seen) == 1


def test_the_session_lookup_reads_the_revision_too(db: Database, tmp_path) -> None:
    token, _actor = accounts.login(db, make_settings(tmp_path, db.url), "planner", PASSWORD)
    expected = db.revision()
    seen = statements(db)
    with request_scope():
        assert accounts.resolve_session(db, token) is not None
        assert db.revision() == expected
    assert len(seen) == 1
    with request_scope():  # no session row: the revision is read on its own
        assert accounts.resolve_session(db, "unknown") is None
        assert db.revision() == expected
    assert len(seen) == 3


def test_a_commit_in_the_request_is_seen_by_it(db: Database) -> None:
    with request_scope():
        before = db.revision()
        plans.import_plan(db, SYSTEM, OUTLINE, title="规划")
        assert db.revision() != before


def test_a_commit_by_another_worker_shows_in_the_next_request(db: Database) -> None:
    other = Database(db.url)  # another worker process: its own engine
    try:
        with request_scope():
            before = db.revision()
            plans.import_plan(other, SYSTEM, OUTLINE, title="规划")
            assert db.revision() == before  # this request keeps what it read first
        with request_scope():
            assert db.revision() != before
        assert db.revision() != before  # outside a request: read every time
    finally:
        other.dispose()
