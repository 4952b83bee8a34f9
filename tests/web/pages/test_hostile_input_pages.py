"""A page given a number too big for the database, or a digit int() refuses, does not fail."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fixtures import login
from luoshi.web.deps import whole_number

HUGE = 10**20  # beyond the 64-bit integers SQLite and PostgreSQL keep


@pytest.mark.parametrize(
    "url",
    [
        "/plans/{HUGE}",
        "/plans/{plan_id}?year={HUGE}",
        "/plans/{plan_id}/outline?version={HUGE}",
        "/plans/{plan_id}/outline/nodes/{HUGE}",
        "/plans/{plan_id}/indicators?year={HUGE}",
        "/plans/{plan_id}/indicators/{HUGE}",
        "/plans/{plan_id}/reports?year={HUGE}",
        "/plans/{plan_id}/reports/preview?year={HUGE}",
        "/plans/{plan_id}/supervision/tasks/{HUGE}",
        "/plans?offset={HUGE}",
        "/audit?offset={HUGE}",
        "/import?plan={HUGE}",
        "/plans/{plan_id}/regions?year=²",
        "/public/plans/{HUGE}",
    ],
)
def test_a_huge_number_in_a_page_address_is_refused(client: Any, plan_id: int, url: str) -> None:
    login(client, "admin")
    r = client.get(url.format(plan_id=plan_id, HUGE=HUGE))
    assert r.status_code < 500, r.text[:300]


@pytest.mark.parametrize("cookie", [str(HUGE), "9" * 5000])
def test_a_bad_remembered_plan_cookie_is_ignored(client: Any, plan_id: int, cookie: str) -> None:
    login(client, "viewer")
    client.cookies.set("luoshi_plan", cookie)
    assert client.get("/").status_code in (200, 303)


def test_a_huge_parent_in_the_move_form_is_refused(client: Any, plan_id: int) -> None:
    login(client, "planner")
    node = client.get(f"/api/v1/plans/{plan_id}/outline", params={"kind": "item"}).json()["items"][
        0
    ]
    page = client.get(f"/plans/{plan_id}/outline/nodes/{node['id']}/move").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post(
        f"/plans/{plan_id}/outline/nodes/{node['id']}/move",
        data={"csrf_token": token, "version": node["version"], "position": HUGE, "parent_id": HUGE},
        follow_redirects=False,
    )
    assert 400 <= r.status_code < 500, r.text[:300]
    assert client.get(f"/api/v1/nodes/{node['id']}").json()["version"] == node["version"]


def test_whole_number_takes_ascii_digits_under_64_bits() -> None:
    assert whole_number(" 42 ") == 42
    assert [whole_number(t) for t in ("", "²", "-1", "1e3", "9" * 19)] == [None] * 5
