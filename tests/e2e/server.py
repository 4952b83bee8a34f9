"""A real luoshi web server for browser tests and screenshots, in its own process.

`python tests/e2e/server.py PORT FOLDER {seed|demo|keep}` migrates a fresh SQLite database in
FOLDER, loads either the test accounts and the indicator library (`seed`) or the full demo data
set (`demo`), or leaves the database as it is (`keep`, to restart a server, e.g. with another
LUOSHI_CLOCK), and serves it with uvicorn on 127.0.0.1:PORT. `running_server` starts it on a free
port and waits until it answers; `server_database` opens its database from a test, e.g. to store
SAMPLE (the sample plan text) through the services.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from luoshi.storage import Database

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
SAMPLE = ROOT / "src" / "luoshi" / "data" / "samples" / "city-15th-fyp-speech.txt"


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(folder: Path, data: str = "seed", timeout: float = 60) -> Iterator[str]:
    """Start the server on a free port; yields its base URL and stops it afterwards."""
    port = free_port()
    log = (folder / "server.log").open("w")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [sys.executable, __file__, str(port), str(folder), data],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {(folder / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start in time") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def database_url(folder: Path) -> str:
    """The SQLite URL of the server's database in `folder`."""
    return f"sqlite:///{folder / 'luoshi.sqlite3'}"


@contextmanager
def server_database(folder: Path) -> Iterator[Database]:
    """The server's database in `folder`, opened from the test process and closed afterwards."""
    db = Database(database_url(folder))
    try:
        yield db
    finally:
        db.dispose()


def main(port: int, folder: Path, data: str) -> None:
    """Build the database and serve it (runs in the server process)."""
    sys.path.insert(0, str(TESTS))
    import uvicorn

    from fixtures import make_settings, seed
    from luoshi.services import SYSTEM, indicators
    from luoshi.services.demo import load_demo
    from luoshi.storage import upgrade
    from luoshi.web.app import create_app

    url = database_url(folder)
    db = Database(url)
    upgrade(db)
    if data == "demo":
        load_demo(db)
    elif data == "seed":
        seed(db)
        indicators.load_library(db, SYSTEM)
    app = create_app(make_settings(folder, url), db=db)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
