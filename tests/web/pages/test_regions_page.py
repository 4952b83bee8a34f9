"""The districts roll-up page: a benchmark series is one labelled row, not a gap per district."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from test_pages import page_login

from fixtures import import_sample_plan
from luoshi.services import SYSTEM, catalog, indicators, regions

BENCHMARK_ROWS = """\
code,name,unit,direction,base_year,target_year,kind,target,benchmark
T00,地区生产总值增长,%,up,2025,2030,avg_rate_at_least,5.5,
N1,全国国内生产总值增长(对标),%,up,2025,2030,avg_rate_at_least,5,
T03,经济增速高于全国平均水平,%,up,2025,2030,rate_above,,N1
"""


def row(html: str, code: str) -> str:
    found = re.search(rf'<tr data-code="{code}"[^>]*>.*?</tr>', html, re.S)
    assert found, code
    return found.group(0)


def test_the_benchmark_row_is_labelled_and_no_district_misses_it(
    client: Any, sqlite_db: Any, tmp_path: Path
) -> None:
    city = import_sample_plan(sqlite_db, tmp_path)
    table = tmp_path / "benchmark.csv"
    table.write_text(BENCHMARK_ROWS, encoding="utf-8")
    indicators.import_indicators(sqlite_db, SYSTEM, city, table)
    catalog.add_region(sqlite_db, SYSTEM, "P01", "示例省", "province")
    catalog.add_region(sqlite_db, SYSTEM, "C01", "示例市", "city", "P01")
    regions.load_sample_districts(sqlite_db, SYSTEM, with_tasks=False)
    regions.set_plan_region(sqlite_db, SYSTEM, city, "C01", None)
    page_login(client, "viewer")
    html = client.get(f"/plans/{city}/regions").text
    bench = row(html, "N1")
    assert 'data-benchmark="1"' in bench and "对标序列" in bench
    assert 'data-gap="1"' not in bench
    # The city's own relative target is still one each district may lack.
    assert row(html, "T03").count('data-gap="1"') == 3
    options = re.search(r'<select id="rank-code".*?</select>', html, re.S)
    assert options and 'value="N1"' not in options.group(0)
