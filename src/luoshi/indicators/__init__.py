"""Indicators, targets and their judgement: the pure, vectorised core of monitoring.

Public API (stable; other rooms call only these):

    read_indicators(path) -> IndicatorTable
    read_observations(path, indicators=None) -> Observations
        CSV (UTF-8, BOM, GB18030) or XLSX sheets `indicators` / `observations`
    IndicatorTable.from_rows(rows), Observations.from_rows(rows)
        plain dict rows (what a database hands over), checked exactly like a file
    write_tables(path, indicators=None, observations=None)      CSV (one table) or XLSX
    evaluate(indicators, observations, year, *, method="fyp", region=None, settings=None)
        -> list[Evaluation]                             one per indicator × region; .to_dict()
    evaluate_frame(...same...) -> polars.DataFrame      the same judgement as columns, for bulk use
    load_library() -> tuple[LibraryIndicator, ...]      the standard indicator library
    GOALS, KINDS, STATUSES, SDG_STATUSES                 rule tables (rows from data/indicators/)

Bad input raises luoshi.errors.TableError (every bad cell, with file, sheet, row and column);
a misconfigured judgement raises MethodError. Methods: "fyp" (METHOD.md §1), "sdg" (UN SDG
Progress Chart / Open SDG, METHOD.md §2) or "both". Bands and tolerances come from
luoshi.settings (band_expected, band_binding, rate_in_step_tolerance, sdg_profile).

This package imports nothing from storage, services or web.
"""

from __future__ import annotations

from luoshi.indicators.evaluation import (
    METHODS,
    AnnualResult,
    Evaluation,
    Projection,
    SdgResult,
    evaluate,
    evaluate_frame,
)
from luoshi.indicators.interchange import read_indicators, read_observations, write_tables
from luoshi.indicators.library import Goal, LibraryIndicator, goals, load_library
from luoshi.indicators.model import Indicator, IndicatorTable, Observations
from luoshi.indicators.rules import Kind, SdgStatus, Status, kinds, sdg_statuses, statuses

KINDS: dict[str, Kind] = kinds()
STATUSES: dict[str, Status] = statuses()
GOALS: dict[str, Goal] = goals()
SDG_STATUSES: tuple[SdgStatus, ...] = sdg_statuses("un")


def load_kernels() -> None:
    """Load the compiled judgement passes (numba) now instead of at the first judgement: a
    long-running process, such as a web worker, pays for it while starting."""
    from luoshi.indicators import kernels  # noqa: F401


__all__ = [
    "GOALS",
    "KINDS",
    "METHODS",
    "SDG_STATUSES",
    "STATUSES",
    "AnnualResult",
    "Evaluation",
    "Goal",
    "Indicator",
    "IndicatorTable",
    "Kind",
    "LibraryIndicator",
    "Observations",
    "Projection",
    "SdgResult",
    "SdgStatus",
    "Status",
    "evaluate",
    "evaluate_frame",
    "load_kernels",
    "load_library",
    "read_indicators",
    "read_observations",
    "write_tables",
]
