"""对标对表 in a real browser: a planner finds a gap in the coverage matrix and, with one
click, makes it a task of the city's plan."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browsing import overflowing_pages, sign_in
from server import server_database

from fixtures import ACCOUNTS, import_sample_plan
from luoshi.services import SYSTEM, catalog, regions

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_id(server: tuple[str, Path], tmp_path: Path) -> int:
    """The small sample plan of tests/fixtures.py, stored in the server's database."""
    with server_database(server[1]) as db:
        return import_sample_plan(db, tmp_path)


def test_planner_turns_a_gap_of_the_coverage_matrix_into_a_task(
    page: Any, server: tuple[str, Path], plan_id: int
) -> None:
    url, _ = server
    sign_in(page, url, *ACCOUNTS["planner"])

    # From the overview, one click opens the alignment with the national sample.
    page.goto(f"{url}/plans/{plan_id}")
    page.get_by_role("link", name="对标对表").click()
    page.wait_for_url(re.compile(rf"/plans/{plan_id}/alignment"))
    matrix = page.locator("#coverage-matrix")
    assert matrix.locator("tr.gap").count() > 0  # the national parts the small plan misses
    # The counts add up: every upper item is covered, covered below, or not covered.
    counts = [int(n) for n in page.locator("#sum-title + ul.counts li .n").all_inner_texts()[:4]]
    assert counts[0] == counts[1] + counts[2] + counts[3]
    gaps = page.locator("li[data-gap-item]").count()
    assert f"{gaps} 处缺口" in page.locator("#uncovered-count").inner_text()

    # A filled cell says, on focus, which pair its score comes from and why.
    cell = matrix.locator("td.cell").first
    cell.focus()
    tip = cell.locator(".tip")
    assert tip.is_visible()
    assert "上级" in tip.inner_text() and "相似度" in tip.inner_text()

    # The gap: an upper item nothing in the plan takes up, one click from becoming a task.
    gap = page.locator("li[data-gap-item]").first
    upper_id = gap.get_attribute("data-gap-item")
    title = gap.locator("strong").inner_text()
    gap.get_by_role("button", name=re.compile("添加为本级任务")).click()
    page.wait_for_url(re.compile(rf"/plans/{plan_id}/outline"))
    assert page.locator(".flash.ok").is_visible()
    assert page.locator("li.node span.title", has_text=title).count() == 1

    # Back on the matrix, the item is no longer a gap.
    page.goto(f"{url}/plans/{plan_id}/alignment")
    assert page.locator(f'li[data-gap-item="{upper_id}"]').count() == 0


def test_alignment_and_rollup_pages_fit_a_tablet(
    browser: Any, server: tuple[str, Path], plan_id: int
) -> None:
    url, _ = server
    paths = (f"/plans/{plan_id}/alignment", f"/plans/{plan_id}/regions")
    assert overflowing_pages(browser, url, ACCOUNTS["viewer"], paths, 820, "zh-CN") == {}


def test_a_city_sees_its_districts_side_by_side_and_ranked(
    page: Any, server: tuple[str, Path], plan_id: int
) -> None:
    url, folder = server
    with server_database(folder) as db:
        catalog.add_region(db, SYSTEM, "P01", "示例省", "province")
        catalog.add_region(db, SYSTEM, "C01", "示例市", "city", "P01")
        regions.load_sample_districts(db, SYSTEM, with_tasks=False)
        regions.set_plan_region(db, SYSTEM, plan_id, "C01", None)
    sign_in(page, url, *ACCOUNTS["viewer"])
    page.goto(f"{url}/plans/{plan_id}")
    page.get_by_role("link", name="区县汇总").click()
    table = page.locator("#rollup-table")
    assert table.locator("thead th[data-region]").count() == 3
    # 示例乙区 has no 研发经费投入强度: its cell in that row is the gap.
    rd = table.locator('tr[data-code="T02"]')
    assert rd.locator('td[data-region="D02"]').get_attribute("data-gap") == "1"
    assert rd.locator('td[data-region="D01"] .status').count() == 1
    # Ranked on 城镇化率 (T01), highest first, drawn by ECharts.
    page.locator("#ranking-chart canvas").first.wait_for()
    names = page.locator("#ranking-table tbody th").all_inner_texts()
    assert names == ["示例区", "示例乙区", "示例丙县"]
