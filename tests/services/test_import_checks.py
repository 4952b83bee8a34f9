"""Imports refuse what would be a silent mistake, accept what offices save, and stay one
transaction each: a plan's years, indicators shared by plans, blank rows, large files."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fixtures import OUTLINE, import_sample_plan
from luoshi.errors import Invalid, TableError
from luoshi.services import SYSTEM, indicators, plans
from luoshi.storage.models import Observation, Plan


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


TABLE = """code,name,unit,direction,base_year,base_value,target_year,kind,target
T01,{name},{unit},{direction},2025,80.5,2030,level,83
"""


def second_plan(db, tmp_path, name="常住人口城镇化率", unit="%", direction="up"):
    """Plan 1 is the sample (T01 with observations); plan 2 takes T01 in too."""
    first = import_sample_plan(db, tmp_path)
    other = plans.import_plan(db, SYSTEM, OUTLINE, title="乙", start_year=2026, end_year=2030)
    path = tmp_path / "b.csv"
    path.write_text(TABLE.format(name=name, unit=unit, direction=direction), encoding="utf-8")
    indicators.import_indicators(db, SYSTEM, other.plan_id, path)
    return first, other.plan_id


def t01(db, plan_id):
    row = next(r for r in indicators.list_targets(db, SYSTEM, plan_id).items)
    return row.indicator


def test_a_unit_change_of_a_shared_indicator_is_refused_naming_the_plans(db, tmp_path):
    first, second = second_plan(db, tmp_path)
    path = tmp_path / "c.csv"
    path.write_text("\n" + TABLE.format(name="城镇化率", unit="百分比", direction="up"), "utf-8")
    with pytest.raises(TableError) as exc:
        indicators.import_indicators(db, SYSTEM, second, path)
    assert [str(p) for p in exc.value.errors] == [
        f"c.csv 第3行 列 unit: 指标 T01 的单位不能由“%”改为“百分比”(规划 {first} 也使用此指标；"
        f"已有观测值) unit change refused: used by plans {first}; already observed; "
        "use a new indicator code for the new unit"
    ]
    assert (t01(db, first).name, t01(db, first).unit) == ("常住人口城镇化率", "%")


def test_a_direction_change_of_a_shared_indicator_is_refused(db, tmp_path):
    first, second = second_plan(db, tmp_path)
    path = tmp_path / "c.csv"
    path.write_text(TABLE.format(name="常住人口城镇化率", unit="%", direction="down"), "utf-8")
    with pytest.raises(TableError) as exc:
        indicators.import_indicators(db, SYSTEM, second, path)
    assert "方向不能由 up 改为 down" in str(exc.value)
    assert t01(db, first).direction == "up"


def test_a_rename_of_a_shared_indicator_counts_the_other_plans(db, tmp_path):
    first, second = second_plan(db, tmp_path)
    path = tmp_path / "c.csv"
    path.write_text(TABLE.format(name="城镇化率", unit="%", direction="up"), "utf-8")
    result = indicators.import_indicators(db, SYSTEM, second, path)
    assert result.updated == {"indicators": 1} and result.other_plans == 1
    assert t01(db, first).name == "城镇化率"


def test_a_unit_of_an_indicator_only_this_plan_uses_unobserved_may_change(db, tmp_path):
    plan = plans.import_plan(db, SYSTEM, OUTLINE, title="丙", start_year=2026, end_year=2030)
    path = tmp_path / "c.csv"
    for unit in ("%", "百分比"):
        path.write_text(TABLE.format(name="城镇化率", unit=unit, direction="up"), "utf-8")
        result = indicators.import_indicators(db, SYSTEM, plan.plan_id, path)
    assert result.updated == {"indicators": 1}
    assert t01(db, plan.plan_id).unit == "百分比"
    obs = tmp_path / "o.csv"
    obs.write_text("code,year,value\nT01,2026,81\n", "utf-8")
    indicators.import_observations(db, SYSTEM, obs, plan_id=plan.plan_id)
    path.write_text(TABLE.format(name="城镇化率", unit="%", direction="up"), "utf-8")
    with pytest.raises(TableError, match="已有观测值"):
        indicators.import_indicators(db, SYSTEM, plan.plan_id, path)


def test_a_large_import_is_written_in_chunks_with_progress_and_revisions(db, tmp_path, monkeypatch):
    plan = import_sample_plan(db, tmp_path)  # T01, T02 with 2026 observations
    monkeypatch.setattr(indicators, "CHUNK", 7)
    rows = [
        f"T0{c},{y},{v},区{r},,,{a}"
        for c in (1, 2)
        for y in (2026, 2027)
        for r, v, a in ((1, 1.5, ""), (2, 2.5, ""))
    ]
    rows += ["T01,2026,79.0,,,,", "T02,2026,2.55,,,,", "T01,2027,82,,,,82"]
    path = tmp_path / "big.csv"
    path.write_text(
        "code,year,value,region,source,note,annual_target\n\n" + "\n".join(rows) + "\n,,,,,,\n",
        "utf-8",
    )
    seen: list[tuple[int, int]] = []
    result = indicators.import_observations(
        db, SYSTEM, path, plan_id=plan, progress=lambda done, total: seen.append((done, total))
    )
    assert result.created == {"observations": 9, "annual_targets": 1}
    assert result.updated == {"observations": 1}  # T01 2026 81.0 → 79.0; T02 unchanged
    assert seen == [(7, 10), (9, 10), (10, 10)]
    target = indicators.list_targets(db, SYSTEM, plan).items[0]
    series = {
        (o.region, o.year): o for o in indicators.observations(db, SYSTEM, target.indicator.id)
    }
    assert (series[("", 2026)].value, series[("", 2026)].version) == (79.0, 2)
    assert series[("区1", 2027)].source == "big.csv"
    assert [r.value for r in indicators.revisions(db, SYSTEM, series[("", 2026)].id)] == [81.0]
    _, obs, _ = indicators.plan_tables(db, SYSTEM, plan)
    assert set(obs.frame["annual_target"].drop_nulls().to_list()) == {82.0}


def test_a_cell_too_long_for_the_database_stores_nothing(db, tmp_path):
    plan = import_sample_plan(db, tmp_path)
    path = tmp_path / "long.csv"
    path.write_text("code,year,value,region\nT01,2027,1," + "区" * 61 + "\n", "utf-8")
    with db.read() as s:
        before = s.scalar(select(func.count()).select_from(Observation))
    with pytest.raises(TableError, match="超过 60 个字符"):
        indicators.import_observations(db, SYSTEM, path, plan_id=plan)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Observation)) == before
