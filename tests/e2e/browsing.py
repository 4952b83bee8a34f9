"""What a user does in the browser, shared by the e2e tests: sign in, look at a page's width."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def sign_in(page: Any, url: str, username: str, password: str) -> None:
    """Sign in through the login form and wait until the app has let the user in."""
    page.goto(f"{url}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


def overflowing_pages(
    browser: Any,
    url: str,
    account: tuple[str, str],
    paths: Iterable[str],
    width: int,
    locale: str | None = None,
) -> dict[str, int]:
    """The pages of `paths` wider than a `width`-pixel window, each with how many pixels."""
    context = browser.new_context(viewport={"width": width, "height": 1000}, locale=locale)
    page = context.new_page()
    wider: dict[str, int] = {}
    try:
        sign_in(page, url, *account)
        for path in paths:
            page.goto(f"{url}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                wider[path] = overflow
    finally:
        context.close()
    return wider
