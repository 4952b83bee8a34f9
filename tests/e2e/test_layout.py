"""Layout checks on the demo data in a real browser: controls look like controls at any width.

The demo plan has the long goal names, wide tables and long evidence lists that squeeze a
phone-sized window, so these run on `luoshi demo`'s data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsing import sign_in
from server import running_server, server_database

from luoshi.services import SYSTEM, plans
from luoshi.services.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PHONE = 390

# Inputs that are not text-like and keep the browser's own look.
UNSTYLED_INPUTS = [
    "hidden",
    "checkbox",
    "radio",
    "submit",
    "button",
    "reset",
    "image",
    "range",
    "color",
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A server on the demo data: (url, id of the city plan)."""
    folder: Path = tmp_path_factory.mktemp("e2e-layout")
    with running_server(folder, "demo") as url:
        with server_database(folder) as db:
            plan_id = plans.list_plans(db, SYSTEM, limit=1).items[0].id
        yield url, plan_id


def open_as(browser: Any, url: str, who: str, width: int) -> Any:
    """A signed-in page of `who` (demo account) in a `width`-pixel window."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page, url, who, DEMO_PASSWORD)
    return page


def first_task_url(page: Any, url: str, plan_id: int) -> str:
    page.goto(f"{url}/plans/{plan_id}/supervision")
    href = page.locator("a[href*='/supervision/tasks/']").first.get_attribute("href")
    assert href
    return f"{url}{href}"


@pytest.mark.parametrize("width", [1280, PHONE])
def test_every_text_input_is_styled_like_the_others(
    browser: Any, demo: tuple[str, int], width: int
) -> None:
    url, plan_id = demo
    page = open_as(browser, url, "supervisor", width)
    try:
        targets = [first_task_url(page, url, plan_id), f"{url}/inbox", f"{url}/audit"]
        skip = ",".join(f"[type={kind}]" for kind in UNSTYLED_INPUTS)
        for target in targets:
            page.goto(target)
            small = page.evaluate(
                """(skip) => [...document.querySelectorAll('main input')]
                    .filter(el => !el.matches(skip) && el.offsetParent !== null)
                    .filter(el => el.getBoundingClientRect().height < 38)
                    .map(el => el.id || el.name)""",
                skip,
            )
            assert small == [], f"{target}: {small}"
    finally:
        page.context.close()


def test_a_phone_sized_window_never_scrolls_sideways(browser: Any, demo: tuple[str, int]) -> None:
    """Long goal names in a select, the evidence types and wide tables stay in the window."""
    url, plan_id = demo
    for who, paths in {
        "supervisor": ["/indicators", "/allocation", "/supervision"],
        "reporter1": ["/supervision"],
        "planner": ["/allocation", "/tasks"],
    }.items():
        page = open_as(browser, url, who, PHONE)
        try:
            targets = [f"{url}/plans/{plan_id}{path}" for path in paths]
            targets.append(first_task_url(page, url, plan_id))
            for target in targets:
                page.goto(target)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE, f"{who} {target}: {width} px"
        finally:
            page.context.close()


def test_a_wide_table_scrolls_in_its_wrapper_instead_of_squeezing(
    browser: Any, demo: tuple[str, int]
) -> None:
    url, plan_id = demo
    page = open_as(browser, url, "supervisor", PHONE)
    try:
        page.goto(f"{url}/plans/{plan_id}/allocation")
        widths = page.evaluate(
            "[...document.querySelectorAll('#allocation tbody tr:first-child > *')]"
            ".map(cell => cell.getBoundingClientRect().width)"
        )
        assert len(widths) == 4
        assert min(widths[1:]) >= 90, widths  # at least six characters per line
        wrap = page.locator(".table-wrap").first
        assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    finally:
        page.context.close()


def test_indicator_values_do_not_run_under_the_status_badge(
    browser: Any, demo: tuple[str, int]
) -> None:
    url, plan_id = demo
    page = open_as(browser, url, "supervisor", 1280)
    try:
        page.goto(f"{url}/plans/{plan_id}/indicators")
        overlaps = page.evaluate(
            """() => [...document.querySelectorAll('#indicator-table tbody tr')].filter(row => {
                const cells = [...row.children];
                return cells.some((cell, i) => i + 1 < cells.length
                    && cell.scrollWidth > cell.clientWidth + 1);
            }).map(row => row.dataset.code)"""
        )
        assert overlaps == []
    finally:
        page.context.close()


def test_inbox_messages_read_as_a_list_of_panels(browser: Any, demo: tuple[str, int]) -> None:
    url, _ = demo
    page = open_as(browser, url, "supervisor", 1280)
    page.goto(f"{url}/inbox")
    first = page.locator("#inbox > li").first
    assert first.evaluate("el => getComputedStyle(el).listStyleType") == "none"
    # The subject starts at the panel's left edge, like the text under it.
    subject = first.locator("button.link").bounding_box()
    panel = first.bounding_box()
    assert subject is not None and panel is not None
    assert subject["x"] - panel["x"] < 40
    page.context.close()
