"""What people decided: confirmed and corrected assignments, kept as plain data.

Every time a planner confirms a suggestion or corrects it (another lead, other cooperating
units), the final assignment is remembered as a `Decision`. The suggester then treats a new
task that reads like a remembered one as evidence for the units people chose for it, so one
correction improves the suggestions for every similar measure.

The memory is pure data: `to_dict()` gives JSON the service can store, `from_dict()` reads it
back and refuses a malformed document with a clear error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from luoshi.errors import DataError

FORMAT = "luoshi.assign-feedback/1"


@dataclass(frozen=True)
class Decision:
    """The units people settled on for one task."""

    task: str
    lead: tuple[str, ...]
    cooperate: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"task": self.task, "lead": list(self.lead), "cooperate": list(self.cooperate)}


@dataclass
class FeedbackMemory:
    """Decisions in the order they were made; a later decision on the same task replaces one."""

    decisions: list[Decision] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.decisions)

    def __iter__(self) -> Iterator[Decision]:
        return iter(self.decisions)

    def record(self, task: str, lead: Iterable[str], cooperate: Iterable[str] = ()) -> Decision:
        """Remember the units chosen for a task (a confirmation or a correction)."""
        lead, cooperate = tuple(lead), tuple(u for u in cooperate if u not in lead)
        if not task.strip() or not lead:
            raise DataError("记录分工需要任务和至少一个牵头单位 (task and lead required)")
        decision = Decision(task.strip(), lead, cooperate)
        self.decisions = [d for d in self.decisions if d.task != decision.task]
        self.decisions.append(decision)
        return decision

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: {"format": ..., "decisions": [{task, lead, cooperate}, ...]}."""
        return {"format": FORMAT, "decisions": [d.to_dict() for d in self.decisions]}

    @classmethod
    def from_dict(cls, data: Any, where: str = "feedback") -> FeedbackMemory:
        """Read the JSON form back; a malformed entry raises DataError naming it."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise DataError(f"不是分工反馈文件 (expected format {FORMAT})", where)
        memory = cls()
        for number, entry in enumerate(data.get("decisions") or [], start=1):
            ok = (
                isinstance(entry, dict)
                and isinstance(entry.get("task"), str)
                and _names(entry.get("lead"))
                and (entry.get("cooperate") is None or _names(entry["cooperate"], empty=True))
            )
            if not ok:
                raise DataError(
                    "应为 {task, lead: [...], cooperate: [...]}", f"{where} 第{number}条"
                )
            memory.record(entry["task"], entry["lead"], entry.get("cooperate") or ())
        return memory

    def save(self, path: str | Path) -> None:
        """Write the memory as JSON, atomically (a crash leaves the old file intact)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> FeedbackMemory:
        """Read a memory written by `save`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"无法读取反馈文件 cannot read feedback: {exc}", str(path)) from exc
        return cls.from_dict(data, str(path))


def _names(value: Any, empty: bool = False) -> bool:
    return (
        isinstance(value, list)
        and (empty or bool(value))
        and all(isinstance(v, str) and v.strip() for v in value)
    )
