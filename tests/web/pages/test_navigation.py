"""The top bar: the logo leads home and pages without a plan of their own keep the plan's menu."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fixtures import ACCOUNTS, OUTLINE, login
from luoshi.services import SYSTEM, plans
from luoshi.storage import Database

BRAND = re.compile(r'<a class="brand" href="([^"]*)"')
NAV = re.compile(r'<ul class="nav">(.*?)</ul>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def logo(html: str) -> str:
    found = BRAND.search(html)
    assert found, html[:500]
    return found.group(1)


def menu(html: str) -> list[str]:
    found = NAV.search(html)
    return HREF.findall(found.group(1)) if found else []


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_with_one_plan_the_logo_opens_its_overview(client: Any, plan_id: int, role: str) -> None:
    login(client, role)
    for path in (f"/plans/{plan_id}/outline", "/inbox", "/plans"):
        assert logo(client.get(path).text) == f"/plans/{plan_id}", path


@pytest.mark.parametrize("role", ["supervisor", "reporter"])
def test_with_several_plans_the_logo_opens_the_plans_list(
    client: Any, sqlite_db: Database, plan_id: int, role: str
) -> None:
    plans.import_plan(
        sqlite_db, SYSTEM, OUTLINE, title="第二个规划", start_year=2026, end_year=2030
    )
    login(client, role)
    for path in (f"/plans/{plan_id}", "/inbox"):
        assert logo(client.get(path).text) == "/plans", path


@pytest.mark.parametrize("path", ["/inbox", "/audit", "/import"])
def test_pages_without_a_plan_keep_the_plan_menu(client: Any, plan_id: int, path: str) -> None:
    login(client, "admin")
    r = client.get(path)
    assert r.status_code == 200
    links = menu(r.text)
    assert f"/plans/{plan_id}/outline" in links, links
    assert f"/plans/{plan_id}/supervision" in links, links


def test_an_error_under_a_plan_keeps_that_plans_menu(
    client: Any, sqlite_db: Database, plan_id: int
) -> None:
    other = plans.import_plan(
        sqlite_db, SYSTEM, OUTLINE, title="第二个规划", start_year=2026, end_year=2030
    ).plan_id
    assert other is not None and other != plan_id
    login(client, "planner")
    client.get(f"/plans/{other}")  # remembered as the plan last opened
    r = client.get(f"/plans/{plan_id}/indicators/987654")
    assert r.status_code == 404
    assert f"/plans/{plan_id}/indicators" in menu(r.text)


def test_signed_out_pages_have_no_menu_and_the_logo_opens_the_start(client: Any) -> None:
    html = client.get("/login").text
    assert logo(html) == "/"
    assert menu(html) == []
