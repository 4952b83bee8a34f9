import subprocess

from cli_process import luoshi_process
from luoshi import __version__


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return luoshi_process(*args, timeout=60)


def test_version_is_printed():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"luoshi {__version__}"


def test_unknown_option_is_a_usage_error_without_traceback():
    result = run("--no-such-option")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
