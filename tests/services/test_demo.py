"""The demo `make run` loads, as a first-time user meets it: a judged plan, its districts."""

from __future__ import annotations

from collections import Counter

import pytest

from luoshi.indicators import GOALS
from luoshi.services import SYSTEM, dashboard, indicators, regions
from luoshi.services.demo import load_demo
from luoshi.storage import Database, upgrade


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo in a fresh database, loaded once for the module's read-only checks."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}")
    upgrade(db)
    summary = load_demo(db)
    yield db, summary
    db.dispose()


def test_the_overview_judges_nearly_every_indicator_of_every_goal(demo):
    db, summary = demo
    view = dashboard.overview(db, SYSTEM, summary.plan_id)
    assert view.total == summary.indicators >= 30
    # At most one in ten grey (无法评估); the rest a mix a leader would believe.
    assert view.counts.get("not_evaluable", 0) <= view.total // 10
    assert {"achieved_early", "faster", "in_line", "lagging"} <= set(view.counts)
    assert view.counts["in_line"] < view.total * 0.8
    # Every goal of the plan has judged indicators; none is left outside a goal.
    assert len(view.groups) == len(GOALS)
    assert all(g.node_path and g.total >= 3 for g in view.groups)
    assert all(sum(g.counts.values()) - g.counts.get("not_evaluable", 0) > 0 for g in view.groups)


def test_every_demo_observation_is_labelled_illustrative(demo):
    db, summary = demo
    targets = indicators.list_targets(db, SYSTEM, summary.plan_id, limit=1000).items
    sources = Counter(
        o.source for t in targets for o in indicators.observations(db, SYSTEM, t.indicator.id)
    )
    assert set(sources) == {"示例数据 illustrative"}


def test_the_rollup_lists_only_district_indicators_as_missing(demo):
    db, summary = demo
    view = regions.rollup(db, SYSTEM, summary.plan_id)
    assert [d.region.code for d in view.districts] == ["D01", "D02", "D03"]
    # The national series the city compares its growth with is marked, and no district lacks it.
    benchmarks = [c.code for c in view.columns if c.benchmark]
    assert benchmarks == ["N01"]
    for d in view.districts:
        assert d.gaps and "N01" not in d.gaps
        assert len(d.gaps) < len(view.columns) * 0.8
    # The city's GDP growth, the benchmark of fiscal revenue, is still each district's own.
    gdp = next(k for k, c in enumerate(view.columns) if c.code == "C01")
    assert all(d.cells[gdp] is not None for d in view.districts)
