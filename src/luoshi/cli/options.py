"""Option and argument types shared by the commands, each refusing a bad value in one line.

A value Click would refuse with its English usage box (an unknown choice, a missing file, an
implausible year) is refused here with a LuoshiError instead, which `luoshi.cli.main` prints as
one bilingual line with exit status 2, like every other refusal.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from luoshi.errors import LuoshiError


def choice_option(
    names: tuple[str, ...], choices: list[str], what: tuple[str, str], help: str
) -> Any:
    """An option taking one of `choices`: the help lists them, a bad one is refused in one line.

    `what` names the kind of value in Chinese and English, e.g. ("格式", "format").
    """

    def parse(value: str) -> str:
        if value in choices:
            return value
        raise LuoshiError(
            f"未知{what[0]} {value!r} unknown {what[1]}; 可选 choose from: {', '.join(choices)}",
            where=names[0],
        )

    return typer.Option(*names, parser=parse, metavar=f"[{'|'.join(choices)}]", help=help)


def year_option(name: str, help: str) -> Any:
    """An option taking a plausible year (clock.PLAUSIBLE_YEARS); anything else in one line."""

    def parse(value: str) -> int:
        from luoshi.services.clock import PLAUSIBLE_YEARS

        first, last = PLAUSIBLE_YEARS
        try:
            year = int(value)
        except ValueError:
            year = None
        if year is None or not first <= year <= last:
            raise LuoshiError(
                f"年份应为 {first}–{last} 之间的整数,实际为 {value!r} "
                f"(a year from {first} to {last} is expected)",
                where=name,
            )
        return year

    return typer.Option(name, parser=parse, metavar="<year>", help=help)


def _existing_file(value: str) -> Path:
    path = Path(value)
    if path.is_dir():
        raise LuoshiError("这是一个目录,不是文件 is a directory", where=value)
    if not path.exists():
        raise LuoshiError("文件不存在 file not found", where=value)
    if not os.access(path, os.R_OK):
        raise LuoshiError("没有读取权限 permission denied", where=value)
    return path


def file_argument(help: str) -> Any:
    """A required argument naming a readable file; a missing one or a folder in one line."""
    return typer.Argument(parser=_existing_file, help=help, show_default=False)


@dataclass(frozen=True)
class Formats:
    """The formats a command writes, each with the file extensions that name it.

    The first format is the default when neither --format nor the -o extension names one.
    """

    extensions: Mapping[str, tuple[str, ...]]

    @property
    def default(self) -> str:
        return next(iter(self.extensions))

    def describe(self) -> str:
        """`json (.json), markdown (.md .markdown)`: what a refusal lists."""
        return ", ".join(f"{name} ({' '.join(exts)})" for name, exts in self.extensions.items())

    def option(self) -> Any:
        """The --format/-f option: its choices listed, by default the -o extension decides."""
        return choice_option(
            ("--format", "-f"),
            list(self.extensions),
            ("格式", "format"),
            f"输出格式,默认按 -o 的扩展名,否则 {self.default} "
            f"(output format; default: from the -o extension, else {self.default}).",
        )

    def choose(self, fmt: str | None, out: Path | None) -> str:
        """The format to write: the one the -o extension names, which --format may only repeat.

        A file without an extension takes --format (else the default); an extension this
        command cannot write, or a --format that contradicts it, is refused naming the file.
        """
        suffix = out.suffix.lower() if out is not None else ""
        if not suffix:
            return fmt or self.default
        named = next((name for name, exts in self.extensions.items() if suffix in exts), None)
        if named is None:
            raise LuoshiError(
                f"未知格式 {suffix[1:]!r} unknown format; 可写 can write: {self.describe()}",
                where=str(out),
            )
        if fmt is not None and fmt != named:
            raise LuoshiError(
                f"--format {fmt} 与扩展名 {suffix} 不符 does not match the extension; "
                f"可写 can write: {self.describe()}",
                where=str(out),
            )
        return named
