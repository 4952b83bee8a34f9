"""The `luoshi` command line: one Typer app, one module per command group.

Commands are thin: they parse arguments, call a pure room or a service, and print. Any
LuoshiError ends the program with one clear line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console
from typer.core import TyperCommand, TyperGroup

from luoshi import __version__
from luoshi.errors import LuoshiError

HELP_OPTION_HELP = "显示帮助并退出 Show this message and exit."


class _Root(TyperGroup):
    """The `luoshi` group: the --help option of every command, at any depth, is bilingual."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _bilingual_help(self)


def _bilingual_help(command: TyperCommand | TyperGroup) -> None:
    # Typer's Click makes a command's help option once and keeps it: set its text there.
    option = command.get_help_option(typer.Context(command))
    if option is not None:
        option.help = HELP_OPTION_HELP
    for sub in getattr(command, "commands", {}).values():
        _bilingual_help(sub)


app = typer.Typer(
    name="luoshi",
    cls=_Root,
    help="落实 luoshi: 规划目标、任务、指标的落实与评估 (plan implementation tracking).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="显示版本 Show the version."),
) -> None:
    if version:
        typer.echo(f"luoshi {__version__}")
        raise typer.Exit()


def _register() -> None:
    """Import the command modules; each adds its commands to `app`."""
    # One line per command module, kept in alphabetical order.
    import luoshi.cli.align
    import luoshi.cli.assign
    import luoshi.cli.db
    import luoshi.cli.demo
    import luoshi.cli.evaluate
    import luoshi.cli.importing
    import luoshi.cli.parse
    import luoshi.cli.report
    import luoshi.cli.serve
    import luoshi.cli.user  # noqa: F401


def main() -> None:
    """Entry point of the `luoshi` script."""
    _register()
    try:
        app()
    except LuoshiError as exc:
        err_console.print(f"[bold red]错误 error[/]: {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
