"""Running the `luoshi` command from a test as a real process, the way a user runs it.

(`run_luoshi` in tests/conftest.py runs it in the test's own process, which is faster.)
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

PROGRAM = "from luoshi.cli import main; main()"


def luoshi_process(
    *args: str, env: Mapping[str, str] | None = None, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `luoshi ARGS` in a new Python process; its exit status and captured text output."""
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=None if env is None else dict(env),
        input=stdin,
    )
