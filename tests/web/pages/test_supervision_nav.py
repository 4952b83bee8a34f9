"""The supervision pages: counts read naturally, and a page never links to itself as a tab."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from fixtures import login
from luoshi.services import SYSTEM, supervision, tasks
from luoshi.storage import Database
from luoshi.web.i18n import LANGUAGE_COOKIE


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [("en", "1 open reminder<", "2 open reminders<"), ("zh", "1 件督办未办结", "2 件督办未办结")],
)
def test_open_reminders_are_counted_in_words(
    client: Any, sqlite_db: Database, plan_id: int, language: str, one: str, two: str
) -> None:
    first = tasks.assign_task(sqlite_db, SYSTEM, plan_id, "1.1", "gxj", due_date=date(2030, 6, 30))
    second = tasks.assign_task(sqlite_db, SYSTEM, plan_id, "1.2", "kjj", due_date=date(2030, 6, 30))
    supervision.issue_reminder(sqlite_db, SYSTEM, first.id, "请报送进展")
    for title in ("请报送进展", "请说明原因"):
        supervision.issue_reminder(sqlite_db, SYSTEM, second.id, title)
    login(client, "supervisor")
    client.cookies.set(LANGUAGE_COOKIE, language)
    html = client.get(f"/plans/{plan_id}/supervision").text
    assert one in html and two in html
    assert "(s)" not in html


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/supervision", "督办看板"),
        ("/supervision/reminders", "督办单"),
        ("/supervision/scorecards", "部门考评"),
    ],
)
def test_the_shown_page_is_the_active_tab_not_a_link(
    client: Any, plan_id: int, path: str, current: str
) -> None:
    login(client, "supervisor")
    html = client.get(f"/plans/{plan_id}{path}").text
    tabs = re.search(r'<nav class="actions"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert f'href="/plans/{plan_id}{path}"' not in tabs
    assert re.search(rf'<span class="button[^"]*" aria-current="page">{current}</span>', tabs)
    assert tabs.count("<a ") >= 2  # the other pages are still one click away
