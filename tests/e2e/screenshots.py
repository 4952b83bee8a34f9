"""Screenshots of the main pages for the README: `python tests/e2e/screenshots.py`.

Starts a server on the demo data set (the same `luoshi demo` loads), signs in, and saves one
PNG per page under docs/screenshots/. Re-run it after changing a page.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]

from server import ROOT, running_server  # noqa: E402

from conftest import launch  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# (file name, path under the plan or absolute, account, full page?)
SHOTS: tuple[tuple[str, str, str, bool], ...] = (
    ("login.png", "/login", "", False),
    ("overview.png", "{plan}", "planner", True),
    ("outline.png", "{plan}/outline", "planner", False),
    ("indicators.png", "{plan}/indicators", "planner", False),
    ("indicator-chart.png", "{plan}/indicators/{target}", "planner", False),
    ("import.png", "{plan}/import", "planner", False),
    ("import-errors.png", "{plan}/import", "planner", False),
    ("audit.png", "/audit", "admin", False),
    ("tasks-reporter.png", "{plan}/tasks", "reporter1", False),
    ("overview-en.png", "{plan}", "planner", False),
    ("overview-tablet.png", "{plan}", "planner", False),
    ("board.png", "{plan}/supervision", "supervisor", False),
    ("allocation.png", "{plan}/allocation", "planner", False),
    ("reports.png", "{plan}/reports", "planner", False),
    ("alignment.png", "{plan}/alignment", "planner", False),
    ("regions.png", "{plan}/regions", "planner", False),
)
TABLET = {"width": 820, "height": 1180}
# An observations file with the usual mistakes, for the per-row error display.
BAD_OBSERVATIONS = "代码,年份,数值\nC01,2026,5.1\nC03,2026,八十一\nX99,2026,3\nC04,二〇二六,2.9\n"


def main() -> None:
    """Take every screenshot in SHOTS."""
    from playwright.sync_api import sync_playwright

    from luoshi.services.demo import DEMO_PASSWORD

    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(Path(tmp), "demo") as url,
        sync_playwright() as p,
    ):
        browser = launch(p)
        contexts: dict[str, object] = {}
        for name, path, account, full in SHOTS:
            key = f"{account}-{name.endswith('-en.png')}-{'tablet' in name}"
            if key not in contexts:
                size = TABLET if "tablet" in name else {"width": 1280, "height": 860}
                ctx = browser.new_context(viewport=size)
                page = ctx.new_page()
                if account:
                    page.goto(f"{url}/login")
                    page.fill("#username", account)
                    page.fill("#password", DEMO_PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_load_state()
                if name.endswith("-en.png"):
                    page.goto(f"{url}/lang/en")
                contexts[key] = page
            page = contexts[key]
            page.goto(f"{url}/")
            plan = page.url.rstrip("/") if "/plans/" in page.url else f"{url}/plans/1"
            plan = plan[len(url) :] if plan.startswith(url) else plan
            target = "1"
            if "{target}" in path:
                page.goto(f"{url}{plan}/indicators")
                lagging = page.locator("tr.row-lagging th a")
                first = page.locator("#indicator-table tbody th a")
                link = (lagging if lagging.count() else first).first
                target = (link.get_attribute("href") or "").split("/")[-1].split("?")[0]
            page.goto(url + path.format(plan=plan, target=target))
            if name == "import-errors.png":
                bad = Path(tmp) / "观测值-有误.csv"
                bad.write_text(BAD_OBSERVATIONS, encoding="utf-8")
                page.locator("#obs-file").set_input_files(str(bad))
                page.locator("section[aria-labelledby=imp-obs] button").click()
                page.locator("#problems-observations").scroll_into_view_if_needed()
            if name == "reports.png":  # one generated file, so the history shows
                page.get_by_role("button", name="生成并保存").click()
                page.wait_for_url("**msg=report_generated**")
                page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / name), full_page=full)
            print(f"saved {OUT / name}")
        browser.close()


if __name__ == "__main__":
    main()
