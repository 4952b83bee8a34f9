"""The standard indicator library, the rule tables and the city sample are complete data."""

from __future__ import annotations

import csv
from pathlib import Path

from luoshi.indicators import (
    GOALS,
    KINDS,
    STATUSES,
    load_library,
    read_indicators,
    read_observations,
)
from luoshi.indicators.rules import reasons, sdg_statuses, warning_rules

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "src" / "luoshi" / "data" / "samples"


def test_library_has_sixty_complete_indicators() -> None:
    lib = load_library()
    assert len(lib) >= 60
    assert len({i.code for i in lib}) == len(lib)
    for i in lib:
        assert i.kind in KINDS and i.goal in GOALS and i.direction in ("up", "down"), i.code
        assert i.attribute in ("expected", "binding"), i.code
        assert i.name and i.definition and i.source_department and i.category, i.code
    assert {i.goal for i in lib} == set(GOALS)  # every one of the seven goals is measured
    assert {i.kind for i in lib} == set(KINDS)


def test_docs_list_every_library_indicator_and_status() -> None:
    indicators_md = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    method_md = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    for i in load_library():
        assert i.code in indicators_md
    for code in list(STATUSES) + list(KINDS):
        assert f"`{code}`" in method_md


def test_every_kind_and_status_has_its_sentence() -> None:
    families = {k.family for k in KINDS.values()}
    table = reasons()
    for fam in families - {"qualitative"}:
        for status in ("in_line", "lagging", "achieved", "not_achieved"):
            assert (fam, status) in table, (fam, status)
    assert warning_rules()[-1].status == "*"  # the last rule catches everything
    assert {r.code for r in sdg_statuses("un")} == {r.code for r in sdg_statuses("open_sdg")}
    assert {s.colour[:1] for s in STATUSES.values()} == {"#"}


def test_city_sample_is_labelled_and_uses_the_library() -> None:
    table = read_indicators(SAMPLES / "city-indicators.csv")
    read_observations(SAMPLES / "city-observations.csv", table)
    library = {i.code for i in load_library()}
    assert {i.library_code for i in table} <= library
    assert {i.kind for i in table} == set(KINDS)
    assert {(i.base_year, i.target_year) for i in table} == {(2025, 2030)}
    with (SAMPLES / "city-observations.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["来源"] for r in rows} == {"示例数据 illustrative"}
    assert {int(r["年份"]) for r in rows} == set(range(2021, 2027))
