"""An outline as files people read: JSON (the schema), Markdown, and an allocation skeleton.

The .xlsx has one row per measure with the path of headings above it: the skeleton of a
task-allocation table (任务分工方案) whose lead-unit, cooperating-unit and deadline columns
the planning office fills in. An item or section without measures gets a row of its own, so
no task of the plan is left out. When the document had a main-indicator table, a second sheet
`indicators` holds its rows in the METHOD.md §3 format, ready to import.
"""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from luoshi.documents.model import Node, Outline, Target

ALLOCATION_COLUMNS = (
    ("编号 id", 10),
    ("类型 kind", 10),
    ("所属层级 path", 60),
    ("举措 measure", 40),
    ("内容 text", 80),
    ("目标 targets", 40),
    ("牵头单位 lead unit", 18),
    ("配合单位 cooperating units", 24),
    ("完成时限 deadline", 14),
)
INDICATOR_COLUMNS = (
    "code", "name", "category", "unit", "attribute", "direction", "base_year", "base_value",
    "target_year", "kind", "target", "target_high", "benchmark", "tolerance", "target_text",
)  # fmt: skip


def to_json(outline: Outline) -> str:
    """The outline as JSON text (docs/outline-schema.md)."""
    return json.dumps(outline.to_dict(), ensure_ascii=False, indent=2) + "\n"


def heading(node: Node) -> str:
    """How a node is shown in one line: marker and title ('(一)聚焦…', '一、' when untitled)."""
    marker = node.marker or ""
    title = node.title or ("(未标题)" if node.implicit else "")
    glue = " " if marker and title and marker[-1] not in "、.．)）是—" else ""
    return f"{marker}{glue}{title}".strip() or node.text[:40]


def _target_line(target: Target) -> str:
    bits = [f"`{target.kind}`"]
    if target.value is not None:
        value = f"{target.value:g}" + (f"–{target.value_high:g}" if target.value_high else "")
        bits.append(value + (target.unit or ""))
    if target.year:
        bits.append(f"{target.year}年")
    if target.benchmark:
        bits.append(f"对标 {target.benchmark}")
    if target.binding:
        bits.append("约束性")
    return f"{target.text} ({', '.join(bits)})"


def to_markdown(outline: Outline) -> str:
    """A Markdown outline for reading: headings by depth, measures and targets as lists."""
    lines = [f"# {outline.title or Path(outline.source).name}", ""]
    counts = outline.counts()
    summary = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    lines += [f"> {summary}", ""]

    def emit(node: Node, depth: int) -> None:
        if node.kind == "measure":
            lines.append(f"- **{node.title}** ({node.id})")
            lines.extend(f"  - 目标: {_target_line(t)}" for t in node.targets)
            return
        if node.kind == "paragraph" and not node.title:
            lines.extend([node.text, ""])
            return
        lines.append(f"{'#' * min(depth + 1, 6)} {node.id} {heading(node)}")
        lines.append("")
        lines.extend(f"- 目标: {_target_line(t)}" for t in node.targets)
        for child in node.children:
            emit(child, depth + 1)
        if node.targets or any(c.kind == "measure" for c in node.children):
            lines.append("")

    for node in outline.children:
        emit(node, 1)
    if outline.indicators:
        lines += ["", "## 主要指标 Indicators", ""]
        lines.append("| 代码 | 指标 | 单位 | 属性 | 基期 | 目标 | 目标类型 |")
        lines.append("|---|---|---|---|---|---|---|")
        for row in outline.indicators:
            base = f"{row.get('base_year') or ''} {_cell(row.get('base_value'))}".strip()
            target = row.get("target_text") or _cell(row.get("target"))
            cells = [row.get("code"), row.get("name"), row.get("unit"), row.get("attribute")]
            cells += [base, f"{row.get('target_year') or ''} {target}".strip(), row.get("kind")]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines).rstrip() + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("|", "/")


def allocation_rows(outline: Outline) -> list[list[str]]:
    """Rows of the allocation skeleton: every measure, and every leaf item without measures."""
    rows: list[list[str]] = []

    def visit(node: Node, path: list[Node]) -> None:
        if node.kind == "measure" or (
            not node.children and node.kind in {"chapter", "section", "item"}
        ):
            rows.append(
                [
                    node.id,
                    node.kind,
                    " › ".join(heading(p) for p in path),
                    node.title or heading(node),
                    node.text,
                    "; ".join(t.text for t in node.targets),
                    "",
                    "",
                    "",
                ]
            )
        for child in node.children:
            visit(child, [*path, node])

    for node in outline.children:
        visit(node, [])
    return rows


def write_xlsx(outline: Outline, path: Path) -> None:
    """Write the allocation skeleton (and the indicator rows) to an .xlsx file."""
    book = Workbook()
    sheet = book.active
    sheet.title = "measures"
    sheet.append([name for name, _ in ALLOCATION_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in allocation_rows(outline):
        sheet.append(row)
    for i, (_, width) in enumerate(ALLOCATION_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    if outline.indicators:
        table = book.create_sheet("indicators")
        table.append(list(INDICATOR_COLUMNS))
        for indicator in outline.indicators:
            table.append([indicator.get(c) for c in INDICATOR_COLUMNS])
    book.save(path)
