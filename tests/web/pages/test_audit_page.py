"""The audit log page speaks the interface language: labels for codes, "—" for nothing."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from fixtures import login
from luoshi.services import SYSTEM, audit
from luoshi.services.transactions import writing
from luoshi.storage import Database
from luoshi.web.i18n import LANGUAGE_COOKIE, catalog, translate

ROWS = re.compile(r"<tbody>(.*?)</tbody>", re.S)


def add_events(db: Database) -> None:
    with writing(db) as s:
        audit.record(
            s,
            SYSTEM,
            "task.update",
            "task",
            198,
            before={"due_date": None, "version": 1},
            after={"due_date": "2027-11-26", "version": 2},
        )
        audit.record(s, SYSTEM, "made.up_action", "gizmo", 7)


@pytest.mark.parametrize(
    ("language", "action", "entity", "field"),
    [
        ("zh", "修改任务", "任务 #198", "完成时限"),
        ("en", "Changed a task", "task #198", "deadline"),
    ],
)
def test_codes_show_as_labels_in_the_interface_language(
    client: Any, sqlite_db: Database, language: str, action: str, entity: str, field: str
) -> None:
    add_events(sqlite_db)
    login(client, "supervisor")
    client.cookies.set(LANGUAGE_COOKIE, language)
    page = client.get("/audit").text
    rows = html.unescape(ROWS.search(page).group(1))
    assert action in rows
    assert entity in rows
    assert f"{field}</strong>: <del>—</del> → 2027-11-26" in rows
    assert "None" not in rows
    assert ">task.update<" not in rows  # the code is only a tooltip
    # A code without a label shows as it is.
    assert "made.up_action" in rows and "gizmo #7" in rows


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_count_has_words_and_filters_offer_labels(
    client: Any, sqlite_db: Database, language: str
) -> None:
    add_events(sqlite_db)
    login(client, "supervisor")
    client.cookies.set(LANGUAGE_COOKIE, language)
    page = client.get("/audit").text
    total = int(re.search(r'id="audit-count">[^<]*?(\d+)', page).group(1))
    assert translate(language, "audit.count", n=total) in page
    assert 'placeholder="node' not in page
    label = catalog(language)["audit.actions.task.update"]
    assert f'<option value="task.update">{label}</option>' in page
    filtered = client.get("/audit", params={"action": "task.update", "entity": "task"}).text
    assert f'<option value="task.update" selected>{label}</option>' in filtered
    assert translate(language, "audit.count", n=1) in filtered


def test_english_counts_are_singular_or_plural() -> None:
    assert translate("en", "audit.count", n=1) == "1 event"
    assert translate("en", "audit.count", n=3) == "3 events"
    assert translate("en", "audit.count", n="1") == "1 event"
    assert translate("zh", "audit.count", n=3) == "共 3 条记录"
