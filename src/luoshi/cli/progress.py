"""The progress bar of a long job: on stderr, only on a terminal, gone when the job ends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from luoshi.cli import err_console


@contextmanager
def progress_bar(label: str, what: str = "") -> Iterator[Callable[[int, int], None] | None]:
    """Yield `report(done, total)` that moves a bar labelled `label` (e.g. "解析 parsing"),
    or None when stderr is not a terminal (a pipe or a log file gets no bar)."""
    if not err_console.is_terminal:
        yield None
        return
    columns = (
        TextColumn(f"[bold]{label}[/] {{task.description}}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
