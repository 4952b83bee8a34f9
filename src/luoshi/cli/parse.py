"""`luoshi parse`: a policy document → its plan outline as JSON, Markdown or an .xlsx skeleton.

Thin: call luoshi.documents.parse_file, then an exporter. A long document shows a progress bar
when stderr is a terminal. Output files are written whole or not at all (temporary file, then
rename), so a failed run never leaves half a file behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from luoshi.cli import app
from luoshi.cli.options import Formats
from luoshi.cli.output import emit, emit_with
from luoshi.cli.progress import progress_bar
from luoshi.errors import DocumentError

if TYPE_CHECKING:
    from luoshi.documents import Outline


FORMATS = Formats({"json": (".json",), "markdown": (".md", ".markdown"), "xlsx": (".xlsx",)})


@app.command("parse")
def parse_command(
    file: Annotated[Path, typer.Argument(help="文档 .txt/.md/.html/.docx/.pdf document file.")],
    fmt: Annotated[str | None, FORMATS.option()] = None,
    out: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="输出文件(默认标准输出) output file (default stdout)."),
    ] = None,
) -> None:
    """解析规划文档,输出提纲 Parse a plan document into its outline."""
    fmt = FORMATS.choose(fmt, out)
    if fmt == "xlsx" and out is None:
        raise DocumentError("xlsx 格式需要用 -o 指定输出文件 xlsx needs -o FILE", where=str(file))
    from luoshi.documents.export import to_json, to_markdown, write_xlsx

    outline = _parse(file)
    if out is not None and fmt == "xlsx":
        emit_with(out, lambda path: write_xlsx(outline, path))
        return
    text = to_json(outline) if fmt == "json" else to_markdown(outline)
    emit(out, text.encode("utf-8"))


def _parse(file: Path) -> Outline:
    from luoshi.documents import parse_file

    with progress_bar("解析 parsing", file.name) as report:
        return parse_file(file, progress=report)
