"""`luoshi assign TASKS`: suggest lead and cooperating units for every task (任务分工).

Thin: read the task lines (luoshi.matching.tasks), run the suggester of the chosen catalog
(luoshi.matching.assign), and print JSON or write the standard allocation table
(luoshi.reports.allocation). Lines that already name their units (a filled-in table) keep
them and are learned from; with --feedback FILE the decisions are also remembered in FILE
for the next run. Output files are written whole or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from luoshi.cli import app
from luoshi.cli.options import Formats
from luoshi.cli.output import emit
from luoshi.cli.progress import progress_bar
from luoshi.errors import DataError, LuoshiError

if TYPE_CHECKING:
    from luoshi.matching.assign import Suggestion
    from luoshi.matching.tasks import TaskLine
    from luoshi.reports.allocation import AllocationRow

# Above this many task lines a terminal shows a progress bar.
PROGRESS_FROM = 200


FORMATS = Formats({"json": (".json",), "xlsx": (".xlsx",), "docx": (".docx",)})


@app.command("assign")
def assign_command(
    tasks: Annotated[
        Path,
        typer.Argument(help="任务:文档、luoshi parse 的提纲 JSON、.xlsx 或 .jsonl (task lines)."),
    ],
    catalog: Annotated[
        str,
        typer.Option("--catalog", "-c", help="部门目录 municipal | national | .yaml/.xlsx 文件."),
    ] = "municipal",
    fmt: Annotated[str | None, FORMATS.option()] = None,
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="输出文件(默认标准输出) output file.")
    ] = None,
    feedback: Annotated[
        Path | None,
        typer.Option(
            "--feedback",
            help="分工反馈文件:读取已确认的分工,并记入本次表中已填的单位 "
            "(decisions file: used, and extended with the units this table fills in).",
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="表格标题 table title (默认 重点任务分工方案).")
    ] = None,
    deadline: Annotated[
        str, typer.Option("--deadline", help="未注明时限的任务的完成时限 default deadline.")
    ] = "持续推进",
) -> None:
    """任务分工 Suggest lead and cooperating units for every task, with the reason.

    为每项任务建议牵头单位和配合单位,并说明理由;输出 JSON 或标准分工方案表 (.xlsx/.docx:
    序号, 重点任务, 具体举措, 牵头单位, 配合单位, 完成时限). Writes JSON or the standard
    allocation table.
    """
    from luoshi.matching.assign import Suggester
    from luoshi.matching.catalog import load_catalog
    from luoshi.matching.feedback import FeedbackMemory
    from luoshi.matching.tasks import read_tasks
    from luoshi.reports.allocation import DEFAULT_TITLE, allocation_docx, allocation_xlsx

    fmt = FORMATS.choose(fmt, out)
    if fmt != "json" and out is None:
        raise LuoshiError(f"{fmt} 格式需要用 -o 指定输出文件 ({fmt} needs -o FILE)", "--format")
    lines = read_tasks(tasks)
    memory = FeedbackMemory.load(feedback) if feedback and feedback.exists() else FeedbackMemory()
    suggester = Suggester(load_catalog(catalog), memory)
    for number, line in enumerate(lines, start=1):
        if line.lead:  # a person's decision: keep it and learn from it
            try:
                suggester.learn(line.task, line.lead, line.cooperate)
            except DataError as exc:
                raise LuoshiError(exc.message, f"{tasks} 第{number}条任务") from None
    with _progress(len(lines)) as advance:
        suggestions = suggester.suggest_many(
            [line.task for line in lines], [line.key_task for line in lines], advance
        )
    if feedback:
        memory.save(feedback)
    if fmt == "json":
        data = [_json(line, s) for line, s in zip(lines, suggestions, strict=True)]
        emit(out, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        return
    rows = [
        _row(number, line, s, deadline)
        for number, (line, s) in enumerate(zip(lines, suggestions, strict=True), start=1)
    ]
    render = allocation_xlsx if fmt == "xlsx" else allocation_docx
    emit(out, render(rows, title or DEFAULT_TITLE))


def _json(line: TaskLine, suggestion: Suggestion) -> dict[str, object]:
    data = suggestion.to_dict()
    if line.lead:
        data["decided"] = {"lead": list(line.lead), "cooperate": list(line.cooperate)}
    if line.key_task:
        data["key_task"] = line.key_task
    if line.deadline:
        data["deadline"] = line.deadline
    return data


def _row(number: int, line: TaskLine, suggestion: Suggestion, deadline: str) -> AllocationRow:
    """A table row: the person's units when given, else the suggestion."""
    from luoshi.reports.allocation import AllocationRow

    if line.lead:
        lead, cooperate, reason = line.lead, line.cooperate, "人工确定 (decided by a person)"
    else:
        lead = tuple(r.unit for r in suggestion.lead)
        cooperate = tuple(r.unit for r in suggestion.cooperate)
        reason = suggestion.reason
    return AllocationRow(
        number, line.key_task, line.task, lead, cooperate, line.deadline or deadline, reason
    )


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """`advance(n)` for the suggester's chunks, on a bar for long lists only."""
    if total < PROGRESS_FROM:
        yield None
        return
    with progress_bar("分工 assigning") as report:
        if report is None:
            yield None
            return
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            report(done, total)

        yield advance
