"""Allocation in the product: suggestions, confirmation and correction, learning, the table."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from luoshi.errors import Forbidden, Invalid
from luoshi.services import (
    SYSTEM,
    accounts,
    allocation,
    audit,
    catalog,
    clock,
    plans,
    supervision,
    tasks,
)
from luoshi.services.permissions import Actor

MEASURES = {
    "1.1": "建设氢能产业园区,引进氢能装备企业,打造氢能产业集群。",
    "1.2": "推进氢能产业园区扩容,培育氢能装备龙头企业。",
    "1.3": "做好城市垃圾分类和生活垃圾处理。",
}
OUTLINE = {
    "title": "测试市重点任务",
    "children": [
        {
            "id": "1",
            "kind": "item",
            "marker": "一、",
            "title": "培育未来产业",
            "text": "",
            "targets": [],
            "children": [
                {
                    "id": p,
                    "kind": "measure",
                    "marker": None,
                    "title": None,
                    "text": t,
                    "targets": [],
                    "children": [],
                }
                for p, t in MEASURES.items()
            ],
        }
    ],
}


def actor(db, username):
    user = next(u for u in accounts.list_users(db, SYSTEM).items if u.username == username)
    return Actor(user.id, user.username, user.role, user.department_id)


@pytest.fixture
def plan_id(db) -> Iterator[int]:
    clock.clock().set("2026-02-01")
    result = plans.import_plan(db, SYSTEM, OUTLINE, title=OUTLINE["title"], start_year=2026)
    assert result.plan_id is not None
    yield result.plan_id
    clock.clock().set(None)


def leads(items, path):
    item = next(i for i in items if i.node_path == path)
    return [u.unit for u in item.suggested_lead]


def test_suggestions_cover_every_measure_with_a_reason(db, plan_id):
    items = allocation.suggestions(db, actor(db, "planner"), plan_id)
    assert [i.node_path for i in items] == list(MEASURES)
    assert leads(items, "1.1") == ["市工业和信息化局"]
    assert leads(items, "1.3") == ["市城市管理局"]
    assert all(i.reason and i.key_task == "培育未来产业" and not i.confirmed for i in items)
    with pytest.raises(Forbidden):
        allocation.suggestions(db, actor(db, "reporter"), plan_id)


def test_a_correction_improves_similar_measures_only(db, plan_id):
    planner = actor(db, "planner")
    before = allocation.suggestions(db, planner, plan_id)
    assert "市发展改革委" not in leads(before, "1.2")
    item = allocation.confirm(
        db,
        planner,
        plan_id,
        "1.1",
        ["市发展改革委"],
        ["市工业和信息化局"],
        due_date=date(2026, 12, 31),
    )
    assert (item.lead, item.cooperate, item.confirmed) == (
        ["市发展改革委"],
        ["市工业和信息化局"],
        True,
    )
    after = allocation.suggestions(db, planner, plan_id)
    assert "市发展改革委" in leads(after, "1.2")  # learned from the similar measure
    assert leads(after, "1.3") == leads(before, "1.3")  # an unrelated one is untouched
    events = audit.list_events(db, actor(db, "supervisor"), action="allocation.correct").items
    assert [e.summary for e in events] == ["1.1 → 市发展改革委"]


def test_confirm_creates_tasks_adds_departments_and_reallocates(db, plan_id):
    planner = actor(db, "planner")
    allocation.confirm(
        db, planner, plan_id, "1.3", ["市城管局"], ["市住房城乡建设局"], due_date=date(2026, 9, 30)
    )
    names = {d.id: d.name for d in catalog.list_departments(db, planner)}
    given = tasks.list_tasks(db, planner, plan_id=plan_id, node_path="1.3").items
    assert sorted((names[t.department_id], t.role, t.due_date) for t in given) == [
        ("市住房城乡建设局", "cooperating", date(2026, 9, 30)),
        ("市城市管理局", "lead", date(2026, 9, 30)),  # the alias resolved, the unit added
    ]
    # The cooperating unit reported, then is dropped: its task is closed, not deleted.
    housing = next(t for t in given if t.role == "cooperating")
    supervision.write_report(db, SYSTEM, housing.id, "2026-Q1", "配合开展")
    item = allocation.confirm(db, planner, plan_id, "1.3", ["市城市管理局"], [])
    assert (item.lead, item.cooperate, item.due_date) == (["市城市管理局"], [], None)
    assert tasks.get_task(db, planner, housing.id).status == "closed"
    with pytest.raises(Invalid, match="没有"):
        allocation.confirm(db, planner, plan_id, "1.3", ["不存在的局"])
    with pytest.raises(Invalid, match="牵头"):
        allocation.confirm(db, planner, plan_id, "1.3", [])
    with pytest.raises(Invalid, match="已过"):
        allocation.confirm(db, planner, plan_id, "1.3", ["市城市管理局"], due_date=date(2025, 1, 1))
    with pytest.raises(Forbidden):
        allocation.confirm(db, actor(db, "supervisor"), plan_id, "1.3", ["市城市管理局"])


def test_exported_table_has_the_standard_columns(db, plan_id):
    planner = actor(db, "planner")
    allocation.confirm(db, planner, plan_id, "1.1", ["市发展改革委"], due_date=date(2026, 12, 31))
    book = load_workbook(io.BytesIO(allocation.export_table(db, planner, plan_id, "xlsx")))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1] == ("序号", "重点任务", "具体举措", "牵头单位", "配合单位", "完成时限")
    assert rows[2][:4] == (1, "培育未来产业", MEASURES["1.1"], "市发展改革委")
    assert rows[2][5] == "2026年12月底"
    assert rows[4][3] == "市城市管理局"  # not decided yet: the suggestion
    doc = Document(io.BytesIO(allocation.export_table(db, planner, plan_id, "docx")))
    assert [c.text for c in doc.tables[0].rows[0].cells][2] == "具体举措"
    assert len(doc.tables[0].rows) == 1 + len(MEASURES)
    with pytest.raises(Invalid):
        allocation.export_table(db, planner, plan_id, "pdf")


@pytest.mark.parametrize(
    ("due", "text"),
    [
        (date(2026, 12, 31), "2026年12月底"),
        (date(2026, 2, 28), "2026年2月底"),
        (date(2026, 6, 15), "2026年6月15日"),
        (None, ""),
    ],
)
def test_deadline_text(due, text):
    assert allocation.deadline_text(due) == text
