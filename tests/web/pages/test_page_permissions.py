"""Every page against every role, generated from the permission table so none is forgotten.

Each page route declares its action (`allowed("…")`); a role the table allows gets the page,
any other role gets 403, and nobody signed in is sent to the sign-in page (GET) or refused (401).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute

from fixtures import ACCOUNTS, import_sample_plan, login
from luoshi.services import SYSTEM, plans, tasks
from luoshi.services.permissions import BY_ACTION, role_allows
from luoshi.web.deps import Requires
from luoshi.web.pages import MODULES

# Pages open to everyone, or to anyone signed in (no action of the permission table).
OPEN = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/lang/{language}"),
    ("GET", "/public/plans/{plan_id}"),
    ("GET", "/"),
}
# Form fields a POST needs to get past validation to the permission check.
FORMS: dict[str, dict[str, str]] = {
    "/plans/{plan_id}/outline/nodes/{node_id}": {"version": "1", "title": "x"},
    "/plans/{plan_id}/outline/nodes/{node_id}/move": {"version": "1", "position": "0"},
    "/plans/{plan_id}/outline/nodes/{node_id}/split": {"version": "1", "at": "1"},
    "/plans/{plan_id}/publish": {"version": "1"},
    "/plans/{plan_id}/indicators/attach": {"code": "T01", "node_path": "1"},
    "/plans/{plan_id}/public": {"version": "1", "public": "true"},
    "/plans/{plan_id}/indicators/{target_id}": {
        "version": "1",
        "kind": "level",
        "attribute": "expected",
        "base_year": "2025",
        "target_year": "2030",
    },
}
UPLOADS = {"/import/plan", "/plans/{plan_id}/import/{table}"}


def page_routes() -> list[tuple[str, str, str | None]]:
    """(method, path, declared action) of every page route."""
    out = []
    for route in (r for module in MODULES for r in module.router.routes):
        assert isinstance(route, APIRoute)
        actions = [
            d.call.action for d in route.dependant.dependencies if isinstance(d.call, Requires)
        ]
        for method in sorted(route.methods - {"HEAD"}):
            out.append((method, route.path, actions[0] if actions else None))
    return out


ROUTES = page_routes()
GUARDED = [r for r in ROUTES if (r[0], r[1]) not in OPEN]


def test_every_page_declares_its_action_or_is_open() -> None:
    assert [(m, p) for m, p, a in GUARDED if a is None] == []
    assert all(a in BY_ACTION for _, _, a in GUARDED)
    assert {(m, p) for m, p, _ in ROUTES} >= OPEN


@pytest.fixture
def world(client: Any, sqlite_db: Any, tmp_path: Any) -> dict[str, Any]:
    plan_id = import_sample_plan(sqlite_db, tmp_path)
    node = plans.outline(sqlite_db, SYSTEM, plan_id).items[1]
    task = tasks.assign_task(sqlite_db, SYSTEM, plan_id, "2.1.1", "fgw")  # the reporter's
    return {
        "plan_id": plan_id,
        "node_id": node.id,
        "target_id": 1,
        "table": "observations",
        "task_id": task.id,
        "node_path": "2.1.1",
        "report_id": 1,
        "milestone_id": 1,
        "reminder_id": 1,
        "message_id": 1,
    }


def _call(client: Any, method: str, path: str, world: dict[str, Any], csrf: str) -> Any:
    url = path.format(**world, language="en")
    if method == "GET":
        return client.get(url, follow_redirects=False)
    data = {"csrf_token": csrf, **FORMS.get(path, {})}
    files = {"file": ("x.csv", b"code,year,value\n", "text/csv")} if path in UPLOADS else None
    return client.post(url, data=data, files=files, follow_redirects=False)


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_each_role_gets_exactly_the_pages_the_table_allows(
    client: Any, world: dict[str, Any], role: str
) -> None:
    csrf = login(client, role)["csrf_token"]
    client.headers.pop("X-CSRF-Token")  # pages send the token as a form field
    for method, path, action in GUARDED:
        r = _call(client, method, path, world, csrf)
        assert action is not None
        if role_allows(role, action):
            assert r.status_code != 403, (method, path, r.status_code)
            if method == "GET":
                assert r.status_code == 200, (path, r.status_code)
        else:
            assert r.status_code == 403, (method, path, r.status_code)


def test_nobody_signed_in_is_sent_to_sign_in(client: Any, world: dict[str, Any]) -> None:
    for method, path, _ in GUARDED:
        r = _call(client, method, path, world, "")
        if method == "GET":
            assert r.status_code == 303, path
            assert re.match(r"^/login\?next=", r.headers["location"]), path
        else:
            assert r.status_code in (401, 403), (path, r.status_code)
