"""The bundled standard indicator library (标准指标库) and the seven main goals it serves.

Indicators that Chinese national and city Five-Year Plan tables use again and again, each with
its definition, unit, direction, usual target kind, attribute and source department, and the
main goal of the sample speech it measures. The rows live in
src/luoshi/data/indicators/library.csv (facts written in our own words); docs/indicators.md
lists them. A plan's indicator row may point at a library entry through `library_code`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from luoshi.indicators.rules import read_rule_rows


@dataclass(frozen=True)
class Goal:
    """One of the seven main goals (主要目标) of the sample speech."""

    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class LibraryIndicator:
    """One standard indicator of the library."""

    code: str
    name: str
    name_en: str
    category: str
    unit: str
    direction: str
    kind: str
    attribute: str
    definition: str
    source_department: str
    goal: str


@cache
def goals() -> dict[str, Goal]:
    """The seven main goals by code, in the speech's order."""
    return {
        r["goal"]: Goal(r["goal"], r["中文"], r["english"]) for r in read_rule_rows("goals.csv")
    }


@cache
def load_library() -> tuple[LibraryIndicator, ...]:
    """All library indicators in table order."""
    return tuple(LibraryIndicator(**r) for r in read_rule_rows("library.csv"))
