"""Scoring an alignment against the hand labels of tests/data/align (docs/alignment.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from luoshi.matching.align import Alignment, PlanNode

LABELS = Path(__file__).parents[1] / "data" / "align" / "speech-vs-national.yaml"


def load_labels() -> dict:
    """The labelled pairs of the sample speech against the national sample."""
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))


def label_key(node: PlanNode, keys: list[str]) -> str | None:
    """The label whose title start this node's title begins with."""
    return next((k for k in keys if node.title.startswith(k)), None)


def top_part(node_id: str, by_id: dict[str, PlanNode]) -> str:
    """The outermost ancestor (a part of the national plan) of an upper node."""
    node = by_id[node_id]
    while node.parent is not None:
        node = by_id[node.parent]
    return node.id


@dataclass(frozen=True)
class Score:
    """Precision and recall of task-level pairs, with the counts behind them."""

    precision: float
    recall: float
    predicted: int
    correct: int
    labelled: int
    found: int
    wrong: tuple[tuple[str, str], ...]
    missed: tuple[str, ...]


def task_score(result: Alignment, tasks: dict[str, dict]) -> Score:
    """Task-level precision (pairs that are primary or also) and recall (primary pairs found)."""
    keys = list(tasks)
    by_id = {n.id: n for n in result.upper}
    predicted: set[tuple[str, str]] = set()
    for up in result.upper:
        if up.role != "task":
            continue
        for match in result.matches.get(up.id, []):
            key = label_key(match.node, keys)
            if key is not None:
                predicted.add((key, top_part(up.id, by_id)))
    ok = {(k, p) for k, p in predicted if p == tasks[k]["primary"] or p in tasks[k].get("also", [])}
    found = {k for k in keys if (k, tasks[k]["primary"]) in predicted}
    return Score(
        precision=len(ok) / len(predicted) if predicted else 0.0,
        recall=len(found) / len(keys),
        predicted=len(predicted),
        correct=len(ok),
        labelled=len(keys),
        found=len(found),
        wrong=tuple(sorted(predicted - ok)),
        missed=tuple(k for k in keys if k not in found),
    )


def goal_hits(result: Alignment, goals: dict[str, str]) -> dict[str, str | None]:
    """For each labelled lower goal, the upper goal that lists it first (None when none does)."""
    keys = list(goals)
    best: dict[str, tuple[float, str]] = {}
    for up in result.upper:
        if up.role != "goal":
            continue
        for match in result.matches.get(up.id, []):
            key = label_key(match.node, keys)
            if key and match.node.role == "goal" and match.score > best.get(key, (-1.0, ""))[0]:
                best[key] = (match.score, up.id)
    return {k: best[k][1] if k in best else None for k in keys}
