"""Results kept per worker: after a change, many requests at once rebuild a result only once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from luoshi.services.indicators import Memo


def test_requests_arriving_together_build_a_missing_result_once() -> None:
    memo: Memo = Memo(4)
    builds: list[int] = []
    start = threading.Barrier(8)

    def build() -> str:
        builds.append(1)
        time.sleep(0.05)  # long enough for every other request to arrive meanwhile
        return "overview"

    def request(_: int) -> str:
        start.wait()
        return memo.get_or_build(("plan", 1, "stamp-a"), build)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(request, range(8)))
    assert results == ["overview"] * 8
    assert len(builds) == 1


def test_a_new_stamp_builds_again_and_the_oldest_result_makes_room() -> None:
    memo: Memo = Memo(2)
    assert memo.get_or_build("a", lambda: 1) == 1
    assert memo.get_or_build("a", lambda: 2) == 1  # same stamp: kept
    assert memo.get_or_build("b", lambda: 3) == 3
    assert memo.get_or_build("c", lambda: 4) == 4
    assert memo.get("a") is None  # least recently used, dropped
    assert memo.get_or_build("a", lambda: 5) == 5
