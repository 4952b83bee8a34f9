"""The supervision API as clients see it: a reporter's file reaches only those allowed, as a
download; the board, review, reminders and inbox; the allocation table as files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook

from fixtures import TestClient, login, make_settings
from luoshi.services import SYSTEM, clock, tasks
from luoshi.web.app import create_app

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture
def clients(settings, sqlite_db, plan_id) -> Iterator[dict[str, Any]]:
    """Signed-in API clients by role (and reporter2 of another department) on one app."""
    clock.clock().set("2026-03-01")
    app = create_app(settings, db=sqlite_db, pages=False)
    out: dict[str, Any] = {}
    for who in ("planner", "supervisor", "reporter", "reporter2", "viewer"):
        client = TestClient(app)
        client.__enter__()
        login(client, who)
        out[who] = client
    yield out
    for client in out.values():
        client.__exit__(None, None, None)
    clock.clock().set(None)


@pytest.fixture
def task_id(sqlite_db, plan_id) -> int:
    return tasks.assign_task(sqlite_db, SYSTEM, plan_id, "2.1.1", "fgw").id


def _report(c: dict[str, Any], task_id: int) -> dict[str, Any]:
    r = c["reporter"].post(
        f"/api/v1/tasks/{task_id}/reports",
        json={"period": "2026-Q1", "text": "园区完成规划", "percent": 30, "submit": True},
    )
    assert r.status_code == 201, r.text
    return r.json()


def test_evidence_upload_and_download(clients, task_id):
    report = _report(clients, task_id)
    url = f"/api/v1/reports/{report['id']}/attachments"
    fake = clients["reporter"].post(
        url, files={"file": ("批复.pdf", b"MZ\x90\0" * 64, "application/pdf")}
    )
    assert fake.status_code == 422
    assert "批复.pdf" in fake.json()["error"]
    up = clients["reporter"].post(url, files={"file": ("批复.pdf", PDF, "text/html")})
    assert up.status_code == 201, up.text
    assert up.json()["content_type"] == "application/pdf"
    get = f"/api/v1/attachments/{up.json()['id']}"
    r = clients["supervisor"].get(get)
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in r.headers["content-security-policy"]
    assert clients["reporter2"].get(get).status_code == 403


def test_evidence_over_the_size_limit_is_refused_and_nothing_is_stored(
    tmp_path, sqlite_db, task_id
):
    settings = make_settings(tmp_path, sqlite_db.url, max_upload_mb=1)
    with TestClient(create_app(settings, db=sqlite_db, pages=False)) as client:
        login(client, "reporter")
        report = _report({"reporter": client}, task_id)
        big = PDF + b"0" * (1 << 20)
        r = client.post(
            f"/api/v1/reports/{report['id']}/attachments",
            files={"file": ("大文件.pdf", big, "application/pdf")},
        )
        assert r.status_code == 422
        assert "1 MB" in r.json()["error"]
        assert client.get(f"/api/v1/reports/{report['id']}/attachments").json() == []
    assert not (tmp_path / "data" / "evidence").exists()


def test_return_a_report_then_the_author_sees_it_in_the_inbox(clients, task_id):
    report = _report(clients, task_id)
    url = f"/api/v1/reports/{report['id']}/review"
    no_comment = clients["supervisor"].post(
        url, json={"decision": "return"}, headers={"If-Match": '"1"'}
    )
    assert no_comment.status_code == 422
    stale = clients["supervisor"].post(
        url, json={"decision": "return", "comment": "补充"}, headers={"If-Match": '"9"'}
    )
    assert stale.status_code == 409
    ok = clients["supervisor"].post(
        url, json={"decision": "return", "comment": "请补充批复"}, headers={"If-Match": '"1"'}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "returned"
    inbox = clients["reporter"].get("/api/v1/inbox", params={"unread": True}).json()
    assert [m["body"] for m in inbox["items"]] == ["请补充批复"]
    assert clients["reporter2"].get("/api/v1/inbox").json()["total"] == 0


def test_board_and_reminder(clients, task_id, plan_id):
    clock.clock().set("2026-06-01")  # 92 days without a report
    board = clients["viewer"].get(f"/api/v1/plans/{plan_id}/board", params={"by": "department"})
    assert board.status_code == 200
    [group] = board.json()["groups"]
    assert (group["key"], group["warning"], group["counts"]["stalled"]) == (
        "市发展改革委",
        "yellow",
        1,
    )
    assert clients["reporter2"].get(f"/api/v1/plans/{plan_id}/board").json()["groups"] == []
    bad = clients["viewer"].get(f"/api/v1/plans/{plan_id}/board", params={"by": "colour"})
    assert bad.status_code == 422
    r = clients["supervisor"].post(
        f"/api/v1/tasks/{task_id}/reminders", json={"title": "请报送进展"}
    )
    assert r.status_code == 201
    assert clients["reporter"].get("/api/v1/reminders").json()["total"] == 1
    assert clients["reporter2"].get("/api/v1/reminders").json()["total"] == 0
    card = clients["supervisor"].get(f"/api/v1/plans/{plan_id}/scorecards/export")
    assert card.headers["content-type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_allocation_table_downloads(clients, plan_id, fmt):
    r = clients["planner"].put(
        f"/api/v1/plans/{plan_id}/allocation/2.1.1",
        json={"lead": ["市工业和信息化局"], "cooperate": ["市科技局"], "due_date": "2026-12-31"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["lead"] == ["市工业和信息化局"]
    table = clients["planner"].get(
        f"/api/v1/plans/{plan_id}/allocation/export", params={"format": fmt}
    )
    assert table.status_code == 200
    assert table.headers["content-disposition"].startswith("attachment;")
    if fmt == "xlsx":
        rows = list(
            load_workbook(io.BytesIO(table.content)).worksheets[0].iter_rows(values_only=True)
        )
        assert rows[2][3:6] == ("市工业和信息化局", "市科技局", "2026年12月底")
    assert clients["reporter"].get(f"/api/v1/plans/{plan_id}/allocation").status_code == 403
