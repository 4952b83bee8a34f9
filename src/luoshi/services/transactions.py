"""Transactions for the use cases: the only place a database session opens.

A stale version or a broken uniqueness rule becomes luoshi.errors.Conflict, a value the
database refuses (too long for its column) luoshi.errors.Invalid; the transaction is rolled
back, so nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from luoshi.errors import Conflict, Invalid, NotFound
from luoshi.services.views import Page
from luoshi.storage import Database

T = TypeVar("T")
V = TypeVar("V", bound=BaseModel)


@contextmanager
def writing(db: Database) -> Iterator[Session]:
    """One write transaction; Conflict on a concurrent change or a duplicate."""
    try:
        with db.write() as session:
            yield session
    except StaleDataError as exc:
        raise Conflict("数据已被他人修改,请刷新后重试 changed by someone else, reload") from exc
    except IntegrityError as exc:
        raise Conflict(f"与已有数据冲突 conflicts with existing data: {exc.orig}") from exc
    except DataError as exc:  # e.g. a value longer than its column on PostgreSQL
        raise Invalid(f"数据不合要求 value not acceptable: {exc.orig}") from exc


reading = Database.read


def get_or_404(session: Session, model: type[T], ident: Any, label: str) -> T:
    """The row with primary key `ident`, or NotFound naming it."""
    row = session.get(model, ident)
    if row is None:
        raise NotFound(f"{label} {ident} 不存在 not found")
    return row


def where_given(query: Select[Any], *filters: tuple[Any, Any]) -> Select[Any]:
    """`query` narrowed to `column == value` for each (column, value) whose value is given."""
    for column, value in filters:
        if value is not None:
            query = query.where(column == value)
    return query


def read_page(
    db: Database, query: Select[Any], order_by: Any, view: type[V], limit: int, offset: int
) -> Page[V]:
    """One page of `query`'s rows in `order_by` order, as `view`s, with the total count."""
    with reading(db) as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.scalars(query.order_by(order_by).limit(limit).offset(offset)).all()
        return Page(
            items=[view.model_validate(r) for r in rows], total=total, limit=limit, offset=offset
        )


def check_version(row: Any, expected: int | None, label: str) -> None:
    """Conflict when the caller edited an older version of `row`."""
    if expected is not None and row.version != expected:
        raise Conflict(
            f"{label} 已被他人修改(当前版本 {row.version},你的版本 {expected}),请刷新后重试 "
            f"stale version {expected}, current {row.version}"
        )
