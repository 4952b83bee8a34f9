"""Browser test fixtures: a real server on a free port and headless Debian Chromium.

Under CI=true the browser tests must run (require_or_skip fails instead of skipping).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server import running_server

from fixtures import *  # noqa: F403
from fixtures import require_or_skip

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright: Any) -> Any:
    """Headless Debian Chromium with the flags this project uses everywhere."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_or_skip(sync_playwright is not None and shutil.which(CHROMIUM) is not None, "Chromium")
    assert sync_playwright is not None
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A luoshi server on a fresh SQLite database (accounts + indicator library): (url, folder)."""
    folder = tmp_path_factory.mktemp("e2e")
    with running_server(folder) as url:
        yield url, folder


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page, laptop-sized."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    p = context.new_page()
    yield p
    context.close()
