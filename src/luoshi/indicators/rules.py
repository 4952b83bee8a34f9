"""The rule tables of indicator judgement, read from CSV files a planning officer can open.

Target kinds, statuses, reason sentences, warning rules and SDG thresholds live as rows in
src/luoshi/data/indicators/*.csv (documented in docs/method.md). The engine reads them here,
so changing a label, a colour, a reason sentence or a warning rule is a data edit, not code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "indicators"


def read_rule_rows(name: str) -> list[dict[str, str]]:
    """Rows of one CSV table under src/luoshi/data/indicators/."""
    text = (DATA_DIR / name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@dataclass(frozen=True)
class Kind:
    """One target kind (METHOD.md §1): how a target is written and judged."""

    code: str
    zh: str
    en: str
    family: str  # progress | bound | range | relative | qualitative
    observed: str
    met_when: str
    needs: tuple[str, ...]
    fact: str  # reason template: what the numbers show
    fact_en: str  # the same in English


@dataclass(frozen=True)
class Status:
    """One status of the FYP method with its labels and board colour."""

    code: str
    zh: str
    en: str
    colour: str
    rank: int  # higher is better; used to compare statuses
    meaning: str


@dataclass(frozen=True)
class WarningRule:
    """First matching row gives the warning level; '*' matches anything."""

    status: str
    attribute: str
    projection_meets: str
    warning: str
    zh: str


@dataclass(frozen=True)
class SdgStatus:
    """One status of the SDG progress method in one threshold profile."""

    profile: str
    code: str
    zh: str
    en: str
    min_ratio: float | None
    min_cagr: float | None


def _num(text: str) -> float | None:
    return float(text) if text else None


@cache
def kinds() -> dict[str, Kind]:
    """Target kinds by code, in table order."""
    return {
        r["kind"]: Kind(
            r["kind"],
            r["中文"],
            r["english"],
            r["family"],
            r["observed"],
            r["met_when"],
            tuple(r["needs"].split()),
            r["fact"],
            r["fact_en"],
        )
        for r in read_rule_rows("kinds.csv")
    }


@cache
def statuses() -> dict[str, Status]:
    """FYP statuses by code, in table order."""
    return {
        r["code"]: Status(
            r["code"], r["中文"], r["english"], r["colour"], int(r["rank"]), r["meaning"]
        )
        for r in read_rule_rows("statuses.csv")
    }


_REASON_COLUMNS = {"zh": "中文 (appended to the kind's fact)", "en": "english"}


@cache
def reasons(language: str = "zh") -> dict[tuple[str, str], str]:
    """Reason sentence templates by (kind family, case), in Chinese or English."""
    column = _REASON_COLUMNS[language]
    return {(r["family"], r["status"]): r[column] for r in read_rule_rows("reasons.csv")}


@cache
def warning_rules() -> tuple[WarningRule, ...]:
    """Warning rules in the order they are tried."""
    return tuple(
        WarningRule(r["status"], r["attribute"], r["projection_meets"], r["warning"], r["中文说明"])
        for r in read_rule_rows("warnings.csv")
    )


@cache
def sdg_statuses(profile: str) -> tuple[SdgStatus, ...]:
    """SDG statuses of one threshold profile (plus the shared not_available row)."""
    rows = [r for r in read_rule_rows("sdg_statuses.csv") if r["profile"] in (profile, "*")]
    return tuple(
        SdgStatus(
            r["profile"],
            r["status"],
            r["中文"],
            r["english"],
            _num(r["min_ratio"]),
            _num(r["min_cagr"]),
        )
        for r in rows
    )
