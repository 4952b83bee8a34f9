"""A database that cannot be opened or migrated is one line naming its URL, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from cli_process import luoshi_process
from luoshi.cli.db import shown_url

SAMPLE = Path(__file__).resolve().parents[2] / "src/luoshi/data/samples/city-15th-fyp-speech.txt"


def run(url: str, *args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LUOSHI_DATABASE_URL": url}
    if data_dir is not None:
        env["LUOSHI_DATA_DIR"] = str(data_dir)
    return luoshi_process(*args, env=env)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("db", "upgrade"),
        ("db", "current"),
        ("import", "plan", str(SAMPLE)),
        ("report", "--plan", "1", "--year", "2026", "-o", "{tmp}/r.docx"),
    ],
)
def test_a_file_that_is_not_sqlite(tmp_path: Path, args: tuple[str, ...]) -> None:
    bad = tmp_path / "notadb.sqlite"
    bad.write_bytes(b"this is not a database\n" * 1000)
    url = f"sqlite:///{bad}"
    line = one_line(run(url, *(a.format(tmp=tmp_path) for a in args)))
    assert url in line and "file is not a database" in line and "无法使用数据库" in line
    assert not (tmp_path / "r.docx").exists()


def test_a_folder_that_cannot_be_made_and_a_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = one_line(run(f"sqlite:///{blocker}/sub/db.sqlite", "db", "upgrade"))
    assert str(blocker) in line
    line = one_line(run(f"sqlite:///{tmp_path}", "db", "upgrade"))
    assert "unable to open database file" in line


def test_an_unreachable_server_hides_the_password(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on: the connection is refused at once
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    line = one_line(run(f"postgresql://planner:s3cret@127.0.0.1:{port}/luoshi", "db", "upgrade"))
    assert f"postgresql://planner:***@127.0.0.1:{port}/luoshi" in line
    assert "s3cret" not in line


def test_shown_url_hides_the_password_even_when_it_does_not_parse() -> None:
    assert shown_url("postgresql://a:pw@h/db") == "postgresql://a:***@h/db"
    assert "pw" not in shown_url("postgresql://a:pw@h:notaport/db")
    assert shown_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
