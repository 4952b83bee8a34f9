"""The data revision within one web request (storage.db.request_scope): read once, with the
session row, and read again after the request's own commit; a later request sees every commit.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text

from fixtures import PASSWORD, PG_BASE, _fresh_pg, make_settings
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


def kill_pooled_connections(db: Database, admin: Engine) -> None:
    """The server ends every connection `db` keeps in its pool, as a restart does."""
    with ExitStack() as stack:  # four connections at once: the pool keeps them all
        connections = [stack.enter_context(db.engine.connect()) for _ in range(4)]
        pids = [c.execute(text("SELECT pg_backend_pid()")).scalar() for c in connections]
    with admin.connect() as c:
        c.execute(
            text("SELECT pg_terminate_backend(pid) FROM unnest(:pids) AS pid"), {"pids": pids}
        )


@pytest.mark.postgres
def test_requests_survive_a_database_restart(pg_seeded, tmp_path) -> None:
    """After the server ended the pooled connections, the next request still resolves its
    session, reads the revision and reads data; so does one whose first read is data (an
    anonymous request for a public page)."""
    db = _fresh_pg(*pg_seeded)
    admin = create_engine(PG_BASE)
    try:
        token, _actor = accounts.login(db, make_settings(tmp_path, db.url), "planner", PASSWORD)
        kill_pooled_connections(db, admin)
        with request_scope():
            assert accounts.resolve_session(db, token) is not None
            assert db.revision()
            assert plans.list_plans(db, SYSTEM).total == 0
        kill_pooled_connections(db, admin)
        with request_scope():
            assert plans.list_plans(db, SYSTEM).total == 0
            assert db.revision()
    finally:
        admin.dispose()
        db.dispose()
