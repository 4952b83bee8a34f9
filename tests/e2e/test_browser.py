"""The web UI in a real browser: a planner's day and a department reporter's limits."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browsing import overflowing_pages, sign_in
from server import SAMPLE, server_database

from fixtures import ACCOUNTS, OTHER_REPORTER
from luoshi.indicators.rules import statuses
from luoshi.services import SYSTEM, plans, tasks

pytestmark = pytest.mark.browser

INDICATORS = (
    "code,name,unit,attribute,direction,base_year,base_value,target_year,kind,target\n"
    "T01,常住人口城镇化率,%,expected,up,2025,80.5,2030,level,83\n"
)
LIBRARY_CODE = "URBANIZATION_RATE"  # 常住人口城镇化率 in the standard indicator library
OBSERVATIONS = "code,year,value\nT01,2026,81.0\nT01,2027,81.5\n"


def rgb(hex_colour: str) -> str:
    """'#0969da' → 'rgb(9, 105, 218)', as getComputedStyle reports it."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def badge_colour(page: Any, code: str) -> tuple[str, str]:
    """(status code, border colour) of an indicator's status badge in the indicator table."""
    badge = page.locator(f'tr[data-code="{code}"] .status')
    status = badge.get_attribute("data-status") or ""
    return status, badge.evaluate("el => getComputedStyle(el).borderTopColor")


def test_planner_imports_edits_attaches_and_sees_status_change(
    page: Any, server: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = server
    sign_in(page, url, *ACCOUNTS["planner"])

    # Import the sample plan document.
    page.goto(f"{url}/import")
    page.get_by_label("选择文件").set_input_files(str(SAMPLE))
    page.get_by_label("规划名称").fill("示例市“十五五”规划")
    page.get_by_role("button", name="上传").click()
    page.wait_for_url(re.compile(r"/plans/\d+/outline"))
    plan_url = page.url.split("/outline")[0]
    assert page.locator(".flash.ok").is_visible()
    assert page.locator("li.node").count() > 100

    # Edit a goal's title inline (htmx) and see it saved.
    goal = page.locator("li.node.kind-item", has_text="推动经济发展取得新成效").first
    goal.locator(".node-body .tools").get_by_role("button", name="编辑").click()
    title = goal.get_by_label("标题")
    title.fill("推动经济高质量发展取得新成效")
    goal.get_by_role("button", name="保存").click()
    page.locator("span.title", has_text="推动经济高质量发展取得新成效").wait_for()
    assert page.locator("#messages .flash.ok").inner_text() == "已保存。"
    page.reload()
    assert page.locator("span.title", has_text="推动经济高质量发展取得新成效").count() == 1

    # Attach a standard indicator from the library to the (renamed) goal.
    page.goto(f"{plan_url}/indicators")
    page.get_by_label("从指标库挂接").select_option(LIBRARY_CODE)
    goal_path = page.locator("#attach-node option", has_text="推动经济高质量发展").first
    page.get_by_label("挂接到大纲条目").select_option(goal_path.get_attribute("value"))
    page.get_by_role("button", name="挂接指标").click()
    page.wait_for_url(re.compile(r"msg=attached"))
    row = page.locator(f'tr[data-code="{LIBRARY_CODE}"]')
    assert "推动经济高质量发展" in row.inner_text()

    # Fill in its target on the indicator's page: still no data, so not evaluable.
    row.locator("a").click()
    page.locator("#edit-target summary").click()
    page.get_by_label("基期值").fill("80.5")
    page.get_by_label("目标值", exact=True).fill("83")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"msg=saved"))
    page.goto(f"{plan_url}/indicators")
    before = badge_colour(page, LIBRARY_CODE)
    assert before == ("not_evaluable", rgb(statuses()["not_evaluable"].colour))

    # Import observations: the status and its colour change.
    obs = tmp_path / "observations.csv"
    obs.write_text(OBSERVATIONS.replace("T01", LIBRARY_CODE), encoding="utf-8")
    page.goto(f"{plan_url}/import")
    page.locator("#obs-file").set_input_files(str(obs))
    page.locator("section[aria-labelledby=imp-obs] form").get_by_role("button", name="上传").click()
    page.wait_for_url(re.compile(r"msg=observations_imported"))
    after = badge_colour(page, LIBRARY_CODE)
    assert after[0] != "not_evaluable"
    assert after == (after[0], rgb(statuses()[after[0]].colour))
    assert after[1] != before[1]

    # The chart of the indicator draws (ECharts renders into a canvas).
    page.locator(f'tr[data-code="{LIBRARY_CODE}"] a').click()
    page.locator("#chart canvas").first.wait_for()


