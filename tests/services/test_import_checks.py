"""Imports refuse what would be a silent mistake, accept what offices save, and stay one
transaction each: a plan's years, indicators shared by plans, blank rows, large files."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fixtures import OUTLINE
from luoshi.errors import Invalid
from luoshi.services import SYSTEM, plans
from luoshi.storage.models import Plan


def plan_count(db):
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Plan)) or 0


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (2030, 2026, "start_year", "晚于终止年"),
        (0, 99999, "start_year", "1949–2100"),
        (2026, 99999, "end_year", "1949–2100"),
        (1948, 1950, "start_year", "1949–2100"),
        (None, 2101, "end_year", "1949–2100"),
    ],
)
def test_a_plan_with_implausible_years_is_refused(db, start, end, field, words):
    with pytest.raises(Invalid) as exc:
        plans.import_plan(db, SYSTEM, OUTLINE, title="t", start_year=start, end_year=end)
    assert exc.value.where == field
    assert field in exc.value.message and words in exc.value.message
    assert plan_count(db) == 0


@pytest.mark.parametrize(("start", "end"), [(2026, 2030), (2026, 2026), (1949, 2100), (None, None)])
def test_plausible_years_are_stored(db, start, end):
    result = plans.import_plan(db, SYSTEM, OUTLINE, title="t", start_year=start, end_year=end)
    view = plans.get_plan(db, SYSTEM, result.plan_id)
    assert (view.start_year, view.end_year) == (start, end)
