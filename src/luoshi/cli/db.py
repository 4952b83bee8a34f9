"""`luoshi db`: create or migrate the database (LUOSHI_DATABASE_URL, default a SQLite file)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from luoshi.cli import app
from luoshi.errors import ConfigError
from luoshi.settings import get_settings

if TYPE_CHECKING:
    from luoshi.storage import Database

db_app = typer.Typer(help="数据库 Database: migrate and inspect.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def shown_url(url: str) -> str:
    """`url` as it may be printed: with its password hidden, even when it does not parse."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # not a URL SQLAlchemy reads: hide what looks like one
        return re.sub(r"(//[^/:@]*):[^/@]*@", r"\1:***@", url)


@contextmanager
def database_problems(url: str, setting: str = "LUOSHI_DATABASE_URL") -> Iterator[None]:
    """A database that cannot be opened or migrated as one ConfigError naming its URL.

    `setting` is the setting the URL comes from, named in the message.

    Only what connecting and migrating raise: SQLAlchemy's database and argument errors (not a
    database file, cannot open, server unreachable, bad URL parts) and the operating system's
    (a folder that cannot be made); programming errors elsewhere keep their traceback.
    """
    from sqlalchemy.exc import ArgumentError, DatabaseError

    try:
        yield
    except (DatabaseError, ArgumentError, OSError) as exc:
        cause = getattr(exc, "orig", None) or exc
        if isinstance(cause, OSError) and cause.strerror:
            reason = f"{cause.strerror}: {cause.filename}" if cause.filename else cause.strerror
        else:
            reason = str(cause).split("(Background on this error", 1)[0]
        raise ConfigError(
            f"无法使用数据库 cannot use the database ({setting}): {' '.join(reason.split())}",
            where=shown_url(url),
        ) from None


def open_database() -> Database:
    """The configured database, migrated to the newest schema."""
    from luoshi.storage import Database, upgrade

    url = get_settings().resolved_database_url()
    with database_problems(url):
        db = Database(url)
        upgrade(db)
    return db


@db_app.command("upgrade")
def upgrade_command() -> None:
    """升级数据库结构 Create or migrate the database to the newest schema."""
    from luoshi.storage import Database, current_revision, upgrade

    url = get_settings().resolved_database_url()
    with database_problems(url):
        db = Database(url)
        before = current_revision(db)
        after = upgrade(db)
        db.dispose()
    shown = shown_url(url)
    if before == after:
        typer.echo(f"数据库已是最新 already up to date: {after} ({shown})")
    else:
        typer.echo(f"数据库已升级 upgraded {before or '(empty)'} → {after} ({shown})")


@db_app.command("current")
def current_command() -> None:
    """显示数据库版本 Show the schema revision of the database and of this luoshi."""
    from luoshi.storage import Database, current_revision, head_revision

    url = get_settings().resolved_database_url()
    with database_problems(url):
        db = Database(url)
        current = current_revision(db)
        db.dispose()
    typer.echo(f"database: {current or '(empty)'}; luoshi: {head_revision()}")
