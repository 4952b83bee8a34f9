"""Imports are one transaction each: a bad file stores nothing and names every bad row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fixtures import import_sample_plan
from luoshi.errors import TableError
from luoshi.services import SYSTEM, indicators
from luoshi.storage.models import AuditEvent, Observation, ObservationRevision, Target

BAD_TABLE = """code,name,base_year,base_value,target_year,kind,target
B01,好的一行,2025,1,2030,level,2
B02,缺目标值,2025,1,2030,level,
B03,未知类型,2025,1,2030,nonsense,3
"""


def counts(db):
    with db.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model))
            for model in (Target, Observation, ObservationRevision, AuditEvent)
        )


@pytest.fixture
def plan(db, tmp_path):
    return import_sample_plan(db, tmp_path)


def test_bad_indicator_table_stores_nothing_and_lists_every_bad_row(db, plan, tmp_path):
    before = counts(db)
    path = tmp_path / "bad.csv"
    path.write_text(BAD_TABLE, encoding="utf-8")
    with pytest.raises(TableError) as caught:
        indicators.import_indicators(db, SYSTEM, plan, path)
    assert sorted({p.row for p in caught.value.errors}) == [3, 4]
    assert all(p.file == "bad.csv" for p in caught.value.errors)
    assert counts(db) == before


def test_observations_with_an_unknown_code_store_nothing(db, plan, tmp_path):
    before = counts(db)
    path = tmp_path / "obs.csv"
    path.write_text("code,year,value\nT01,2027,81.5\nZZ9,2027,1\nT02,abc,1\n", encoding="utf-8")
    with pytest.raises(TableError) as caught:
        indicators.import_observations(db, SYSTEM, path, plan_id=plan)
    assert sorted({p.row for p in caught.value.errors}) == [3, 4]
    assert counts(db) == before


def test_a_changed_value_is_kept_as_a_revision(db, plan, tmp_path):
    path = tmp_path / "revised.csv"
    path.write_text("code,year,value,source\nT01,2026,81.3,普查修订\n", encoding="utf-8")
    result = indicators.import_observations(db, SYSTEM, path, plan_id=plan)
    assert result.updated == {"observations": 1}
    target = indicators.list_targets(db, SYSTEM, plan).items[0]
    series = indicators.observations(db, SYSTEM, target.indicator.id)
    assert [(o.year, o.value, o.source) for o in series] == [(2026, 81.3, "普查修订")]
    old = indicators.revisions(db, SYSTEM, series[0].id)
    assert [r.value for r in old] == [81.0]


def test_reimporting_the_same_table_changes_nothing(db, plan, tmp_path):
    from fixtures import INDICATORS_CSV

    path = tmp_path / "same.csv"
    path.write_text(INDICATORS_CSV, encoding="utf-8")
    result = indicators.import_indicators(db, SYSTEM, plan, path)
    assert result.created == {} and result.updated == {}


def test_evaluation_judges_the_stored_table(db, plan):
    results = {r["code"]: r for r in indicators.evaluate_plan(db, SYSTEM, plan, 2026)}
    assert set(results) == {"T01", "T02"}
    # T01: 80.5 → 81.0 of a planned 80.5 → 83 is 20% of the change after 20% of the time.
    assert results["T01"]["status"] == "in_line"
    assert results["T01"]["achievement_progress"] == pytest.approx(0.2)
    assert results["T02"]["time_progress"] == pytest.approx(0.2)


def test_attaching_a_library_indicator_adds_an_incomplete_row(db, plan):
    indicators.load_library(db, SYSTEM)
    row = indicators.attach_indicator(db, SYSTEM, plan, "GDP_GROWTH", "1.1")
    assert (row.node_path, row.kind, row.target) == ("1.1", "avg_rate_at_least", None)
    results = {r["code"]: r for r in indicators.evaluate_plan(db, SYSTEM, plan, 2026)}
    assert results["GDP_GROWTH"]["status"] == "not_evaluable"
    assert results["T01"]["status"] == "in_line"


def test_a_revised_value_changes_the_next_judgement(db, plan):
    """Judgements are reused only while the plan's data is unchanged."""
    first = {r["code"]: r for r in indicators.evaluate_plan(db, SYSTEM, plan, 2026)}
    assert first["T01"]["latest_value"] == 81.0
    obs = indicators.observations(
        db, SYSTEM, indicators.list_targets(db, SYSTEM, plan).items[0].indicator.id
    )
    indicators.set_observation(db, SYSTEM, "T01", 2026, 79.0, expected_version=obs[0].version)
    second = {r["code"]: r for r in indicators.evaluate_plan(db, SYSTEM, plan, 2026)}
    assert second["T01"]["latest_value"] == 79.0
    assert second["T01"]["status"] == "lagging"
