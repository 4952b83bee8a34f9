"""A city plan with one district plan below it, for the alignment and roll-up tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fixtures import import_sample_plan
from luoshi.services import SYSTEM, catalog, indicators, plans, regions
from luoshi.services.permissions import Actor

PLANNER = Actor(2, "planner", "planner")
REPORTER = Actor(4, "reporter", "reporter", department_id=1)
VIEWER = Actor(5, "viewer", "viewer")

# A district plan written in its own words; it carries out the city outline of fixtures.OUTLINE.
DISTRICT_OUTLINE: dict[str, Any] = {
    "title": "测试区“十五五”规划",
    "children": [
        {
            "id": "1",
            "kind": "part",
            "title": "发展目标",
            "children": [
                {
                    "id": "1.1",
                    "kind": "item",
                    "title": "经济发展取得新成效",
                    "text": "城镇化率达到84%。",
                },
            ],
        },
        {
            "id": "2",
            "kind": "part",
            "title": "重点任务",
            "children": [
                {
                    "id": "2.1",
                    "kind": "item",
                    "title": "做强新材料和高端装备产业",
                    "text": "建设新材料产业园，发展高端装备。",
                },
            ],
        },
    ],
}
# The district names the city's 常住人口城镇化率 its own way and lacks 研发经费投入强度.
DISTRICT_INDICATORS = """\
code,name,unit,attribute,direction,base_year,base_value,target_year,kind,target
Q-01,城镇化率,%,expected,up,2025,79.0,2030,level,84
"""
DISTRICT_OBSERVATIONS = "code,year,value\nQ-01,2026,79.8\n"


def district_world(db: Any, tmp_path: Path) -> tuple[int, int]:
    """A city plan (fixtures.OUTLINE with T01, T02) and one district plan below it."""
    for code, name, level, parent in (
        ("P1", "测试省", "province", None),
        ("C1", "测试市", "city", "P1"),
        ("D1", "测试区", "district", "C1"),
    ):
        catalog.add_region(db, SYSTEM, code, name, level, parent)
    city = import_sample_plan(db, tmp_path)
    regions.set_plan_region(db, SYSTEM, city, "C1", None)
    district = plans.import_plan(
        db, SYSTEM, DISTRICT_OUTLINE, title="测试区规划", region_code="D1", start_year=2026,
        end_year=2030,
    ).plan_id  # fmt: skip
    assert district is not None
    table = tmp_path / "district.csv"
    table.write_text(DISTRICT_INDICATORS, encoding="utf-8")
    indicators.import_indicators(db, SYSTEM, district, table)
    obs = tmp_path / "district-obs.csv"
    obs.write_text(DISTRICT_OBSERVATIONS, encoding="utf-8")
    indicators.import_observations(db, SYSTEM, obs, plan_id=district)
    return city, district
