"""The compiled kernels load only when a judgement runs: other commands start without numba."""

from __future__ import annotations

import subprocess
import sys

from luoshi.indicators.rules import DATA_DIR

SAMPLES = DATA_DIR.parent / "samples"

SCRIPT = f"""
import sys
from luoshi.cli import app
from luoshi.indicators import read_indicators, read_observations
table = read_indicators({str(SAMPLES / "city-indicators.csv")!r})
read_observations({str(SAMPLES / "city-observations.csv")!r}, table)
print("numba" in sys.modules)
from luoshi.indicators import evaluate
evaluate(table, read_observations({str(SAMPLES / "city-observations.csv")!r}, table), 2026)
print("numba" in sys.modules)
"""


def test_reading_tables_does_not_load_the_compiler_judging_does() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


WEB = """
import asyncio, os, sys
os.environ.update(LUOSHI_ENV="test", LUOSHI_SECRET_KEY="k" * 40, LUOSHI_DATABASE_URL="sqlite://")
from luoshi.web.app import create_app
app = create_app()
print("numba" in sys.modules)
async def start():
    async with app.router.lifespan_context(app):
        print("numba" in sys.modules)
asyncio.run(start())
"""


def test_a_web_worker_loads_the_compiler_while_starting() -> None:
    """Before its first request, so no visitor waits for it and the collector's freeze holds it."""
    out = subprocess.run([sys.executable, "-c", WEB], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
