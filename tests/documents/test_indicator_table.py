"""Main-indicator tables (主要指标表) as plans print them → METHOD.md §3 indicator rows."""

from __future__ import annotations

from luoshi.documents.indicator_table import indicator_rows, is_indicator_table

TWO_ROW_HEADER = [
    ["序号", "指标", "单位", "指标值", "指标值", "年均/累计", "属性"],
    ["序号", "指标", "单位", "2025年", "2030年", "年均/累计", "属性"],
    ["1", "地区生产总值增长(%)", "", "5.5", "", "6左右", "预期性"],
    ["2", "常住人口城镇化率", "%", "61.2", "65", "", "〔预期性〕"],
    ["3", "单位地区生产总值二氧化碳排放降低", "%", "", "", "[18]", "约束性"],
    ["4", "居民人均可支配收入增长", "%", "5.1", "", "与经济增长同步", "预期性"],
    ["5", "城镇调查失业率", "%", "5.2", "<5.5", "", "预期性"],
]


def test_two_row_header_units_in_names_and_every_target_form() -> None:
    assert is_indicator_table(TWO_ROW_HEADER)
    rows = indicator_rows(TWO_ROW_HEADER)
    got = [
        (r["code"], r["name"], r["unit"], r["kind"], r["target"], r["attribute"], r["direction"])
        for r in rows
    ]
    assert got == [
        ("1", "地区生产总值增长", "%", "avg_rate_at_least", 6.0, "expected", "up"),
        ("2", "常住人口城镇化率", "%", "level", 65.0, "expected", "up"),
        (
            "3",
            "单位地区生产总值二氧化碳排放降低",
            "%",
            "cumulative_reduction",
            18.0,
            "binding",
            "down",
        ),
        ("4", "居民人均可支配收入增长", "%", "rate_in_step", None, "expected", "up"),
        ("5", "城镇调查失业率", "%", "at_most", 5.5, "expected", "down"),
    ]
    assert {(r["base_year"], r["target_year"]) for r in rows} == {(2025, 2030)}
    assert rows[0]["base_value"] == 5.5 and rows[2]["base_value"] is None
    assert rows[3]["benchmark"] == "1"  # 与经济增长同步: the code of the GDP growth row
    assert rows[2]["target_text"] == "[18]"


def test_a_table_that_is_not_an_indicator_table() -> None:
    projects = [["项目", "地点", "总投资(亿元)"], ["地铁三号线", "浑南区", "120"]]
    assert not is_indicator_table(projects)
    assert indicator_rows(projects) == []
