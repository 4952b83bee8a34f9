"""The public-page toggle says when the page cannot show yet; the public page names sources."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from test_pages import publish_outline, turn_public_on

from fixtures import login
from luoshi.services import SYSTEM, indicators

SOURCES_CSV = """\
code,name,category,unit,attribute,direction,base_year,base_value,target_year,kind,target,source_department
T01,常住人口城镇化率,经济发展,%,expected,up,2025,80.5,2030,level,83,市统计局
"""

NOTICE = re.compile(r'id="public-unpublished">(.*?)</p>', re.S)


def test_toggle_on_an_unpublished_plan_says_to_publish_first(client: Any, plan_id: int) -> None:
    login(client, "planner")
    page = turn_public_on(client, plan_id)
    assert "公开页面已开启" in page
    notice = NOTICE.search(page).group(1)
    assert "发布大纲后才能看到" in notice and f'href="/plans/{plan_id}/outline"' in notice
    client.get(f"/lang/en?next=/plans/{plan_id}/indicators")
    notice = NOTICE.search(client.get(f"/plans/{plan_id}/indicators").text).group(1)
    assert "only after the outline is published" in notice
    publish_outline(client, plan_id)
    assert NOTICE.search(client.get(f"/plans/{plan_id}/indicators").text) is None


def test_public_page_shows_each_indicator_source(
    client: Any, plan_id: int, sqlite_db: Any, tmp_path: Path
) -> None:
    login(client, "planner")
    publish_outline(client, plan_id)
    turn_public_on(client, plan_id)
    client.cookies.clear()
    public = client.get(f"/public/plans/{plan_id}").text
    assert "数据来源" not in public  # no indicator names a source: no claim, no empty column
    table = tmp_path / "sources.csv"
    table.write_text(SOURCES_CSV, encoding="utf-8")
    indicators.import_indicators(sqlite_db, SYSTEM, plan_id, table)
    public = client.get(f"/public/plans/{plan_id}").text
    head = re.search(r"<thead>(.*?)</thead>", public, re.S).group(1)
    assert "来源" in head and "数据来源部门见“来源”一列" in public
    row = re.search(r"<th scope=\"row\">常住人口城镇化率</th>(.*?)</tr>", public, re.S).group(1)
    assert "市统计局" in row
