"""`luoshi db`: create or migrate the database (LUOSHI_DATABASE_URL, default a SQLite file)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from luoshi.cli import app
from luoshi.settings import get_settings

if TYPE_CHECKING:
    from luoshi.storage import Database

db_app = typer.Typer(help="数据库 Database: migrate and inspect.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def open_database() -> Database:
    """The configured database, migrated to the newest schema."""
    from luoshi.storage import Database, upgrade

    db = Database(get_settings().resolved_database_url())
    upgrade(db)
    return db


@db_app.command("upgrade")
def upgrade_command() -> None:
    """升级数据库结构 Create or migrate the database to the newest schema."""
    from luoshi.storage import Database, current_revision, upgrade

    settings = get_settings()
    db = Database(settings.resolved_database_url())
    before = current_revision(db)
    after = upgrade(db)
    db.dispose()
    shown = db.engine.url.render_as_string(hide_password=True)
    if before == after:
        typer.echo(f"数据库已是最新 already up to date: {after} ({shown})")
    else:
        typer.echo(f"数据库已升级 upgraded {before or '(empty)'} → {after} ({shown})")


@db_app.command("current")
def current_command() -> None:
    """显示数据库版本 Show the schema revision of the database and of this luoshi."""
    from luoshi.storage import Database, current_revision, head_revision

    db = Database(get_settings().resolved_database_url())
    typer.echo(f"database: {current_revision(db) or '(empty)'}; luoshi: {head_revision()}")
    db.dispose()
