"""Plans on the region tree and a city's roll-up: districts side by side, ranked, gaps shown."""

from __future__ import annotations

import pytest
from district_world import PLANNER, VIEWER, district_world

from luoshi.errors import Conflict, Forbidden, Invalid
from luoshi.services import SYSTEM, catalog, indicators, plans, regions, tasks
from luoshi.services.regions import load_sample_districts, rank_districts


def second_district(db, tmp_path, name="测试二区", urbanization=81.5, with_rd=True) -> int:
    """Another district below C1, naming its indicators the city's way."""
    catalog.add_region(db, SYSTEM, "D2", name, "district", "C1")
    plan_id = plans.import_plan(
        db, SYSTEM, {"children": [{"id": "1", "kind": "part", "title": "主要目标"}]},
        title=f"{name}规划", region_code="D2", start_year=2026, end_year=2030,
    ).plan_id  # fmt: skip
    rows = "code,name,unit,attribute,direction,base_year,base_value,target_year,kind,target\n"
    rows += "E-1,常住人口城镇化率,%,expected,up,2025,80.0,2030,level,83\n"
    if with_rd:
        rows += "E-2,研发经费投入强度,%,expected,up,2025,2.0,2030,level,3.0\n"
    (tmp_path / "d2.csv").write_text(rows, encoding="utf-8")
    indicators.import_indicators(db, SYSTEM, plan_id, tmp_path / "d2.csv")
    obs = f"code,year,value\nE-1,2026,{urbanization}\n" + ("E-2,2026,2.2\n" if with_rd else "")
    (tmp_path / "d2-obs.csv").write_text(obs, encoding="utf-8")
    indicators.import_observations(db, SYSTEM, tmp_path / "d2-obs.csv", plan_id=plan_id)
    return plan_id


def test_a_citys_rollup_puts_its_districts_side_by_side_with_the_gap(db, tmp_path):
    city, _ = district_world(db, tmp_path)
    other = second_district(db, tmp_path)
    task = tasks.assign_task(db, SYSTEM, other, "1", "fgw")
    tasks.update_task(db, SYSTEM, task.id, task.version, status="done")
    view = regions.rollup(db, VIEWER, city, 2026)
    assert view.region is not None and view.region.code == "C1"
    assert [c.code for c in view.columns] == ["T01", "T02"]
    by_code = {d.region.code: d for d in view.districts}
    d1, d2 = by_code["D1"], by_code["D2"]
    # D1 calls 常住人口城镇化率 城镇化率 and lacks 研发经费投入强度: exactly that gap.
    assert d1.gaps == ["T02"]
    assert d1.cells[0] is not None and d1.cells[0].code == "Q-01" and d1.cells[1] is None
    assert d1.cells[0].latest_value == 79.8
    assert d2.gaps == [] and [c.code for c in d2.cells if c] == ["E-1", "E-2"]
    assert d2.tasks.get("done") == 1 and d1.tasks.get("done") is None
    # Each district's plan aligned with the city's: D1's goal and task take up the city's.
    assert d1.coverage is not None and d1.coverage > 0 and d1.uncovered is not None
    assert all(c.status for d in (d1, d2) for c in d.cells if c)


def test_a_benchmark_series_is_marked_not_a_gap_of_every_district(sqlite_db, tmp_path):
    city, _ = district_world(sqlite_db, tmp_path)
    second_district(sqlite_db, tmp_path)
    # The city compares its growth with the national series N1 and keeps income growth in
    # step with its urbanisation rate T01 (a benchmark the districts measure themselves).
    table = tmp_path / "city-more.csv"
    table.write_text(
        "code,name,category,unit,attribute,direction,base_year,base_value,target_year,kind,target,"
        "benchmark\nT01,常住人口城镇化率,经济发展,%,expected,up,2025,80.5,2030,level,83,\n"
        "N1,全国国内生产总值增长(对标),,%,,up,2025,,2030,avg_rate_at_least,5,\n"
        "T03,经济增速高于全国平均水平,,%,,up,2025,,2030,rate_above,,N1\n"
        "T04,居民人均可支配收入增长,,%,,up,2025,,2030,rate_in_step,,T01\n",
        encoding="utf-8",
    )
    indicators.import_indicators(sqlite_db, SYSTEM, city, table)
    view = regions.rollup(sqlite_db, VIEWER, city, 2026)
    assert [c.code for c in view.columns if c.benchmark] == ["N1"]
    by_code = {d.region.code: d for d in view.districts}
    # Only what a district could report itself is missing; T01 is still lined up.
    assert by_code["D1"].gaps == ["T02", "T03", "T04"]
    assert by_code["D2"].gaps == ["T03", "T04"]
    assert by_code["D1"].cells[0] is not None
    # Nobody is ranked on the benchmark: it is not among the ranking's choices.
    ranked = regions.ranking(sqlite_db, VIEWER, city, year=2026)
    assert ranked.column is not None and ranked.column.code == "T01"
    assert "N1" not in [c.code for c in ranked.columns]
    with pytest.raises(Invalid, match="N1"):
        regions.ranking(sqlite_db, VIEWER, city, "N1", 2026)


