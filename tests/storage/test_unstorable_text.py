"""Text no database can hold (NUL, a lone surrogate) is refused with the field named, on SQLite
and PostgreSQL alike, before anything is written."""

from __future__ import annotations

import pytest

from fixtures import OUTLINE, PASSWORD, login
from luoshi.errors import Invalid
from luoshi.services import SYSTEM, audit, plans
from luoshi.storage import Database


@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b", "\udfff"])
def test_unstorable_text_is_refused_and_nothing_changes(db: Database, bad: str) -> None:
    plan_id = plans.import_plan(db, SYSTEM, OUTLINE, title="规划").plan_id
    node = plans.outline(db, SYSTEM, plan_id).items[0]
    events = len(audit.list_events(db, SYSTEM).items)
    with pytest.raises(Invalid, match="cannot be stored") as refused:
        plans.update_node(db, SYSTEM, node.id, node.version, title=bad)
    assert refused.value.where == "title"
    after = plans.get_node(db, SYSTEM, node.id)
    assert (after.title, after.version) == (node.title, node.version)
    assert len(audit.list_events(db, SYSTEM).items) == events
    # Ordinary text, Chinese and astral characters included, is stored as given.
    fine = "推进𠀀产业\t升级"
    assert plans.update_node(db, SYSTEM, node.id, node.version, title=fine).title == fine


def test_the_api_answers_422_naming_the_field(api_client, plan_id: int) -> None:
    login(api_client, "planner", PASSWORD)
    node = api_client.get(f"/api/v1/plans/{plan_id}/outline").json()["items"][0]
    r = api_client.patch(
        f"/api/v1/nodes/{node['id']}",
        content=b'{"title": "a\\ud800b"}',
        headers={"Content-Type": "application/json", "If-Match": f'"{node["version"]}"'},
    )
    assert r.status_code == 422 and "title" in r.text and "cannot be stored" in r.text
