"""Task lines to allocate: read from an outline, a document, an .xlsx table or a .jsonl file.

Whatever the input, the result is a list of `TaskLine`s: the text to match, the key task
(重点任务, the heading above the measure), the deadline when the text names one, and the
units already given when the input is a filled-in allocation table (a person's decision, kept
as it is and learned from).

Inputs:
- a plan outline (`luoshi parse` JSON) or any document `luoshi.documents` reads: every measure,
  and every leaf item or section that has no measures (as the allocation skeleton does);
- .jsonl: one JSON object per line with `task`, and optionally `key_task` (or `context`),
  `deadline`, `lead` and `cooperate` (lists or 、-separated text);
- .xlsx: the first sheet with a header row naming the columns as the standard allocation table
  does (序号, 重点任务, 具体举措, 牵头单位, 配合单位, 完成时限) or as `luoshi parse -f xlsx` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from luoshi.documents import Node, Outline, parse_file
from luoshi.errors import CellProblem, DocumentError, TableError
from luoshi.matching.workbook import first_sheet

# Header (first word, lower case) → field, for .xlsx inputs. Earlier names win for `task`.
XLSX_HEADERS: dict[str, str] = {
    "具体举措": "task",
    "内容": "task",
    "任务内容": "task",
    "举措": "title",
    "任务": "task",
    "task": "task",
    "text": "task",
    "measure": "title",
    "重点任务": "key_task",
    "所属层级": "path",
    "key_task": "key_task",
    "牵头单位": "lead",
    "lead": "lead",
    "配合单位": "cooperate",
    "协同单位": "cooperate",
    "责任单位": "cooperate",
    "cooperate": "cooperate",
    "完成时限": "deadline",
    "时限": "deadline",
    "deadline": "deadline",
}
# Rows searched for the header row of an .xlsx input.
HEADER_SEARCH_ROWS = 10
_UNIT_SPLIT = re.compile(r"[、,,;;/\s]+")
_PATH_SPLIT = " › "


@dataclass(frozen=True)
class TaskLine:
    """One line of an allocation table, before or after units are given."""

    task: str
    key_task: str = ""
    deadline: str = ""
    lead: tuple[str, ...] = ()
    cooperate: tuple[str, ...] = ()


def units(value: Any) -> tuple[str, ...]:
    """Unit names from a list or from text separated by 、 , ; or spaces."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else _UNIT_SPLIT.split(str(value))
    return tuple(str(v).strip() for v in items if str(v).strip())


def tasks_from_outline(outline: Outline) -> list[TaskLine]:
    """Every measure, and every leaf item or section without measures, with its key task."""
    lines: list[TaskLine] = []

    def visit(node: Node, path: list[Node]) -> None:
        leaf = not node.children and node.kind in {"chapter", "section", "item"}
        if node.kind == "measure" or leaf:
            key = next((p.title for p in reversed(path) if p.title), "") or ""
            years = sorted({t.year for t in node.targets if t.year})
            deadline = f"{years[-1]}年" if years else ""
            text = node.text.strip()
            if node.marker and text.startswith(node.marker):
                text = text[len(node.marker) :].lstrip()
            lines.append(TaskLine(text or node.title or "", key, deadline))
        for child in node.children:
            visit(child, [*path, node])

    for node in outline.children:
        visit(node, [])
    return [line for line in lines if line.task]


def read_tasks(
    path: str | Path, progress: Callable[[int, int], None] | None = None
) -> list[TaskLine]:
    """Task lines from an outline JSON, a .jsonl, an .xlsx or a document file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DocumentError("找不到文件 no such file", str(path))
    if suffix == ".jsonl":
        return _from_jsonl(path)
    if suffix in {".xlsx", ".xlsm"}:
        return _from_xlsx(path)
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return tasks_from_outline(Outline.from_dict(data))
        except DocumentError as exc:  # the outline's own check; name our file instead
            raise DocumentError(exc.message, str(path)) from None
        except (UnicodeDecodeError, json.JSONDecodeError, ValueError, KeyError, TypeError) as exc:
            raise DocumentError(
                f"不是 luoshi parse 输出的提纲 JSON (not an outline: {exc})", str(path)
            ) from exc
    return tasks_from_outline(parse_file(path, progress=progress))


def _from_jsonl(path: Path) -> list[TaskLine]:
    lines: list[TaskLine] = []
    problems: list[CellProblem] = []
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"不是 UTF-8 文本 (not UTF-8: {exc.reason})", file) from exc
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(CellProblem(file, None, number, None, f"不是 JSON ({exc.msg})"))
            continue
        task = row.get("task") if isinstance(row, dict) else None
        if not isinstance(task, str) or not task.strip():
            problems.append(CellProblem(file, None, number, "task", "缺少 task 文本"))
            continue
        lines.append(_line(row, task))
    if problems:
        raise TableError(problems)
    if not lines:
        raise DocumentError("文件中没有任务 (no task lines)", file)
    return lines


def _line(row: dict[str, Any], task: str) -> TaskLine:
    key = row.get("key_task") or row.get("context") or ""
    if not key and row.get("path"):
        key = str(row["path"]).split(_PATH_SPLIT)[-1]
    return TaskLine(
        task=" ".join(task.split()),
        key_task=str(key).strip(),
        deadline=str(row.get("deadline") or "").strip(),
        lead=units(row.get("lead")),
        cooperate=units(row.get("cooperate")),
    )


def _from_xlsx(path: Path) -> list[TaskLine]:
    file = str(path)
    title, rows = first_sheet(path)
    # The header is the first row naming a task column (a title row may stand above it).
    start, columns = next(
        (
            (i, found)
            for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])
            if {"task", "title"} & set((found := _xlsx_columns(row)).values())
        ),
        (0, {}),
    )
    if not columns:
        raise TableError(
            [CellProblem(file, title, 1, "具体举措", "缺少任务列 (具体举措/举措/任务/task)")]
        )
    lines: list[TaskLine] = []
    problems: list[CellProblem] = []
    key_task = ""  # a 重点任务 cell merged over several rows is read in its first row only
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = {
            field: str(row[i]).strip()
            for i, field in columns.items()
            if i < len(row) and row[i] is not None and str(row[i]).strip()
        }
        if "key_task" in cells:
            key_task = cells["key_task"]
        elif "path" not in cells:
            cells["key_task"] = key_task
        task = cells.get("task") or cells.get("title")
        if task:
            lines.append(_line(cells, task))
        elif "lead" in cells or "cooperate" in cells:
            problems.append(CellProblem(file, title, number, "具体举措", "填了单位但没有任务内容"))
    if problems:
        raise TableError(problems)
    if not lines:
        raise DocumentError("表格中没有任务 (no task rows)", file)
    return lines


def _xlsx_columns(header: Iterable[Any]) -> dict[int, str]:
    """Column index → field; the first column found for a field wins."""
    columns: dict[int, str] = {}
    for i, name in enumerate(header):
        words = str(name or "").strip().lower().split()
        field = XLSX_HEADERS.get(words[0]) if words else None
        if field and field not in columns.values():
            columns[i] = field
    return columns
