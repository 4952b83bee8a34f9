"""A plan's table of main indicators (主要指标表) → rows of the METHOD.md §3 `indicators` table.

A 纲要 prints its indicators as a Word table: 类别 | 指标 | 单位 | 2025年(基期) | 2030年(目标) |
年均/累计 | 属性, with the unit sometimes inside the name (地区生产总值增长(%)) and cumulative
five-year targets in brackets ([13.5]). Columns are recognised by their header words
(HEADER_WORDS); the base year and target year are the smallest and largest year in the
header. Each data row becomes one indicator row a planner can check and correct.
"""

from __future__ import annotations

import re
from typing import Any

from luoshi.documents.targets import parse_target_cell

# Which header words name which column of the indicators table.
HEADER_WORDS = (
    ("code", ("序号", "编号", "代码")),
    ("category", ("类别", "领域", "分类")),
    ("name", ("指标",)),
    ("unit", ("单位",)),
    ("attribute", ("属性", "性质")),
    ("rate", ("年均", "累计", "五年")),
)
# Words in an indicator name that mean "lower is better" (direction down for a level target).
DOWN_WORDS = ("降低", "下降", "减少", "失业率", "能耗", "排放", "死亡率", "发生率", "负债率")
# Other names a benchmark goes by in the same table (the row's name contains one of them).
BENCHMARK_NAMES = {
    "经济增长": ("地区生产总值增长", "GDP增长", "生产总值增长"),
    "GDP增长": ("地区生产总值增长", "经济增长"),
    "地区生产总值增长": ("GDP增长", "经济增长"),
}
ATTRIBUTES = {"约束性": "binding", "预期性": "expected", "约束": "binding", "预期": "expected"}

_YEAR = re.compile(r"(20\d\d)")
_UNIT_IN_NAME = re.compile(r"\s*[(（〔\[]\s*(?P<unit>[^()（）〔〕\[\]]{1,12})\s*[)）〕\]]\s*$")
_NUMBER = re.compile(r"^\s*[\[【〔［]?\s*(-?\d+(?:\.\d+)?)\s*[\]】〕］]?\s*$")


def is_indicator_table(rows: list[list[str]]) -> bool:
    """Whether a table looks like a main-indicator table (指标 column and year columns)."""
    return _header_index(rows) is not None


def _header_index(rows: list[list[str]]) -> int | None:
    for i, row in enumerate(rows[:3]):
        joined = "".join(row)
        if "指标" in joined and (len(_YEAR.findall(joined)) >= 1 or "目标" in joined):
            return i
    return None


def indicator_rows(rows: list[list[str]], first_code: int = 1) -> list[dict[str, Any]]:
    """Indicator rows (METHOD.md §3 columns) from the cells of a main-indicator table."""
    h = _header_index(rows)
    if h is None:
        return []
    header = [c.strip() for c in rows[h]]
    body = h + 1
    if body < len(rows) and _is_second_header(rows[body]):
        # A two-row header: 指标值 over 2025年 | 2030年 (merged cells repeat their text).
        below = [c.strip() for c in rows[body]] + [""] * (len(header) - len(rows[body]))
        header = [a if a == b else f"{a}{b}" for a, b in zip(header, below, strict=False)]
        body += 1
    roles = _roles(header)
    years = {
        i: int(m.group(1))
        for i, c in enumerate(header)
        if i != roles.get("rate") and (m := _YEAR.search(c))
    }
    base_col = min(years, key=years.__getitem__) if len(years) >= 2 else None
    target_col = max(years, key=years.__getitem__) if years else None
    out: list[dict[str, Any]] = []
    for row in rows[body:]:
        cells = [c.strip() for c in row] + [""] * (len(header) - len(row))
        name = cells[roles["name"]] if "name" in roles else ""
        if not name or name == header[roles.get("name", 0)]:
            continue
        out.append(_row(cells, roles, name, years, base_col, target_col, first_code + len(out)))
    for indicator in out:
        if indicator["benchmark"]:
            indicator["benchmark"] = _benchmark_code(indicator, out) or indicator["benchmark"]
    return out


def _benchmark_code(row: dict[str, Any], rows: list[dict[str, Any]]) -> str | None:
    """The code of the row a benchmark names (与经济增长同步 → the GDP growth row)."""
    names = (row["benchmark"], *BENCHMARK_NAMES.get(row["benchmark"], ()))
    for other in rows:
        if other is not row and any(n in other["name"] for n in names):
            return str(other["code"])
    return None


def _is_second_header(row: list[str]) -> bool:
    """A header row under the first: years or column words, no data values."""
    text = "".join(row)
    has_years = bool(_YEAR.search(text))
    has_data = any(_NUMBER.match(c) and not _YEAR.fullmatch(c.strip()) for c in row if c.strip())
    return has_years and not has_data


def _roles(header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for role, words in HEADER_WORDS:
        for i, cell in enumerate(header):
            if i not in roles.values() and any(w in cell for w in words):
                roles[role] = i
                break
    return roles


def _row(
    cells: list[str],
    roles: dict[str, int],
    name: str,
    years: dict[int, int],
    base_col: int | None,
    target_col: int | None,
    n: int,
) -> dict[str, Any]:
    unit = cells[roles["unit"]] if "unit" in roles else ""
    m = _UNIT_IN_NAME.search(name)
    if m:
        unit = unit or m.group("unit")
        name = name[: m.start()].strip()
    rate_text = cells[roles["rate"]] if "rate" in roles else ""
    target_text = cells[target_col] if target_col is not None else ""
    reducing = any(w in name for w in ("降低", "下降", "减少"))
    growth = any(w in name for w in ("增长", "增速"))
    kind = target = high = benchmark = None
    printed = ""
    for text, rate in ((rate_text, True), (target_text, growth)):
        cell = parse_target_cell(text, rate_column=rate, reducing=reducing)
        if cell.kind:
            kind, target, high, benchmark, printed = (
                cell.kind,
                cell.value,
                cell.value_high,
                cell.benchmark,
                text,
            )
            break
    attribute_text = cells[roles["attribute"]] if "attribute" in roles else ""
    code = cells[roles["code"]] if "code" in roles and cells[roles["code"]] else f"I{n:02d}"
    return {
        "code": code,
        "name": name,
        "category": cells[roles["category"]] if "category" in roles else None,
        "unit": unit or None,
        "attribute": next((v for k, v in ATTRIBUTES.items() if k in attribute_text), "expected"),
        "direction": "down" if any(w in name for w in DOWN_WORDS) else "up",
        "base_year": years.get(base_col) if base_col is not None else None,
        "base_value": _number(cells[base_col]) if base_col is not None else None,
        "target_year": years.get(target_col) if target_col is not None else None,
        "kind": kind or "qualitative",
        "target": target,
        "target_high": high,
        "benchmark": benchmark,
        "tolerance": None,
        "target_text": printed or None,
    }


def _number(cell: str) -> float | None:
    m = _NUMBER.match(cell)
    return float(m.group(1)) if m else None
