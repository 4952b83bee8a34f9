"""Major projects of a plan: add, change with versions, list, refuse bad values."""

from __future__ import annotations

import pytest

from fixtures import import_sample_plan
from luoshi.errors import Conflict, Forbidden, Invalid
from luoshi.services import SYSTEM, audit, projects
from luoshi.services.permissions import Actor


@pytest.fixture
def plan(db, tmp_path):
    return import_sample_plan(db, tmp_path)


def test_add_change_and_list(db, plan):
    added = projects.add_project(
        db,
        SYSTEM,
        plan,
        "新材料产业园",
        node_path="2.1.1",
        department_code="gxj",
        start_year=2026,
        end_year=2028,
        investment=35.5,
    )
    changed = projects.update_project(db, SYSTEM, added.id, added.version, investment=40.0)
    assert (changed.investment, changed.version) == (40.0, 2)
    listed = projects.list_projects(db, SYSTEM, plan, node_path="2.1.1")
    assert [p.name for p in listed.items] == ["新材料产业园"]
    events = audit.list_events(db, SYSTEM, entity="project").items
    assert [e.action for e in events] == ["project.update", "project.add"]
    with pytest.raises(Conflict):
        projects.update_project(db, SYSTEM, added.id, added.version, investment=1.0)


@pytest.mark.parametrize(
    "fields",
    [
        {"node_path": "9.9"},
        {"department_code": "nope"},
        {"start_year": 2030, "end_year": 2026},
        {"investment": -1.0},
    ],
)
def test_bad_values_are_refused(db, plan, fields):
    with pytest.raises(Invalid):
        projects.add_project(db, SYSTEM, plan, "项目", **fields)
    assert projects.list_projects(db, SYSTEM, plan).total == 0


def test_viewer_cannot_add(db, plan):
    with pytest.raises(Forbidden):
        projects.add_project(db, Actor(None, "v", "viewer"), plan, "项目")
