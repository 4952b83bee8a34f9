"""Every API endpoint × every role, generated from the one permission table.

Each route declares its action with `allowed("…")` (luoshi.web.deps.Requires); the test reads
it from the route and expects: roles in PERMISSIONS[action] get neither 401 nor 403, the other
roles get 403, and a client that is not signed in gets 401. Routes without a declared action
must be listed in UNDECLARED with the reason, so no endpoint can be forgotten.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.routing import APIRoute

from fixtures import ACCOUNTS, TestClient, import_sample_plan, login
from luoshi.services import SYSTEM, plans, projects, reporting, supervision, tasks
from luoshi.services.permissions import BY_ACTION, ROLE_NAMES
from luoshi.web.api import MODULES, PREFIX
from luoshi.web.app import create_app
from luoshi.web.deps import Requires

# Routes that need no declared action, and what a client that is not signed in gets.
UNDECLARED: dict[tuple[str, str], tuple[str, int]] = {
    ("GET", "/api/v1/auth/session"): ("anyone: who am I + CSRF token", 200),
    ("POST", "/api/v1/auth/login"): ("anyone: signing in", 200),
    ("POST", "/api/v1/auth/logout"): ("anyone: signing out", 204),
    ("GET", "/api/v1/users/me"): ("any signed-in user", 401),
    # Readable without sign-in only for a plan whose public page is on (it is off here).
    ("GET", "/api/v1/plans/{plan_id}"): ("plan.read or public plan", 401),
    ("GET", "/api/v1/plans/{plan_id}/indicators"): ("indicator.read or public plan", 401),
    ("GET", "/api/v1/plans/{plan_id}/evaluation"): ("indicator.read or public plan", 401),
    ("GET", "/api/v1/indicators/{indicator_id}/observations"): ("indicator.read or public", 401),
}
# The action the service applies when it is finer than the route's (the body decides).
SERVICE_ACTION: dict[tuple[str, str], str] = {
    ("PATCH", "/api/v1/reports/{report_id}"): "report.write",  # a text edit, not a review
}
BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/api/v1/reports/{report_id}"): {"text": "补充说明"},
    ("PATCH", "/api/v1/users/{user_id}"): {"display_name": "改名"},
    ("PATCH", "/api/v1/nodes/{node_id}"): {"title": "改标题"},
    ("GET", "/api/v1/plans/{plan_id}/evaluation"): None,
}
QUERIES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/plans/{plan_id}/evaluation"): "?year=2026",
    ("GET", "/api/v1/plans/{plan_id}/evaluation-reports/narrative"): "?year=2026&kind=annual",
    ("PUT", "/api/v1/plans/{plan_id}/evaluation-reports/narrative"): "?year=2026&kind=annual",
}


def api_routes() -> list[tuple[str, str, str | None]]:
    """(method, path, declared action) of every /api/v1 route."""
    out = []
    for module in MODULES:
        for route in module.router.routes:
            assert isinstance(route, APIRoute)
            actions = [
                d.call.action for d in route.dependant.dependencies if isinstance(d.call, Requires)
            ]
            for method in sorted(route.methods - {"HEAD"}):
                out.append((method, PREFIX + route.path, actions[0] if actions else None))
    return out


ROUTES = api_routes()


def test_every_route_declares_its_action_or_is_listed():
    missing = [(m, p) for m, p, a in ROUTES if a is None and (m, p) not in UNDECLARED]
    assert missing == []
    assert all(a in BY_ACTION for _, _, a in ROUTES if a is not None)


@pytest.fixture(scope="module")
def world(tmp_path_factory, sqlite_template):
    """One app with a plan, a task of the reporter's department and a report on it."""
    from fixtures import _fresh_sqlite, make_settings

    tmp = tmp_path_factory.mktemp("matrix")
    db = _fresh_sqlite(sqlite_template, tmp)
    plan_id = import_sample_plan(db, tmp)
    node = plans.outline(db, SYSTEM, plan_id).items[1]
    task = tasks.assign_task(db, SYSTEM, plan_id, "2.1.1", "fgw")
    report = supervision.write_report(db, SYSTEM, task.id, "2026", "进展")
    settings = make_settings(tmp, db.url)
    app = create_app(settings, db=db, pages=False)
    evidence = settings.data_dir / "evidence"
    attachment = supervision.add_attachment(
        db, SYSTEM, report.id, "a.pdf", "", b"%PDF-1.4", evidence
    )
    step = supervision.add_milestone(db, SYSTEM, task.id, "选址", date(2030, 1, 1))
    reminder = supervision.issue_reminder(db, SYSTEM, task.id, "请报送进展")
    from luoshi.services import indicators

    target = indicators.list_targets(db, SYSTEM, plan_id).items[0]
    obs = indicators.observations(db, SYSTEM, target.indicator.id)[0]
    ids = {
        "plan_id": plan_id,
        "node_id": node.id,
        "task_id": task.id,
        "report_id": report.id,
        "target_id": target.id,
        "indicator_id": target.indicator.id,
        "observation_id": obs.id,
        "user_id": 1,
        "node_path": "2.1.1",
        "attachment_id": attachment.id,
        "milestone_id": step.id,
        "reminder_id": reminder.id,
        "message_id": 1,
        "project_id": projects.add_project(db, SYSTEM, plan_id, "产业园").id,
        "evaluation_report_id": reporting.generate(db, SYSTEM, plan_id, 2026, "annual", "html").id,
    }
    clients: dict[str, TestClient] = {}
    for role in [*ROLE_NAMES, "anonymous"]:
        client = TestClient(app)
        client.__enter__()
        if role != "anonymous":
            login(client, role)
        else:
            client.headers["X-CSRF-Token"] = client.get("/api/v1/auth/session").json()["csrf_token"]
        clients[role] = client
    yield ids, clients
    for client in clients.values():
        client.__exit__(None, None, None)
    db.dispose()


def _call(client: TestClient, method: str, path: str, ids: dict[str, int]) -> int:
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
    url += QUERIES.get((method, path), "")
    kwargs: dict[str, Any] = {"headers": {"If-Match": '"1"'}}
    if method != "GET":
        kwargs["json"] = BODIES.get((method, path), {})
    return client.request(method, url, **kwargs).status_code


MATRIX = [
    pytest.param(m, p, a, role, id=f"{m} {p} {role}")
    for m, p, a in ROUTES
    if not p.startswith("/api/v1/auth/")
    for role in [*ROLE_NAMES, "anonymous"]
]


@pytest.mark.parametrize(("method", "path", "action", "role"), MATRIX)
def test_endpoint_role(world, method, path, action, role):
    ids, clients = world
    status = _call(clients[role], method, path, ids)
    if role == "anonymous":
        expected = UNDECLARED.get((method, path), ("", 401))[1]
        assert status == expected
        return
    action = SERVICE_ACTION.get((method, path), action)
    if action is None or role in BY_ACTION[action].roles:
        # Reads must really answer; a change may still be refused for its content (409, 422).
        assert status == 200 if method == "GET" else status not in (401, 403), status
    else:
        assert status == 403


def test_accounts_cover_every_role():
    assert set(ACCOUNTS) == set(ROLE_NAMES)
