"""Cached reads stay correct across workers: a change made through one app instance shows at
once through another instance on the same database, and ETags revalidate (304) until then.

The overview, the indicator table and the outline are kept per process keyed by a stamp of
the data read on every request; nothing tells the other instance about the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fixtures import import_sample_plan, login, make_settings
from luoshi.storage import Database
from luoshi.web.app import create_app

Write = Callable[[TestClient, int], None]


@pytest.fixture
def two_workers(db: Database, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient, int]]:
    """Two app instances (own engines, like two worker processes) on one database."""
    plan = import_sample_plan(db, tmp_path)
    clients = []
    for name in ("a", "b"):
        app = create_app(make_settings(tmp_path / name, db.url), db=Database(db.url))
        client = TestClient(app)
        login(client, "planner")
        clients.append(client)
    yield clients[0], clients[1], plan
    for client in clients:
        client.close()
        client.app.state.db.dispose()


def node(client: TestClient, plan: int, path: str) -> dict[str, Any]:
    nodes = client.get(f"/api/v1/plans/{plan}/outline").json()["items"]
    return next(n for n in nodes if n["path"] == path)


def rename_node(client: TestClient, plan: int) -> None:
    n = node(client, plan, "1.2")
    r = client.patch(
        f"/api/v1/nodes/{n['id']}",
        json={"title": "改后的标题"},
        headers={"If-Match": f'"{n["version"]}"'},
    )
    assert r.status_code == 200, r.text


def move_node(client: TestClient, plan: int) -> None:
    n = node(client, plan, "2.1.2")
    r = client.post(
        f"/api/v1/nodes/{n['id']}/move",
        json={"parent_id": None, "position": 0},
        headers={"If-Match": f'"{n["version"]}"'},
    )
    assert r.status_code == 200, r.text


def change_target(client: TestClient, plan: int) -> None:
    rows = client.get(f"/api/v1/plans/{plan}/indicators").json()["items"]
    t01 = next(r for r in rows if r["indicator"]["code"] == "T01")
    r = client.patch(
        f"/api/v1/targets/{t01['id']}",
        json={"target": 99.5},
        headers={"If-Match": f'"{t01["version"]}"'},
    )
    assert r.status_code == 200, r.text


def add_observation(client: TestClient, plan: int) -> None:
    r = client.put("/api/v1/observations", json={"code": "T01", "year": 2027, "value": 70.0})
    assert r.status_code == 200, r.text


def rename_plan(client: TestClient, plan: int) -> None:
    version = client.get(f"/api/v1/plans/{plan}").json()["version"]
    r = client.patch(
        f"/api/v1/plans/{plan}",
        json={"title": "新的规划标题"},
        headers={"If-Match": f'"{version}"'},
    )
    assert r.status_code == 200, r.text


def outline_order(text: str) -> list[str]:
    import json

    return [n["path"] for n in json.loads(text)["items"]]


# (read path, write through the other worker, what the reader sees before / after)
CASES: list[tuple[str, Write, Callable[[str], Any]]] = [
    ("/api/v1/plans/{plan}/outline", rename_node, lambda body: "改后的标题" in body),
    ("/api/v1/plans/{plan}/outline", move_node, lambda body: outline_order(body)[0] == "2.1.2"),
    ("/api/v1/plans/{plan}/indicators", change_target, lambda body: "99.5" in body),
    ("/plans/{plan}", add_observation, lambda body: 'value="2027" selected' in body),
    ("/plans/{plan}", rename_plan, lambda body: "新的规划标题" in body),
]


@pytest.mark.parametrize(
    ("path", "write", "changed"), CASES, ids=lambda c: getattr(c, "__name__", None)
)
def test_a_change_through_one_worker_shows_at_once_through_the_other(
    two_workers: tuple[TestClient, TestClient, int],
    path: str,
    write: Write,
    changed: Callable[[str], Any],
) -> None:
    a, b, plan = two_workers
    url = path.format(plan=plan)
    for _ in range(2):  # the second read comes from b's cache
        before = b.get(url)
        assert before.status_code == 200
        assert not changed(before.text)
    write(a, plan)
    after = b.get(url)
    assert after.status_code == 200
    assert changed(after.text)


@pytest.mark.parametrize(
    "path", ["/api/v1/plans/{plan}/outline", "/api/v1/plans/{plan}/indicators"]
)
def test_an_unchanged_list_revalidates_with_304_until_the_other_worker_changes_it(
    two_workers: tuple[TestClient, TestClient, int], path: str
) -> None:
    a, b, plan = two_workers
    url = path.format(plan=plan)
    first = b.get(url)  # httpx asks for gzip, as browsers do
    assert first.headers["Content-Encoding"] == "gzip"
    assert first.json()["items"]
    assert b.get(url, headers={"Accept-Encoding": "identity"}).json() == first.json()
    tag = first.headers["ETag"]
    again = b.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert a.get(url, headers={"If-None-Match": tag}).status_code == 304  # same data, same tag
    (rename_node if "outline" in path else change_target)(a, plan)
    fresh = b.get(url, headers={"If-None-Match": tag})
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] != tag
    assert fresh.json()["items"]


def test_filtered_lists_have_their_own_tags(
    two_workers: tuple[TestClient, TestClient, int],
) -> None:
    _, b, plan = two_workers
    whole = b.get(f"/api/v1/plans/{plan}/outline")
    measures = b.get(f"/api/v1/plans/{plan}/outline", params={"kind": "measure"})
    assert whole.headers["ETag"] != measures.headers["ETag"]
    assert {n["kind"] for n in measures.json()["items"]} == {"measure"}
    assert len(measures.json()["items"]) < len(whole.json()["items"])