def test_bad_observation_file_lists_every_bad_row_and_stores_nothing(
    page: Any, server: tuple[str, Path], tmp_path: Path
) -> None:
    url, folder = server
    plan_id = _plan_with_table(folder, tmp_path, "B01")
    sign_in(page, url, *ACCOUNTS["planner"])
    bad = tmp_path / "bad.csv"
    bad.write_text("code,year,value\nB01,2026,abc\nNOPE,2027,1\n", encoding="utf-8")
    page.goto(f"{url}/plans/{plan_id}/import")
    page.locator("#obs-file").set_input_files(str(bad))
    page.locator("section[aria-labelledby=imp-obs] form").get_by_role("button", name="上传").click()
    problems = page.locator("#problems-observations tbody tr")
    assert problems.count() >= 2
    text = page.locator("#problems-observations").inner_text()
    assert "bad.csv" in text and "第 2 行" in text and "第 3 行" in text
    page.goto(f"{url}/plans/{plan_id}/indicators")
    assert badge_colour(page, "B01")[0] == "not_evaluable"


def _plan_with_table(folder: Path, tmp_path: Path, code: str) -> int:
    """The sample plan with a one-row indicator table, stored directly through the services."""
    from luoshi.services import indicators

    with server_database(folder) as db:
        plan_id = plans.import_plan_file(db, SYSTEM, SAMPLE, start_year=2026, end_year=2030).plan_id
        assert plan_id is not None
        table = tmp_path / "table.csv"
        table.write_text(INDICATORS.replace("T01", code), encoding="utf-8")
        indicators.import_indicators(db, SYSTEM, plan_id, table)
        return plan_id


def test_reporter_sees_only_own_department_tasks(
    page: Any, server: tuple[str, Path], tmp_path: Path
) -> None:
    url, folder = server
    with server_database(folder) as db:
        plan_id = plans.import_plan_file(db, SYSTEM, SAMPLE, start_year=2026, end_year=2030).plan_id
        assert plan_id is not None
        measures = plans.outline(db, SYSTEM, plan_id, kind="measure").items
        own = tasks.assign_task(db, SYSTEM, plan_id, measures[0].path, "fgw")
        other = tasks.assign_task(db, SYSTEM, plan_id, measures[1].path, "gxj")

    sign_in(page, url, *ACCOUNTS["reporter"])
    page.goto(f"{url}/plans/{plan_id}/tasks")
    rows = page.locator("#task-table tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-department") == "市发展改革委"
    assert measures[0].title and measures[0].title in rows.first.inner_text()
    assert measures[1].title not in page.locator("main").inner_text()
    # Asking for the other department's task directly is refused.
    assert page.request.get(f"{url}/api/v1/tasks/{other.id}").status == 403
    assert page.request.get(f"{url}/api/v1/tasks/{own.id}").status == 200

    # The other department's reporter sees the other task and not this one.
    page.context.clear_cookies()
    sign_in(page, url, *OTHER_REPORTER)
    page.goto(f"{url}/plans/{plan_id}/tasks")
    assert page.locator("#task-table tbody tr").count() == 1
    assert (
        page.locator("#task-table tbody tr").first.get_attribute("data-department")
        == "市工业和信息化局"
    )


def test_keyboard_user_can_skip_to_content_and_sees_focus(
    page: Any, server: tuple[str, Path]
) -> None:
    url, _ = server
    sign_in(page, url, *ACCOUNTS["viewer"])
    page.goto(f"{url}/plans")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main"
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [1280, 820])
def test_pages_fit_a_laptop_and_a_tablet(
    browser: Any, server: tuple[str, Path], tmp_path: Path, width: int
) -> None:
    url, folder = server
    plan_id = _plan_with_table(folder, tmp_path, f"W{width}")
    paths = [f"/plans/{plan_id}{p}" for p in ("", "/outline", "/indicators", "/import", "/tasks")]
    assert overflowing_pages(browser, url, ACCOUNTS["planner"], paths, width) == {}
