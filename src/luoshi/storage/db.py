"""Engines and transactions for SQLite (embedded default) and PostgreSQL (production).

SQLite runs in WAL mode with foreign keys on. Write transactions on SQLite start with
BEGIN IMMEDIATE so two writers queue on the busy timeout instead of failing half-way;
reads start a plain deferred transaction and never block each other.

Every write transaction that changes data gives the data revision a new random value (one
row, updated just before the commit, so concurrent writers hold its lock only while
committing). Results kept in memory are keyed by the revision: reading it tells whether
anything changed since. Random rather than counted, so that a database restored from a backup
never shows a revision that meant other data before.

Within a web request (`request_scope`, entered by the app's middleware) the revision is read
once, by default in the same statement as the session row (`with_revision`), and kept until
the request ends or commits a change: the caches of one request agree, and a request costs one
small statement instead of two. A request that starts after a commit, in any worker, reads the
new revision.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, bindparam, create_engine, event, select, update
from sqlalchemy.engine import Row, make_url
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from luoshi.errors import ConfigError, Invalid
from luoshi.storage.models import DataRevision

# The web server runs sync handlers on up to 40 threads (anyio's default), each holding at
# most one connection at a time: keep 20 open and allow 20 more under load, so a busy worker
# does not open and close a connection per request (2 workers: at most 80 on PostgreSQL,
# under its default max_connections of 100).
POOL = {"pool_size": 20, "max_overflow": 20}


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url` with luoshi's connection settings (WAL, foreign keys, timeouts)."""
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigError(
            f"数据库地址无效 invalid database URL: {exc}", "LUOSHI_DATABASE_URL"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs = {**POOL, **kwargs}
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        _refuse_unstorable_text(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(parsed, pool_pre_ping=True, **{**POOL, **kwargs})
        _refuse_unstorable_text(engine)
        return engine
    raise ConfigError(
        f"不支持的数据库 unsupported database: {parsed.get_backend_name()}", "LUOSHI_DATABASE_URL"
    )


# Text no database column can hold: NUL (PostgreSQL refuses it) and lone UTF-16 surrogates
# (valid in JSON, not in UTF-8). Refused before any statement runs, wherever it came from.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _refuse_unstorable_text(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _check(_conn: Any, _cursor: Any, _sql: str, params: Any, ctx: Any, many: bool) -> None:
        names = getattr(getattr(ctx, "compiled", None), "positiontup", None) or ()
        for row in params if many else (params,):
            if isinstance(row, dict):
                pairs: Any = row.items()
            else:
                pairs = enumerate(row if isinstance(row, list | tuple) else (row,))
            for key, value in pairs:
                if (
                    isinstance(value, str)
                    and ("\x00" in value or not value.isascii())
                    and _UNSTORABLE.search(value)
                ):
                    raise Invalid(
                        "文本含有无法保存的字符(空字符或不成对的代理码位) "
                        "text holds a character that cannot be stored (NUL or a lone surrogate)",
                        str(names[key] if isinstance(key, int) and key < len(names) else key),
                    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return
        immediate = conn.get_execution_options().get("luoshi_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _check_lengths(session: Session, _context: Any, _instances: Any) -> None:
    """Refuse text longer than its column on every database (SQLite does not check)."""
    for row in (*session.new, *session.dirty):
        for column in row.__table__.columns:
            limit = getattr(column.type, "length", None)
            value = getattr(row, column.key, None)
            if limit and isinstance(value, str) and len(value) > limit:
                raise Invalid(
                    f"{column.key} 超过 {limit} 个字符 longer than {limit} characters",
                    f"{row.__tablename__}.{column.key}",
                )


# Tables no kept result is built from: a transaction that changes only these (signing in and
# out, the audit log itself, the revision) leaves the data revision where it is.
UNREVISED = frozenset({"web_sessions", "login_attempts", "audit_events", "data_revision"})
_CHANGED = "luoshi_changed_data"
_READ_REVISION = select(DataRevision.token).where(DataRevision.id == 1)
_NEW_REVISION = update(DataRevision).where(DataRevision.id == 1).values(token=bindparam("token"))


# The revision of each Database read so far in the current request; None outside a request.
_REQUEST: ContextVar[dict[Database, int] | None] = ContextVar("luoshi_request", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """One web request: the data revision is read at most once (again after a commit).

    The kept revisions live in a dict the request's threads share (anyio copies the context,
    not the dict, into the threads that run sync handlers).
    """
    token = _REQUEST.set({})
    try:
        yield
    finally:
        _REQUEST.reset(token)


def with_revision(statement: Select[*tuple[Any, ...]]) -> Select[*tuple[Any, ...]]:
    """`statement` with the data revision as its last column, for `Database.first_and_keep`."""
    return statement.add_columns(_READ_REVISION.scalar_subquery())


def _note_change(session: Session, _context: Any) -> None:
    """After a flush: remember whether it wrote any row of data."""
    rows = chain(session.new, session.dirty, session.deleted)
    if any(row.__tablename__ not in UNREVISED for row in rows):
        session.info[_CHANGED] = True


def _note_statement(state: ORMExecuteState) -> None:
    """An INSERT, UPDATE or DELETE statement run in the session (no flush) is a change too."""
    dml = state.is_insert or state.is_update or state.is_delete
    if dml and state.statement.table.name not in UNREVISED:  # type: ignore[attr-defined]
        state.session.info[_CHANGED] = True


def _new_revision(session: Session) -> None:
    """Before the commit of a transaction that changed data: a new revision."""
    session.flush()
    if session.info.pop(_CHANGED, False):
        session.execute(_NEW_REVISION, {"token": secrets.randbits(63)})


class Database:
    """One database: an engine plus read and write transactions for the services."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(luoshi_write=True), expire_on_commit=False
        )
        # One statement needs no transaction: no BEGIN and no ROLLBACK around it.
        self._lookup = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        event.listen(self._write, "before_flush", _check_lengths)
        event.listen(self._write, "after_flush", _note_change)
        event.listen(self._write, "do_orm_execute", _note_statement)
        event.listen(self._write, "before_commit", _new_revision)
        event.listen(self._write, "after_commit", self._forget_revision)

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction; closing the session ends it (nothing is committed)."""
        with self._read() as session:
            yield session

    def first(self, statement: Any, params: dict[str, Any] | None = None) -> Any:
        """The first row (or None) of one read-only statement, without an ORM session.

        For the small lookups every request makes: a pooled connection and one statement.
        """
        with self._lookup.connect() as connection:
            return connection.execute(statement, params or {}).first()

    def first_and_keep(self, statement: Any, params: dict[str, Any] | None = None) -> Any:
        """`first` of a statement built by `with_revision`: the row without the revision,
        which the request keeps (one round trip for both)."""
        row: Row[Any] | None = self.first(statement, params)
        if row is None:
            return None
        if (kept := _REQUEST.get()) is not None:
            kept[self] = row[-1]
        return row[:-1]

    def revision(self) -> int:
        """The data revision: a new value with every committed change of data.

        In a request: the one read first in it (none of its own commits since).
        """
        kept = _REQUEST.get()
        if kept is not None and (revision := kept.get(self)) is not None:
            return revision
        revision = self.first(_READ_REVISION)[0]
        if kept is not None:
            kept[self] = revision
        return revision

    def _forget_revision(self, _session: Session) -> None:
        if (kept := _REQUEST.get()) is not None:
            kept.pop(self, None)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
