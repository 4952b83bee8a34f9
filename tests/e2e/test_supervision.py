"""Allocation and supervision in a real browser, with the server's clock set by LUOSHI_CLOCK.

A planner allocates the sample plan and exports the table; the department reporter submits a
report with an evidence file; a supervisor returns it; when the server restarts with its clock
past the deadline, the board turns the measure red.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from browsing import sign_in
from openpyxl import load_workbook
from server import SAMPLE, running_server, server_database

from fixtures import ACCOUNTS
from luoshi.services import SYSTEM, plans

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e-supervision")


def serve(folder: Path, data: str, when: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A server on `folder` whose clock stands at `when`."""
    monkeypatch.setenv("LUOSHI_CLOCK", when)
    return running_server(folder, data)


def test_allocate_report_return_and_the_board_turns_red(
    browser: Any, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def page_for(url: str, who: str) -> tuple[Any, Any]:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        context.set_default_timeout(20_000)
        page = context.new_page()
        sign_in(page, url, *ACCOUNTS[who])
        return context, page

    with serve(folder, "seed", "2026-03-01", monkeypatch) as url:
        with server_database(folder) as db:
            plan_id = plans.import_plan_file(
                db, SYSTEM, SAMPLE, title="示例市规划", start_year=2026, end_year=2030
            ).plan_id

        # A planner confirms the first measure with a correction and a deadline.
        context, page = page_for(url, "planner")
        page.goto(f"{url}/plans/{plan_id}/allocation")
        rows = page.locator("#allocation tbody tr")
        assert rows.count() > 50
        first = rows.first
        path = first.get_attribute("data-path")
        assert first.locator("details").inner_text()  # the reason is there
        first.get_by_label("牵头单位").fill("市发展改革委")
        first.get_by_label("配合单位").fill("市科技局")
        first.get_by_label("完成时限").fill("2026-06-30")
        first.get_by_role("button", name="确认分工").click()
        page.wait_for_url(re.compile(r"msg=allocated"))
        assert (
            page.locator(f'tr[data-path="{path}"]')
            .get_by_role("button", name="更新分工")
            .is_visible()
        )
        with page.expect_download() as download:
            page.get_by_role("link", name="导出 Excel").click()
        sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).worksheets[0]
        table = list(sheet.iter_rows(values_only=True))
        assert table[1] == ("序号", "重点任务", "具体举措", "牵头单位", "配合单位", "完成时限")
        assert table[2][3:6] == ("市发展改革委", "市科技局", "2026年6月底")
        assert len(table) == rows.count() + 2
        with page.expect_download() as download:
            page.get_by_role("link", name="导出 Word").click()
        assert download.value.suggested_filename.endswith(".docx")
        context.close()

        # The department reporter finds its task on the board and reports with evidence.
        context, page = page_for(url, "reporter")
        page.goto(f"{url}/plans/{plan_id}/supervision")
        mine = page.locator("table.board tbody tr")
        assert mine.count() == 1  # only its own department's task
        mine.first.get_by_role("link").click()
        task_url = page.url
        evidence = tmp_path / "园区批复.pdf"
        evidence.write_bytes(PDF)
        page.get_by_label("报告期").fill("2026-Q1")
        page.get_by_label("完成比例").fill("40")
        page.get_by_label("进展情况").fill("园区规划已批复,完成土地收储。")
        page.get_by_label("佐证材料").set_input_files(str(evidence))
        page.get_by_role("button", name="提交报告").click()
        page.wait_for_url(re.compile(r"msg=report_submitted"))
        report = page.locator("article.report").first
        assert report.get_attribute("data-status") == "submitted"
        assert report.get_by_role("link", name="园区批复.pdf").is_visible()
        context.close()

        # A supervisor returns it with a comment; the board is green before the deadline.
        context, page = page_for(url, "supervisor")
        page.goto(task_url)
        page.locator("article.report").first.get_by_label("意见").fill("请补充土地收储的批复文件")
        page.get_by_role("button", name="退回").click()
        page.wait_for_url(re.compile(r"msg=report_returned"))
        report = page.locator("article.report").first
        assert report.get_attribute("data-status") == "returned"
        assert "请补充土地收储的批复文件" in report.inner_text()
        page.goto(f"{url}/plans/{plan_id}/supervision")
        lead = page.locator("table.board tbody tr", has_text="市发展改革委")
        assert lead.get_attribute("data-warning") == "green"
        context.close()

        # The reporter is told in the inbox.
        context, page = page_for(url, "reporter")
        page.goto(f"{url}/inbox")
        assert "请补充土地收储的批复文件" in page.locator("#inbox").inner_text()
        context.close()

    with serve(folder, "keep", "2026-07-01", monkeypatch) as url:
        context, page = page_for(url, "supervisor")
        page.goto(f"{url}/plans/{plan_id}/supervision")
        lead = page.locator("table.board tbody tr", has_text="市发展改革委")
        assert (lead.get_attribute("data-signal"), lead.get_attribute("data-warning")) == (
            "overdue",
            "red",
        )
        assert "逾期" in lead.inner_text()
        section = page.locator("section.board-group").first
        assert section.get_attribute("data-warning") == "red"
        context.close()
