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
