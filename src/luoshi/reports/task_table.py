"""Read a task ledger (任务台账) file, so a report built from files can include the key-task part.

Planning offices keep the progress of their measures in a spreadsheet. One row per measure:

| column | 中文 header | required | meaning |
|---|---|---|---|
| title | 任务 / 举措 / 重点任务 | yes | the measure or project |
| state | 进展 / 状态 | yes | done, on_track, late, not_started; 已完成, 按进度推进, 滞后, 未启动 |
| area | 重点领域 | no | key area; empty: 其他 |
| department | 牵头单位 | no | lead unit; empty: 未分工 |
| project | 重大项目 | no | 是/否, yes/no, 1/0 |
| due | 完成时限 | no | date, e.g. 2027-06-30 |
| reason | 滞后原因 / 说明 | no | why it is late |

CSV in any common Chinese encoding (decoded like documents), or XLSX (the sheet named `tasks`,
else the first sheet). Every bad cell is reported at once with its row and column, and no task
is used from a file with a bad row.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from luoshi.documents.reading import decode
from luoshi.errors import CellProblem, TableError
from luoshi.reports.model import TASK_STATES, TaskRecord, TaskState

# Column → the headers accepted for it (English first).
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "任务", "举措", "重点任务", "具体举措", "任务名称"),
    "state": ("state", "进展", "状态", "进展情况"),
    "area": ("area", "重点领域", "领域"),
    "department": ("department", "牵头单位", "责任单位"),
    "project": ("project", "重大项目", "是否重大项目"),
    "due": ("due", "完成时限", "时限"),
    "reason": ("reason", "滞后原因", "说明", "原因"),
}
REQUIRED = ("title", "state")
# Words a ledger uses for each state.
STATE_WORDS: dict[str, TaskState] = {
    **{key: key for key in TASK_STATES},
    **{label: key for key, label in TASK_STATES.items()},
    "推进中": "on_track",
    "进行中": "on_track",
    "正常推进": "on_track",
    "未开始": "not_started",
    "进度滞后": "late",
    "完成": "done",
}
YES = {"是", "yes", "y", "1", "true", "√", "重大项目"}
NO = {"否", "no", "n", "0", "false", ""}
SHEET = "tasks"


def _rows(path: Path) -> tuple[list[list[str]], str | None]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise TableError(
                [
                    CellProblem(
                        path.name,
                        None,
                        None,
                        None,
                        f"无法读取Excel文件 cannot read workbook: {exc}",
                    )
                ]
            ) from exc
        try:
            sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
            rows = [
                ["" if v is None else _cell(v) for v in r]
                for r in sheet.iter_rows(values_only=True)
            ]
            return rows, sheet.title
        finally:
            book.close()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(
            [CellProblem(path.name, None, None, None, f"文件无法读取 cannot read: {exc.strerror}")]
        ) from exc
    text, _encoding = decode(data, path.name)
    return list(csv.reader(io.StringIO(text))), None


def _cell(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def read_tasks(path: str | Path) -> list[TaskRecord]:
    """The measures of a task ledger file; TableError lists every bad cell."""
    path = Path(path)
    rows, sheet = _rows(path)
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise TableError([CellProblem(path.name, sheet, None, None, "文件为空 empty table")])
    header = [h.strip().lower() for h in rows[0]]
    where = {
        key: next((header.index(n.lower()) for n in names if n.lower() in header), None)
        for key, names in COLUMNS.items()
    }
    missing = [k for k in REQUIRED if where[k] is None]
    if missing:
        raise TableError(
            [
                CellProblem(path.name, sheet, 1, COLUMNS[k][1], f"缺少必需列 missing column ({k})")
                for k in missing
            ]
        )
    problems: list[CellProblem] = []
    tasks: list[TaskRecord] = []
    for number, row in enumerate(rows[1:], start=2):

        def cell(key: str, row: list[str] = row) -> str:
            i = where[key]
            return row[i].strip() if i is not None and i < len(row) else ""

        def bad(key: str, message: str, number: int = number) -> None:
            problems.append(CellProblem(path.name, sheet, number, COLUMNS[key][1], message))

        title, state_word, project = cell("title"), cell("state"), cell("project").lower()
        state = STATE_WORDS.get(state_word) or STATE_WORDS.get(state_word.lower())
        if not title:
            bad("title", "任务名称为空 empty title")
        if state is None:
            bad("state", f"未知进展“{state_word}”，应为 {'、'.join(TASK_STATES.values())}")
        if project not in YES | NO:
            bad("project", f"“{project}”应为 是 或 否")
        due = cell("due")
        if due:
            try:
                due = date.fromisoformat(due.replace("/", "-")[:10]).isoformat()
            except ValueError:
                bad("due", f"“{due}”不是日期，应如 2027-06-30")
        if problems or state is None:
            continue
        tasks.append(
            TaskRecord(
                title=title,
                area=cell("area"),
                department=cell("department"),
                state=state,
                is_project=project in YES,
                due=due,
                late_reason=cell("reason"),
            )
        )
    if problems:
        raise TableError(problems)
    return tasks
