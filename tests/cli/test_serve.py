"""`luoshi serve --workers N`: N processes on one port, each listening on its own socket."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fixtures import SECRET

LISTEN = "0A"  # TCP state LISTEN in /proc/net/tcp


def listeners(port: int) -> int:
    """How many sockets listen on `port` (IPv4) on this machine."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(
        1 for row in rows if (f := row.split())[1].endswith(f":{port:04X}") and f[3] == LISTEN
    )


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_two_workers_each_listen_and_answer(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "LUOSHI_ENV": "test",
        "LUOSHI_SECRET_KEY": SECRET,
        "LUOSHI_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "LUOSHI_DATA_DIR": str(tmp_path),
    }
    cli = [
        str(Path(sys.executable).with_name("luoshi")),
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([*cli, "--no-access-log"], env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while listeners(port) < 2 and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
        assert listeners(port) == 2  # one socket per worker: the kernel balances connections
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(20):
                assert client.get("/healthz").json() == {"ok": True}
            assert client.get("/api/v1/plans").status_code == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, log.read_text()
    assert listeners(port) == 0
