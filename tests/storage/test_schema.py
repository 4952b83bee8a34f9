"""The packaged migrations build exactly the schema of the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from luoshi.services import SYSTEM, catalog
from luoshi.storage import current_revision, head_revision
from luoshi.storage.models import Base, Department


def test_migrations_match_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert current_revision(db) == head_revision()


def test_roles_are_seeded_by_the_migration(db):
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT name FROM roles"))}
    assert names == {"admin", "planner", "supervisor", "reporter", "viewer"}


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_db):
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_every_update_bumps_the_version(db):
    catalog.import_departments(db, SYSTEM, [{"code": "x", "name": "甲"}], "t")
    with db.read() as s:
        assert s.scalar(select(Department.version).where(Department.code == "x")) == 1
    catalog.import_departments(db, SYSTEM, [{"code": "x", "name": "乙"}], "t")
    with db.read() as s:
        assert s.scalar(select(Department.version).where(Department.code == "x")) == 2


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    from luoshi.storage.models import User

    try:
        with db.write() as s:
            s.add(User(username="ghost", display_name="g", password_hash="x", role="nobody"))
    except IntegrityError:
        pass
    else:
        raise AssertionError("a user with an unknown role was stored")
