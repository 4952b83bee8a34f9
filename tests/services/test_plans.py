"""Plans and outlines through the services: edit, move, split, publish, audit, versions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fixtures import OUTLINE, import_sample_plan
from luoshi.errors import Conflict, Forbidden, Invalid
from luoshi.services import SYSTEM, audit, plans
from luoshi.services.permissions import Actor
from luoshi.storage.models import AuditEvent, OutlineNode

VIEWER = Actor(None, "viewer", "viewer")
PLANNER = Actor(None, "planner", "planner")


@pytest.fixture
def plan(db, tmp_path):
    return import_sample_plan(db, tmp_path)


def node(db, plan_id, path):
    return next(n for n in plans.outline(db, SYSTEM, plan_id).items if n.path == path)


def test_import_keeps_the_tree_in_order(db, plan):
    items = plans.outline(db, SYSTEM, plan).items
    assert [n.path for n in items] == ["1", "1.1", "1.2", "2", "2.1", "2.1.1", "2.1.2"]
    first = items[1]
    assert (first.marker, first.title, first.span_start, first.span_end) == (
        "一是",
        "推动经济发展取得新成效",
        10,
        40,
    )
    assert first.targets == OUTLINE["children"][0]["children"][0]["targets"]
    assert plans.get_plan(db, SYSTEM, plan).draft.number == 1


def test_outline_filters_by_kind_and_text(db, plan):
    measures = plans.outline(db, SYSTEM, plan, kind="measure")
    assert [n.path for n in measures.items] == ["2.1.1", "2.1.2"]
    found = plans.outline(db, SYSTEM, plan, q="新材料")
    assert {n.path for n in found.items} == {"2.1", "2.1.1"}


def test_edit_writes_one_audit_event_with_before_and_after(db, plan):
    target = node(db, plan, "2.1.1")
    edited = plans.update_node(db, PLANNER, target.id, target.version, title="做强新材料产业集群")
    assert edited.version == target.version + 1
    events = audit.list_events(db, SYSTEM, entity="node", entity_id=str(target.id)).items
    assert len(events) == 1
    assert events[0].before == {"title": "做强新材料产业", "version": 1}
    assert events[0].after == {"title": "做强新材料产业集群", "version": 2}
    assert events[0].actor_name == "planner"


def test_stale_version_is_refused_and_changes_nothing(db, plan):
    target = node(db, plan, "1.1")
    plans.update_node(db, PLANNER, target.id, target.version, title="第一次")
    with pytest.raises(Conflict):
        plans.update_node(db, PLANNER, target.id, target.version, title="第二次")
    assert plans.get_node(db, SYSTEM, target.id).title == "第一次"


def test_viewer_cannot_edit(db, plan):
    target = node(db, plan, "1.1")
    with pytest.raises(Forbidden):
        plans.update_node(db, VIEWER, target.id, target.version, title="x")


def test_unknown_fields_are_refused(db, plan):
    target = node(db, plan, "1.1")
    with pytest.raises(Invalid):
        plans.update_node(db, PLANNER, target.id, target.version, path="9")


def test_move_renumbers_both_sibling_lists(db, plan):
    moved = node(db, plan, "2.1.2")
    goals = node(db, plan, "1")
    plans.move_node(db, PLANNER, moved.id, moved.version, parent_id=goals.id, position=0)
    items = plans.outline(db, SYSTEM, plan).items
    assert [n.path for n in items] == ["1", "2.1.2", "1.1", "1.2", "2", "2.1", "2.1.1"]
    assert [n.position for n in items if n.parent_id == goals.id] == [0, 1, 2]


def test_move_under_own_descendant_is_refused(db, plan):
    part = node(db, plan, "2")
    child = node(db, plan, "2.1.1")
    with pytest.raises(Invalid):
        plans.move_node(db, PLANNER, part.id, part.version, parent_id=child.id, position=0)


def test_split_makes_a_sibling_with_the_rest_of_the_text(db, plan):
    target = node(db, plan, "2.1.1")
    head, tail = plans.split_node(db, PLANNER, target.id, target.version, at=8)
    assert (head.text, tail.text) == ("做强新材料产业。", "建设新材料产业园。")
    assert tail.path == "2.1.1~2" and tail.title == "建设新材料产业园"
    paths = [n.path for n in plans.outline(db, SYSTEM, plan).items]
    assert paths[-3:] == ["2.1.1", "2.1.1~2", "2.1.2"]


def test_publish_freezes_the_version_and_opens_a_new_draft(db, plan):
    view = plans.get_plan(db, SYSTEM, plan)
    published = plans.publish_version(db, PLANNER, plan, view.version)
    assert [(v.number, v.status) for v in published.versions] == [(1, "published"), (2, "draft")]
    old = plans.outline(db, SYSTEM, plan, version_number=1).items
    new = plans.outline(db, SYSTEM, plan).items
    assert [n.path for n in old] == [n.path for n in new]
    with pytest.raises(Invalid):
        plans.update_node(db, PLANNER, old[1].id, old[1].version, title="改已发布版本")
    plans.update_node(db, PLANNER, new[1].id, new[1].version, title="草稿里改")
    assert plans.outline(db, SYSTEM, plan, version_number=1).items[1].title == old[1].title
    with pytest.raises(Conflict):
        plans.publish_version(db, PLANNER, plan, view.version)


def test_a_failed_change_leaves_no_audit_event(db, plan):
    with db.read() as s:
        before = s.scalar(select(func.count(AuditEvent.id)))
        nodes = s.scalar(select(func.count(OutlineNode.id)))
    with pytest.raises(Invalid):
        plans.import_plan(db, PLANNER, {"children": [{"id": "1"}, {"id": "1"}]}, title="重复编号")
    with db.read() as s:
        assert s.scalar(select(func.count(AuditEvent.id))) == before
        assert s.scalar(select(func.count(OutlineNode.id))) == nodes


def test_changing_a_plans_years_is_checked_like_importing(db, plan):
    before = plans.get_plan(db, SYSTEM, plan)
    with pytest.raises(Invalid, match="end_year"):
        plans.update_plan(db, SYSTEM, plan, before.version, end_year=20300)
    # Against the stored start year (2026), an end year of 2025 ends before it starts.
    with pytest.raises(Invalid, match="start_year 2026"):
        plans.update_plan(db, SYSTEM, plan, before.version, end_year=2025)
    after = plans.get_plan(db, SYSTEM, plan)
    assert (after.end_year, after.version) == (before.end_year, before.version)
    assert plans.update_plan(db, SYSTEM, plan, before.version, end_year=2035).end_year == 2035
