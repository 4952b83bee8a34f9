"""Evaluation reports through /api/v1: narrative with If-Match, generation, history, download."""

from __future__ import annotations

import io
from typing import get_args

import pytest
from docx import Document

from fixtures import TestClient, login
from luoshi.reports import FORMATS
from luoshi.reports.model import KINDS
from luoshi.web.api.reports import Format, Kind

NARRATIVE = "/api/v1/plans/{}/evaluation-reports/narrative?year=2026&kind=annual"
REPORTS = "/api/v1/plans/{}/evaluation-reports"


def test_the_api_offers_every_kind_and_format() -> None:
    assert set(get_args(Kind)) == set(KINDS) and set(get_args(Format)) == set(FORMATS)


def test_narrative_round_trip_with_versions(planner: TestClient, plan_id: int) -> None:
    url = NARRATIVE.format(plan_id)
    first = planner.get(url)
    assert first.status_code == 200 and first.headers["ETag"] == '"0"'
    assert first.json()["saved"] == {} and first.json()["sections"]["next_steps"]  # the draft
    saved = planner.put(
        url,
        json={"sections": {"next_steps": "（一）加快园区建设。\n（二）强化督办。"}},
        headers={"If-Match": '"0"'},
    )
    assert saved.status_code == 200, saved.text
    assert saved.headers["ETag"] == '"1"'
    assert saved.json()["sections"]["next_steps"] == ["（一）加快园区建设。", "（二）强化督办。"]
    assert saved.json()["updated_by"] == "planner"
    stale = planner.put(
        url, json={"sections": {"next_steps": "旧稿覆盖"}}, headers={"If-Match": '"0"'}
    )
    assert stale.status_code == 409
    assert planner.get(url).json()["saved"]["next_steps"][0] == "（一）加快园区建设。"


BAD = [
    ("put", NARRATIVE, {"sections": {"title": "x"}}, {"If-Match": '"0"'}, 422),
    ("put", NARRATIVE, {"sections": {"overall": "x"}}, {}, 422),  # no version
    ("put", NARRATIVE.replace("annual", "weekly"), {"sections": {}}, {"If-Match": '"0"'}, 422),
    ("post", REPORTS, {"year": 2026, "kind": "annual", "format": "odt"}, {}, 422),
    ("post", REPORTS, {"year": 2026, "kind": "weekly", "format": "pdf"}, {}, 422),
    ("get", REPORTS + "/999", None, {}, 404),
]


@pytest.mark.parametrize(("method", "url", "body", "headers", "status"), BAD)
def test_bad_requests_are_named_and_change_nothing(
    planner: TestClient, plan_id: int, method: str, url: str, body, headers, status: int
) -> None:
    r = planner.request(method.upper(), url.format(plan_id), json=body, headers=headers)
    assert r.status_code == status, r.text
    assert planner.get(REPORTS.format(plan_id)).json() == []
    assert planner.get(NARRATIVE.format(plan_id)).json()["version"] == 0


def test_generate_list_and_download(
    planner: TestClient, api_client: TestClient, plan_id: int
) -> None:
    planner.put(
        NARRATIVE.format(plan_id),
        json={"sections": {"next_steps": ["（一）落实园区用地指标。"]}},
        headers={"If-Match": '"0"'},
    )
    made = planner.post(
        REPORTS.format(plan_id), json={"year": 2026, "kind": "annual", "format": "docx"}
    )
    assert made.status_code == 201, made.text
    meta = made.json()
    assert meta["created_by"] == "planner" and meta["narrative"]["next_steps"]
    listed = planner.get(REPORTS.format(plan_id)).json()
    assert [r["id"] for r in listed] == [meta["id"]]
    got = planner.get(f"{REPORTS.format(plan_id)}/{meta['id']}")
    assert got.status_code == 200
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["Content-Type"] == FORMATS["docx"]
    text = "\n".join(p.text for p in Document(io.BytesIO(got.content)).paragraphs)
    assert "落实园区用地指标" in text
    # A reporter (one department's tasks) may not read the whole report; a viewer may.
    login(api_client, "reporter")
    assert api_client.get(f"{REPORTS.format(plan_id)}/{meta['id']}").status_code == 403
    login(api_client, "viewer")
    assert api_client.get(f"{REPORTS.format(plan_id)}/{meta['id']}").content == got.content
    assert (
        api_client.post(REPORTS.format(plan_id), json=meta | {"format": "html"}).status_code == 403
    )
