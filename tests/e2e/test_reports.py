"""评估报告 in a real browser: a planner edits 下一步 in place, generates a Word report,
downloads it and finds the edit in the file; a stale save keeps the typed text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import test_alignment
from browsing import sign_in
from docx import Document
from server import server_database

from fixtures import ACCOUNTS
from luoshi.services import SYSTEM, reporting

pytestmark = pytest.mark.browser
plan_id = test_alignment.plan_id  # fixture: the sample plan in the server's database
NEXT_STEPS = ["（一）加快新材料产业园建设。落实园区用地指标。", "（二）建立滞后任务销号制度。"]


def _edit(page: Any, section: str, text: str) -> Any:
    """Open the in-place form of one section and type `text`; returns the textarea."""
    page.locator(f'section[data-editable="{section}"]').get_by_role("button").click()
    box = page.locator(f"#text-{section}")
    box.fill(text)
    return box


def test_planner_edits_next_steps_and_downloads_the_word_report(
    page: Any, server: tuple[str, Path], plan_id: int, tmp_path: Path
) -> None:
    url, folder = server
    sign_in(page, url, *ACCOUNTS["planner"])
    page.goto(f"{url}/plans/{plan_id}")
    page.get_by_role("navigation").get_by_role("link", name="评估报告", exact=True).click()
    page.wait_for_url(re.compile(rf"/plans/{plan_id}/reports"))
    preview = page.locator("#report-preview")
    assert "实施情况监测报告" in preview.locator("h1.report-title").first.inner_text()

    # 下一步 edited in place and saved: the preview shows it at once.
    _edit(page, "next_steps", "\n".join(NEXT_STEPS))
    page.get_by_role("button", name="保存", exact=True).click()
    page.locator(".flash.ok").wait_for()
    next_steps = preview.locator('section[data-editable="next_steps"]')
    assert NEXT_STEPS[1] in next_steps.inner_text()
    assert "第 1 版" in preview.locator("#edit-state").inner_text()

    # Someone else saves meanwhile: this save is refused and the typed text stays.
    box = _edit(page, "problems", "一是我的修改。")
    with server_database(folder) as db:
        reporting.save_narrative(db, SYSTEM, plan_id, 2026, "annual", {"overall": "他人修改。"})
    page.get_by_role("button", name="保存", exact=True).click()
    page.locator("#messages .flash.error").wait_for()
    assert "他人修改" in page.locator("#messages").inner_text()
    assert box.input_value() == "一是我的修改。"

    # Generate the Word file: it goes into the history and downloads with the edit in it.
    page.goto(f"{url}/plans/{plan_id}/reports?year=2026&kind=annual")
    page.get_by_label("格式").select_option("docx")
    page.get_by_role("button", name="生成并保存").click()
    page.wait_for_url(re.compile(r"msg=report_generated"))
    row = page.locator("#history li").first
    assert "年度监测报告 · 2026" in row.inner_text() and "planner" in row.inner_text()
    with page.expect_download() as info:
        row.get_by_role("link").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".docx"
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert all(p in text for p in NEXT_STEPS)
    assert "他人修改。" in text  # the newer saved edit, not the refused one
    assert "一是我的修改" not in text


def test_a_viewer_reads_the_report_but_cannot_edit_or_generate(
    page: Any, server: tuple[str, Path], plan_id: int
) -> None:
    url, _ = server
    sign_in(page, url, *ACCOUNTS["viewer"])
    page.goto(f"{url}/plans/{plan_id}/reports")
    assert page.locator("article.luoshi-report").is_visible()
    assert page.locator("#report-preview button").count() == 0
    assert page.get_by_role("button", name="生成并保存").count() == 0
