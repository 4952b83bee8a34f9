"""Benchmark task allocation: suggestions for 10,000 task lines against the municipal catalog.

The task lines are made from real wording: each is a headline and one to three explanation
clauses drawn (seeded) from the sample speech and the labelled development set
(tests/data/assign/), so their length and vocabulary are those of city work reports.
Measured in the same run, after the segmenter has loaded its dictionary once:

  segment   the baseline: jieba segmentation of every line alone (`Segmenter.cut`)
  suggest   `Suggester.suggest_many(lines)` end to end: segmentation of headline and body,
            thesaurus expansion, BM25 scores of every unit, lead/cooperate choice, reasons

Goals (issue 6): at least 500 tasks/s, and suggest within 3× of segmentation alone.

    .venv/bin/python bench/assign.py [--tasks 10000 --repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

from luoshi.matching.assign import Suggester
from luoshi.matching.catalog import bundled_catalog
from luoshi.matching.text import default_segmenter

ROOT = Path(__file__).resolve().parents[1]
GOAL_RATE, GOAL_RATIO = 500.0, 3.0


def clauses() -> list[str]:
    """Clauses of 4–40 characters from the sample speech and the development set."""
    texts = [(ROOT / "src/luoshi/data/samples/city-15th-fyp-speech.txt").read_text("utf-8")]
    for path in sorted((ROOT / "tests/data/assign").glob("*.jsonl")):
        texts += [json.loads(line)["task"] for line in path.read_text("utf-8").splitlines()]
    found = {c for t in texts for c in re.split(r"[,。;:!?\n]", t) if 4 <= len(c) <= 40}
    return sorted(found)


def task_lines(n: int, seed: int = 15) -> list[str]:
    """n distinct task lines: a headline, then one to three explanation clauses."""
    rng = random.Random(seed)
    pool = clauses()
    lines: set[str] = set()
    while len(lines) < n:
        head, *body = rng.sample(pool, rng.randint(2, 4))
        lines.add(f"{head}。{','.join(body)}。")
    return sorted(lines)


def best_of(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = task_lines(args.tasks)
    segmenter = default_segmenter()
    suggester = Suggester(bundled_catalog("municipal"), segmenter=segmenter)
    suggester.suggest_many(lines[:100])  # warm up: dictionary, caches of thesaurus expansion
    chars = sum(map(len, lines))

    segment = best_of(args.repeat, lambda: [segmenter.cut(line) for line in lines])
    suggest = best_of(args.repeat, lambda: suggester.suggest_many(lines))
    rate, ratio = len(lines) / suggest, suggest / segment
    print(f"{len(lines)} task lines, {chars / len(lines):.0f} characters on average")
    print(f"segment  {segment:7.3f} s  ({len(lines) / segment:8.0f} lines/s)  baseline")
    print(f"suggest  {suggest:7.3f} s  ({rate:8.0f} tasks/s)  {ratio:.2f}× segmentation")
    ok = rate >= GOAL_RATE and ratio <= GOAL_RATIO
    print(
        f"goal: ≥{GOAL_RATE:.0f} tasks/s and ≤{GOAL_RATIO:.0f}× segmentation: "
        + ("met" if ok else "NOT met")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
