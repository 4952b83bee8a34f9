"""Two clients edit one object with the same version: exactly one wins, the other gets 409."""

from __future__ import annotations

import threading

import pytest

from fixtures import import_sample_plan
from luoshi.errors import Conflict
from luoshi.services import SYSTEM, audit, plans
from luoshi.services.permissions import Actor

ROUNDS = 5


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_same_version_from_two_threads(db, tmp_path, round_):
    plan = import_sample_plan(db, tmp_path)
    node = next(n for n in plans.outline(db, SYSTEM, plan).items if n.path == "1.1")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(name: str) -> None:
        barrier.wait()
        try:
            plans.update_node(db, Actor(None, name, "planner"), node.id, node.version, title=name)
            outcomes[name] = "ok"
        except Conflict:
            outcomes[name] = "conflict"

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["conflict", "ok"]
    winner = next(n for n, o in outcomes.items() if o == "ok")
    assert plans.get_node(db, SYSTEM, node.id).title == winner
    events = audit.list_events(db, SYSTEM, entity="node", entity_id=str(node.id)).items
    assert [(e.actor_name, e.after["title"]) for e in events] == [(winner, winner)]
