"""Fixtures for the matching tests: running the `luoshi` command in this process."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from luoshi.cli import main


@dataclass
class CliResult:
    """Exit status and captured output of one `luoshi` run."""

    code: int
    out: str
    err: str


@pytest.fixture
def luoshi(capfd: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `luoshi ARGS` in this process (the segmenter stays loaded between runs)."""

    def _run(*args: str | Path) -> CliResult:
        argv = sys.argv
        sys.argv = ["luoshi", *map(str, args)]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            sys.argv = argv
        out, err = capfd.readouterr()
        return CliResult(code, out, err)

    return _run
