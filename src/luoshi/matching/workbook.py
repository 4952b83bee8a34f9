"""The first sheet of an .xlsx a user brings (a catalog, a task list), read once, safely.

Catalogs and task lists both arrive as hand-made Excel files. A broken or empty file gets
one clear TableError naming the file (and the sheet), never an openpyxl traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from luoshi.errors import CellProblem, TableError


def first_sheet(path: Path) -> tuple[str, list[tuple[Any, ...]]]:
    """(title, rows of cell values) of the first sheet; TableError when unreadable or empty."""
    from openpyxl import load_workbook

    file = str(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        message = f"不是有效的 Excel 文件 not a valid workbook ({type(exc).__name__})"
        raise TableError([CellProblem(file, None, None, None, message)]) from exc
    try:
        sheet = book.worksheets[0]
        title = sheet.title
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise TableError([CellProblem(file, title, None, None, "工作表为空 (empty sheet)")])
    return title, rows
