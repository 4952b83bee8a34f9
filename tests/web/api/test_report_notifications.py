"""Report submission and review through the JSON API tell the same people as the pages do:
a submission reaches those who review reports, a review reaches the report's author."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fixtures import TestClient, import_sample_plan, login, make_settings
from luoshi.services import SYSTEM, tasks
from luoshi.storage import Database
from luoshi.web.app import create_app


@pytest.fixture
def world(db: Database, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Signed-in API clients by role on one app, and a task of the reporter's department."""
    plan_id = import_sample_plan(db, tmp_path)
    task = tasks.assign_task(db, SYSTEM, plan_id, "2.1.1", "fgw")
    app = create_app(make_settings(tmp_path, db.url), db=db, pages=False)
    out: dict[str, Any] = {"task_id": task.id, "plan_id": plan_id}
    for who in ("planner", "supervisor", "reporter", "reporter2"):
        client = TestClient(app)
        client.__enter__()
        login(client, who)
        out[who] = client
    yield out
    for who in ("planner", "supervisor", "reporter", "reporter2"):
        out[who].__exit__(None, None, None)


def _inbox(client: TestClient) -> list[tuple[str, str]]:
    return [(m["kind"], m["body"]) for m in client.get("/api/v1/inbox").json()["items"]]


def _submit(world: dict[str, Any], **body: Any) -> dict[str, Any]:
    r = world["reporter"].post(
        f"/api/v1/tasks/{world['task_id']}/reports",
        json={"period": "2026-Q1", "text": "园区完成规划", "percent": 30, "submit": True} | body,
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_report_submitted_through_the_api_reaches_the_supervisor(world):
    report = _submit(world)
    assert report["status"] == "submitted"
    [message] = world["supervisor"].get("/api/v1/inbox").json()["items"]
    assert (message["kind"], message["body"]) == ("report.submitted", "园区完成规划")
    assert "市发展改革委" in message["subject"]
    assert message["link"] == (
        f"/plans/{world['plan_id']}/supervision/tasks/{world['task_id']}#report-{report['id']}"
    )
    assert _inbox(world["planner"]) == []  # planners do not review reports
    assert _inbox(world["reporter"]) == []


def test_a_draft_submitted_by_patch_reaches_the_supervisor_once(world):
    draft = _submit(world, submit=False, text="初稿")
    assert _inbox(world["supervisor"]) == []  # a draft tells nobody
    url = f"/api/v1/reports/{draft['id']}"
    edited = world["reporter"].patch(url, json={"text": "定稿"}, headers={"If-Match": '"1"'})
    assert edited.status_code == 200, edited.text
    assert _inbox(world["supervisor"]) == []  # nor does an edit
    other = world["reporter2"].patch(url, json={"status": "submitted"}, headers={"If-Match": '"2"'})
    assert other.status_code == 403  # another department's report
    stale = world["reporter"].patch(url, json={"status": "submitted"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert _inbox(world["supervisor"]) == []
    sent = world["reporter"].patch(url, json={"status": "submitted"}, headers={"If-Match": '"2"'})
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert _inbox(world["supervisor"]) == [("report.submitted", "定稿")]


def test_returning_by_patch_reaches_the_author(world):
    report = _submit(world)
    url = f"/api/v1/reports/{report['id']}"
    own = world["reporter"].patch(
        url, json={"status": "returned", "review_note": "x"}, headers={"If-Match": '"1"'}
    )
    assert own.status_code == 403  # a reporter does not review
    back = world["supervisor"].patch(
        url,
        json={"status": "returned", "review_note": " 请补充园区批复 "},
        headers={"If-Match": '"1"'},
    )
    assert back.status_code == 200, back.text
    assert (back.json()["status"], back.json()["review_note"]) == ("returned", "请补充园区批复")
    assert _inbox(world["reporter"]) == [("report.returned", "请补充园区批复")]
    assert _inbox(world["reporter2"]) == []
    # resubmitted and accepted: the supervisor hears of it again, then the author
    again = world["reporter"].patch(url, json={"status": "submitted"}, headers={"If-Match": '"2"'})
    assert again.status_code == 200, again.text
    assert [kind for kind, _ in _inbox(world["supervisor"])] == ["report.submitted"] * 2
    ok = world["supervisor"].patch(url, json={"status": "accepted"}, headers={"If-Match": '"3"'})
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert [kind for kind, _ in _inbox(world["reporter"])] == ["report.accepted", "report.returned"]


@pytest.mark.parametrize(
    "body", [{"status": "returned"}, {"status": "returned", "review_note": " "}]
)
def test_returning_without_a_comment_is_refused_and_stores_nothing(world, body):
    report = _submit(world)
    url = f"/api/v1/reports/{report['id']}"
    r = world["supervisor"].patch(url, json=body, headers={"If-Match": '"1"'})
    assert r.status_code == 422
    assert "退回时请写明原因" in r.json()["error"]
    now = world["supervisor"].get(url).json()
    assert (now["status"], now["version"], now["review_note"]) == ("submitted", 1, "")
    assert _inbox(world["reporter"]) == []
    history = world["supervisor"].get("/api/v1/audit", params={"action": "report.returned"})
    assert history.status_code == 200 and history.json()["total"] == 0