def test_districts_rank_by_the_indicators_direction_and_the_ones_without_come_last(
    sqlite_db, tmp_path
):
    city, _ = district_world(sqlite_db, tmp_path)
    second_district(sqlite_db, tmp_path, urbanization=81.5)
    ranked = regions.ranking(sqlite_db, VIEWER, city, "T01", 2026)
    assert [(e.rank, e.region.code, e.value) for e in ranked.entries] == [
        (1, "D2", 81.5),
        (2, "D1", 79.8),
    ]
    ranked = regions.ranking(sqlite_db, VIEWER, city, "T02", 2026)
    assert [(e.rank, e.region.code) for e in ranked.entries] == [(1, "D2"), (None, "D1")]
    view = regions.rollup(sqlite_db, VIEWER, city, 2026)
    # Lower is better for an indicator whose direction is down.
    down = view.model_copy(
        update={"columns": [c.model_copy(update={"direction": "down"}) for c in view.columns]}
    )
    assert [e.region.code for e in rank_districts(down, "T01").entries] == ["D1", "D2"]
    with pytest.raises(Invalid, match="T99"):
        regions.ranking(sqlite_db, VIEWER, city, "T99")


def test_a_plan_off_the_region_tree_has_an_empty_rollup(sqlite_db, plan_id):
    view = regions.rollup(sqlite_db, VIEWER, plan_id)
    assert view.region is None and view.districts == []
    assert regions.ranking(sqlite_db, VIEWER, plan_id).entries == []


def test_the_region_tree_shows_each_regions_plans(sqlite_db, tmp_path):
    city, district = district_world(sqlite_db, tmp_path)
    tree = regions.region_tree(sqlite_db, VIEWER)
    assert [n.region.code for n in tree] == ["P1"]
    city_node = tree[0].children[0]
    assert [p.id for p in city_node.plans] == [city]
    assert [(n.region.code, [p.id for p in n.plans]) for n in city_node.children] == [
        ("D1", [district])
    ]


def test_putting_a_plan_on_the_tree_is_checked_and_audited(sqlite_db, tmp_path, plan_id):
    catalog.add_region(sqlite_db, SYSTEM, "C9", "某市", "city")
    with pytest.raises(Forbidden):
        regions.set_plan_region(sqlite_db, VIEWER, plan_id, "C9", None)
    with pytest.raises(Invalid, match="X0"):
        regions.set_plan_region(sqlite_db, PLANNER, plan_id, "X0", None)
    version = plans.get_plan(sqlite_db, PLANNER, plan_id).version
    view = regions.set_plan_region(sqlite_db, PLANNER, plan_id, "C9", version)
    assert view.region_id is not None
    with pytest.raises(Conflict):
        regions.set_plan_region(sqlite_db, PLANNER, plan_id, None, version)


def test_the_sample_districts_load_with_plans_data_and_tasks(sqlite_db):
    from luoshi.matching.catalog import bundled_catalog

    catalog.import_departments(
        sqlite_db, SYSTEM, [{"code": u.name, "name": u.name} for u in
                            bundled_catalog("municipal").units], "municipal",
    )  # fmt: skip
    catalog.add_region(sqlite_db, SYSTEM, "P01", "示例省", "province")
    catalog.add_region(sqlite_db, SYSTEM, "C01", "示例市", "city", "P01")
    ids = load_sample_districts(sqlite_db, SYSTEM)
    assert len(ids) == 3
    for plan_id in ids:
        plan = plans.get_plan(sqlite_db, SYSTEM, plan_id)
        assert "示例数据" in plan.title
        assert indicators.list_targets(sqlite_db, SYSTEM, plan_id).total >= 5
        assert tasks.list_tasks(sqlite_db, SYSTEM, plan_id=plan_id).total >= 3
