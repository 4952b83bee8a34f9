"""Shared test fixtures.

Under CI=true nothing that needs PostgreSQL or Chromium may skip: `require_or_skip` fails instead.
`run_luoshi(*args)` runs the `luoshi` command in the test's process: (exit status, stdout, stderr).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_or_skip(available: bool, what: str) -> None:
    """Skip a test when `what` is missing on a developer machine; fail under CI=true."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available")
    pytest.skip(f"{what} is not available")


class CliResult(NamedTuple):
    """Exit status and captured output of one `luoshi` run."""

    code: int
    out: str
    err: str


@pytest.fixture
def run_luoshi(capfd: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `luoshi ARGS` in this process (fast: models and segmenter stay loaded between runs)."""

    from luoshi.cli import main

    def _run(*args: str | Path) -> CliResult:
        code = 0
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "argv", ["luoshi", *map(str, args)])
            try:
                main()
            except SystemExit as exc:
                code = int(exc.code or 0)
        out, err = capfd.readouterr()
        return CliResult(code, out, err)

    return _run
