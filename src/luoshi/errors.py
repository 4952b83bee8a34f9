"""One exception tree for everything luoshi reports to a person.

Every message is written for the user (Chinese first where the user sees it) and names the
place of the problem: the file, and where it applies the sheet, row and column.

    LuoshiError                     base; `where` + `message`, str() is "where: message"
    ├── DocumentError               a document cannot be read or outlined (file, problem)
    ├── TableError                  a cell or row of an interchange table is bad
    │                               (file, sheet, row, column); `errors` lists every bad cell
    ├── MethodError                 an indicator cannot be judged as configured
    ├── ConfigError                 a setting is missing or refused
    ├── DataError                   a catalog, thesaurus or feedback file cannot be used
    │                               (file, entry)
    └── ServiceError                a use case refused the request
        ├── Unauthenticated         nobody is signed in (HTTP 401)
        ├── NotFound                the object does not exist (HTTP 404)
        ├── Forbidden               the user may not do this (HTTP 403)
        ├── Conflict                a stale version or a duplicate (HTTP 409)
        ├── Invalid                 the request is well formed but not acceptable (HTTP 422)
        └── RateLimited             too many attempts; try again later (HTTP 429)
"""

from __future__ import annotations

from dataclasses import dataclass


class LuoshiError(Exception):
    """Base of every error luoshi explains to a user."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class DocumentError(LuoshiError):
    """A document cannot be read or outlined."""


@dataclass(frozen=True)
class CellProblem:
    """One bad cell (or row, when column is None) of an interchange table."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表 {self.sheet}")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"列 {self.column}")
        return " ".join(parts) + f": {self.message}"


class TableError(LuoshiError):
    """An interchange table has bad cells; `errors` lists every one of them."""

    def __init__(self, errors: list[CellProblem]) -> None:
        if not errors:
            raise ValueError("TableError needs at least one problem")
        self.errors = errors
        first = errors[0]
        more = f"(另有 {len(errors) - 1} 处问题)" if len(errors) > 1 else ""
        super().__init__(str(first) + more)

    def __str__(self) -> str:
        return self.message


class MethodError(LuoshiError):
    """An indicator cannot be judged as configured."""


class ConfigError(LuoshiError):
    """A setting is missing or refused."""


class DataError(LuoshiError):
    """A department catalog, thesaurus or feedback file cannot be used (names file and entry)."""


class ServiceError(LuoshiError):
    """A use case refused the request; subclasses carry the HTTP status."""

    status = 400


class Unauthenticated(ServiceError):
    status = 401


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    status = 422


class RateLimited(ServiceError):
    status = 429
