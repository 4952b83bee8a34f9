"""Two uvicorn worker processes on one PostgreSQL database behave as one service.

Each process gets its own port so the test decides which one answers: sign in on one, use
the session, the CSRF token and the rate limit on the other.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from fixtures import PASSWORD, SECRET, _fresh_pg, import_sample_plan

pytestmark = pytest.mark.postgres


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def workers(pg_seeded, tmp_path) -> Iterator[tuple[str, str, int]]:
    url, rows = pg_seeded
    db = _fresh_pg(url, rows)
    plan_id = import_sample_plan(db, tmp_path)
    db.dispose()
    env = {
        **os.environ,
        "LUOSHI_ENV": "test",
        "LUOSHI_SECRET_KEY": SECRET,
        "LUOSHI_DATABASE_URL": url,
        "LUOSHI_DATA_DIR": str(tmp_path),
        "LUOSHI_LOGIN_MAX_FAILURES": "3",
    }
    ports = [free_port(), free_port()]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "luoshi.web.app:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(p),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        for p in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        deadline = time.monotonic() + 60
        for base in bases:
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "worker did not start"
                time.sleep(0.2)
        yield bases[0], bases[1], plan_id
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)


def test_sign_in_on_one_worker_use_on_the_other(workers):
    a_base, b_base, plan_id = workers
    with httpx.Client(base_url=a_base) as a, httpx.Client(base_url=b_base) as b:
        token = a.get("/api/v1/auth/session").json()["csrf_token"]
        signed = a.post(
            "/api/v1/auth/login",
            json={"username": "planner", "password": PASSWORD},
            headers={"X-CSRF-Token": token},
        )
        assert signed.status_code == 200
        csrf = signed.json()["csrf_token"]
        b.cookies.set("luoshi_session", a.cookies["luoshi_session"])
        assert b.get("/api/v1/users/me").json()["username"] == "planner"

        node = b.get(f"/api/v1/plans/{plan_id}/outline", params={"kind": "item"}).json()["items"][0]
        headers = {"X-CSRF-Token": csrf, "If-Match": f'"{node["version"]}"'}
        url = f"/api/v1/nodes/{node['id']}"
        assert b.patch(url, json={"title": "乙进程改"}, headers=headers).status_code == 200
        assert a.patch(url, json={"title": "甲进程改"}, headers=headers).status_code == 409
        assert a.get(url).json()["title"] == "乙进程改"

        assert a.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
        assert b.get("/api/v1/users/me").status_code == 401


def test_rate_limit_is_shared_between_workers(workers):
    a_base, b_base, _ = workers
    codes = []
    for i in range(4):
        with httpx.Client(base_url=a_base if i % 2 == 0 else b_base) as c:
            token = c.get("/api/v1/auth/session").json()["csrf_token"]
            codes.append(
                c.post(
                    "/api/v1/auth/login",
                    json={"username": "viewer", "password": "wrong-password"},
                    headers={"X-CSRF-Token": token},
                ).status_code
            )
    assert codes == [401, 401, 401, 429]
