"""Web benchmark: a 1,000-node plan with 200 indicators and 10 years of data under load.

Builds the plan through the services on a fresh database (SQLite file by default, or
--database-url for PostgreSQL) and serves it with `luoshi serve` on loopback: uvicorn
(httptools, uvloop) workers under gunicorn, each on its own SO_REUSEPORT socket, one worker
per core by default (--workers), access log off. Then a bounded load, `wrk` with 50
connections (--clients), signed in with one session cookie and accepting gzip as browsers do
(no If-None-Match: every answer is a full body), on a trivial endpoint (/healthz, the
baseline), the overview page, the indicator API and the outline API: 15 seconds each
(--duration), in 3 rounds (--rounds) in which the endpoints take turns, so a burst of other
work on the machine hits them alike; one second of warm-up each first. Prints p50/p99
latency and requests/s (median of the rounds), each as a ratio to the trivial endpoint, and
the load average of the machine.

wrk (Debian package `wrk`) is a small C load generator, so the load costs the server little
CPU. Without it the benchmark says so and falls back to a Python client (httpx, asyncio),
--requests GETs per endpoint, which itself takes much of the CPU the server needs.

Goal (issue 5): p99 < 150 ms for every endpoint and at least 1/3 of the trivial throughput.

    .venv/bin/python bench/web.py [--workers 2] [--clients 50] [--duration 15] [--rounds 3]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from luoshi.services import SYSTEM, accounts, indicators, plans
from luoshi.storage import Database, upgrade

SECRET = "bench-secret-key-0123456789-abcdefghijklmnop"
PASSWORD = "bench-pass-123"
PARTS, SECTIONS, MEASURES = 10, 9, 10  # 10 + 90 + 900 = 1,000 nodes
INDICATORS = 200
BASE_YEAR, TARGET_YEAR = 2025, 2030
YEARS = range(2016, 2026)  # ten years of observations
KINDS = ("level", "at_least", "avg_rate_at_least", "cumulative_reduction")


def outline() -> dict:
    """A synthetic outline of PARTS × SECTIONS × MEASURES with realistic text lengths."""
    rng = random.Random(5)
    words = [
        "推进",
        "建设",
        "加快",
        "提升",
        "完善",
        "强化",
        "深化",
        "培育",
        "产业",
        "创新",
        "民生",
        "生态",
        "改革",
        "开放",
        "数字",
        "治理",
    ]

    def text(n: int) -> str:
        return "".join(rng.choice(words) for _ in range(n)) + "。"

    parts = []
    for p in range(1, PARTS + 1):
        sections = []
        for s in range(1, SECTIONS + 1):
            measures = [
                {"id": f"{p}.{s}.{m}", "kind": "measure", "title": text(4)[:-1], "text": text(40)}
                for m in range(1, MEASURES + 1)
            ]
            sections.append(
                {
                    "id": f"{p}.{s}",
                    "kind": "section",
                    "marker": f"({s})",
                    "title": text(6)[:-1],
                    "text": text(20),
                    "children": measures,
                }
            )
        parts.append(
            {
                "id": str(p),
                "kind": "part",
                "marker": f"{p}、",
                "title": text(6)[:-1],
                "text": "",
                "children": sections,
            }
        )
    return {"children": parts}


def tables(folder: Path) -> tuple[Path, Path]:
    """An indicator table of INDICATORS rows (all kinds) and ten years of observations."""
    rng = random.Random(7)
    rows = [
        "code,name,category,unit,attribute,direction,base_year,base_value,target_year,kind,target"
    ]
    obs = ["code,year,value"]
    for i in range(INDICATORS):
        code, kind = f"B{i:03d}", KINDS[i % len(KINDS)]
        base = round(rng.uniform(10, 100), 2)
        target = {
            "level": base * 1.2,
            "at_least": base * 0.9,
            "avg_rate_at_least": 5,
            "cumulative_reduction": 13.5,
        }[kind]
        value = "" if kind in ("avg_rate_at_least", "cumulative_reduction") else base
        attribute = "binding" if i % 5 == 0 else "expected"
        rows.append(
            f"{code},指标{i},分类{i % 6},%,{attribute},up,{BASE_YEAR},{value},{TARGET_YEAR},"
            f"{kind},{target:.2f}"
        )
        for year in YEARS:
            if kind in ("avg_rate_at_least", "cumulative_reduction"):
                v = rng.uniform(1, 8)
            else:
                v = base * (1 + 0.02 * (year - BASE_YEAR)) + rng.uniform(-1, 1)
            obs.append(f"{code},{year},{v:.3f}")
    ind, ob = folder / "indicators.csv", folder / "observations.csv"
    ind.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ob.write_text("\n".join(obs) + "\n", encoding="utf-8")
    return ind, ob


def build(url: str, folder: Path) -> int:
    """Migrate, and store the plan, its indicators and observations and one account."""
    db = Database(url)
    upgrade(db)
    plan = plans.import_plan(
        db, SYSTEM, outline(), title="基准规划", start_year=2026, end_year=TARGET_YEAR
    ).plan_id
    assert plan is not None
    ind, ob = tables(folder)
    indicators.import_indicators(db, SYSTEM, plan, ind)
    indicators.import_observations(db, SYSTEM, ob, plan_id=plan)
    accounts.add_user(db, SYSTEM, "bench", PASSWORD, "planner")
    db.dispose()
    return plan


@contextmanager
def database(url: str | None, folder: Path) -> Iterator[str]:
    """The URL to benchmark: a SQLite file, or a fresh schema in the PostgreSQL database."""
    if not url:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    if not url.startswith("postgresql"):
        yield url
        return
    schema = f"luoshi_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as c:
            c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(url: str, folder: Path, workers: int) -> tuple[subprocess.Popen, str]:
    """`luoshi serve` on loopback, waiting until it answers."""
    port = free_port()
    env = {
        **os.environ,
        "LUOSHI_ENV": "test",
        "LUOSHI_SECRET_KEY": SECRET,
        "LUOSHI_DATABASE_URL": url,
        "LUOSHI_DATA_DIR": str(folder),
    }
    luoshi = str(Path(sys.executable).with_name("luoshi"))
    proc = subprocess.Popen(
        [luoshi, "serve", "--port", str(port), "--workers", str(workers), "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("server did not start")


def sign_in(base: str) -> dict[str, str]:
    with httpx.Client(base_url=base) as c:
        token = c.get("/api/v1/auth/session").json()["csrf_token"]
        r = c.post(
            "/api/v1/auth/login",
            json={"username": "bench", "password": PASSWORD},
            headers={"X-CSRF-Token": token},
        )
        r.raise_for_status()
        return {"luoshi_session": c.cookies["luoshi_session"]}


async def load(
    base: str, path: str, cookies: dict[str, str], clients: int, total: int
) -> tuple[list[float], float, int]:
    """`total` GETs of `path` from `clients` concurrent clients: latencies, wall time, bytes."""
    latencies: list[float] = []
    failures: list[str] = []
    remaining = total
    size = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal remaining, size
        while remaining > 0:
            remaining -= 1
            t = time.perf_counter()
            try:
                r = await client.get(path)
            except httpx.TransportError:
                failures.append(path)  # counted and reported, not timed
                continue
            latencies.append(time.perf_counter() - t)
            if r.status_code != 200:
                raise SystemExit(f"{path}: HTTP {r.status_code} {r.text[:200]}")
            size = len(r.content)

    async with httpx.AsyncClient(
        base_url=base, cookies=cookies, limits=limits, timeout=60
    ) as client:
        for _ in range(min(clients, 20)):  # warm up connections and caches
            await client.get(path)
        start_t = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        wall = time.perf_counter() - start_t
    if failures:
        print(f"{path}: {len(failures)} connection errors")
    return latencies, wall, size


UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}
ACCEPT = "Accept-Encoding: gzip, deflate"  # what browsers and httpx send


def wrk(
    base: str, path: str, cookies: dict[str, str], clients: int, duration: float, *, warm: bool
) -> tuple[float, float, float]:
    """wrk on `path` for `duration` seconds with `clients` connections: p50, p99 (s), req/s."""
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())

    def run(seconds: float) -> str:
        out = subprocess.run(
            [
                *("wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s"),
                *("--latency", "-H", f"Cookie: {cookie}", "-H", ACCEPT, base + path),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if bad := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
            raise SystemExit(f"{path}: {bad[1]} answers were not 200\n{out}")
        if errors := re.search(r"Socket errors: .*", out):
            print(f"{path}: {errors[0]}")
        return out

    if warm:
        run(1)  # warm-up: connections, and the caches of every worker
    out = run(duration)

    def latency(q: int) -> float:
        value, unit = re.search(rf"^\s+{q}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M).groups()
        return float(value) * UNITS[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    return latency(50), latency(99), rps


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        help="default: a fresh SQLite file in a temp folder; a PostgreSQL URL gets a schema "
        "of its own for the run, dropped afterwards",
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent connections")
    parser.add_argument(
        "--duration", type=float, default=15, help="seconds per endpoint in all (wrk)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns each endpoint takes (wrk): median"
    )
    parser.add_argument(
        "--requests", type=int, default=1000, help="requests per endpoint (Python fallback)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    use_wrk = shutil.which("wrk") is not None
    if not use_wrk:
        print(
            "wrk not found (apt-get install wrk): falling back to the Python client, which "
            "competes with the server for CPU; figures are not comparable with wrk runs"
        )
    with (
        tempfile.TemporaryDirectory(prefix="luoshi-bench-") as tmp,
        database(args.database_url, Path(tmp)) as url,
    ):
        folder = Path(tmp)
        t = time.perf_counter()
        plan = build(url, folder)
        print(
            f"built plan {plan}: {PARTS + PARTS * SECTIONS * (1 + MEASURES)} nodes, "
            f"{INDICATORS} indicators × {len(YEARS)} years in {time.perf_counter() - t:.1f}s "
            f"({url.split(':')[0]})"
        )
        proc, base = start(url, folder, args.workers)
        try:
            cookies = sign_in(base)
            endpoints = [
                ("trivial /healthz", "/healthz"),
                ("overview page", f"/plans/{plan}"),
                ("indicator API", f"/api/v1/plans/{plan}/indicators?limit=200"),
                ("outline API", f"/api/v1/plans/{plan}/outline"),
            ]
            sizes = [
                httpx.get(base + path, cookies=cookies).raise_for_status().num_bytes_downloaded
                for _, path in endpoints
            ]  # on the wire: gzipped where the server does
            rounds: list[list[tuple[float, float, float]]] = [[] for _ in endpoints]
            # Endpoints take turns, round after round, so a burst of other work on the
            # machine lands on all of them alike; each figure is the median of the rounds.
            for turn in range(args.rounds if use_wrk else 1):
                for i, (_, path) in enumerate(endpoints):
                    if use_wrk:
                        seconds = args.duration / args.rounds
                        rounds[i].append(
                            wrk(base, path, cookies, args.clients, seconds, warm=turn == 0)
                        )
                    else:
                        lat, wall, _ = asyncio.run(
                            load(base, path, cookies, args.clients, args.requests)
                        )
                        rounds[i].append((pct(lat, 50), pct(lat, 99), len(lat) / wall))
            rows = [
                (name, *(statistics.median(col) for col in zip(*runs, strict=True)), size)
                for (name, _), runs, size in zip(endpoints, rounds, sizes, strict=True)
            ]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    _, base50, base99, base_rps, _ = rows[0]
    amount = (
        f"wrk {args.rounds} × {args.duration / args.rounds:g} s (median)"
        if use_wrk
        else f"{args.requests} requests (Python)"
    )
    load_avg = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{args.clients} clients, {amount} per endpoint, {args.workers} worker(s), "
        f"load average {load_avg}"
    )
    print(
        f"{'endpoint':<18}{'bytes':>9}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>8}"
        f"{'p50 ×':>8}{'p99 ×':>8}{'req/s ×':>9}  goal"
    )
    for name, p50, p99, rps, size in rows:
        ok = p99 < 0.150 and rps >= base_rps / 3
        print(
            f"{name:<18}{size:>9}{p50 * 1000:>9.1f}{p99 * 1000:>9.1f}{rps:>8.0f}"
            f"{p50 / base50:>8.1f}{p99 / base99:>8.1f}{rps / base_rps:>9.2f}  "
            f"{'met' if ok else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
