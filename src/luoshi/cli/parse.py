"""`luoshi parse`: a policy document → its plan outline as JSON, Markdown or an .xlsx skeleton.

Thin: call luoshi.documents.parse_file, then an exporter. A long document shows a progress bar
when stderr is a terminal. Output files are written whole or not at all (temporary file, then
rename), so a failed run never leaves half a file behind.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from luoshi.cli import app, err_console
from luoshi.documents import Outline, parse_file
from luoshi.documents.export import to_json, to_markdown, write_xlsx
from luoshi.errors import DocumentError


class Format(StrEnum):
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


SUFFIX_FORMATS = {".xlsx": Format.xlsx, ".md": Format.markdown, ".markdown": Format.markdown}


@app.command("parse")
def parse_command(
    file: Annotated[Path, typer.Argument(help="文档 .txt/.md/.html/.docx/.pdf document file.")],
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="输出格式 json | markdown | xlsx(默认按 -o 的扩展名,否则 json) "
            "(default: from the -o suffix, else json).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出文件(默认标准输出) output file (default stdout)."),
    ] = None,
) -> None:
    """解析规划文档,输出提纲 Parse a plan document into its outline."""
    if fmt is None:
        fmt = SUFFIX_FORMATS.get(out.suffix.lower(), Format.json) if out else Format.json
    if fmt is Format.xlsx and out is None:
        raise DocumentError("xlsx 格式需要用 -o 指定输出文件 xlsx needs -o FILE", where=str(file))
    outline = _parse(file)
    if out is not None and fmt is Format.xlsx:
        _write(out, lambda path: write_xlsx(outline, path))
        return
    text = to_json(outline) if fmt is Format.json else to_markdown(outline)
    if out is None:
        sys.stdout.write(text)
    else:
        _write(out, lambda path: _write_text(path, text))


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _parse(file: Path) -> Outline:
    if not err_console.is_terminal:
        return parse_file(file)
    columns = (
        TextColumn("[bold]解析 parsing[/] {task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(file.name, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return parse_file(file, progress=report)


def _write(out: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename it into place."""
    target = out.resolve()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise DocumentError(f"无法写入 cannot write ({exc.strerror})", where=str(out)) from None
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual mode
        os.replace(tmp, target)
    except OSError as exc:
        raise DocumentError(f"无法写入 cannot write ({exc.strerror})", where=str(out)) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
