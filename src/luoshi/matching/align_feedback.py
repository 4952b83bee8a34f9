"""What planners taught alignment: pairs they confirmed or rejected, as plain data.

A planner reviewing an alignment confirms good pairs (这条确实落实了那项国家任务) and rejects
wrong ones. `AlignFeedback` keeps those verdicts by node id *and* title, so they survive a
re-import of the same plan (ids may change, titles rarely do), and it generalises: a pair whose
upper and lower titles resemble a confirmed pair's gains score, one resembling a rejected pair
loses score. Resemblance is the product of the title-term Jaccard overlaps on both sides.

It is pure and serialisable (`to_dict` / `from_dict`), so the service layer can store it per
plan pair and hand it back to `luoshi.matching.align.align`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from luoshi.errors import LuoshiError
from luoshi.matching.text import Segmenter, normalize

if TYPE_CHECKING:
    from luoshi.matching.align import AlignRules, PlanNode

VERDICTS = ("confirm", "reject")


@dataclass(frozen=True)
class Verdict:
    """One reviewed pair: an upper node, a lower node and what a person said of it."""

    upper_title: str
    lower_title: str
    verdict: str
    upper_id: str | None = None
    lower_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "upper_id": self.upper_id,
            "upper_title": self.upper_title,
            "lower_id": self.lower_id,
            "lower_title": self.lower_title,
            "verdict": self.verdict,
        }


@dataclass
class AlignFeedback:
    """Confirmed and rejected pairs; later verdicts on the same pair replace earlier ones."""

    verdicts: list[Verdict] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.verdicts)

    def __iter__(self) -> Iterator[Verdict]:
        return iter(self.verdicts)

    def record(self, upper: PlanNode, lower: PlanNode, verdict: str) -> None:
        """Record a person's verdict ('confirm' or 'reject') on one pair."""
        if verdict not in VERDICTS:
            raise LuoshiError(f"未知的判断 {verdict!r},应为 confirm 或 reject", "align feedback")
        key = (normalize(upper.title), normalize(lower.title))
        self.verdicts = [
            v for v in self.verdicts if (normalize(v.upper_title), normalize(v.lower_title)) != key
        ]
        self.verdicts.append(Verdict(upper.title, lower.title, verdict, upper.id, lower.id))

    def confirm(self, upper: PlanNode, lower: PlanNode) -> None:
        """Record that the lower node does carry out the upper node."""
        self.record(upper, lower, "confirm")

    def reject(self, upper: PlanNode, lower: PlanNode) -> None:
        """Record that the lower node does not carry out the upper node."""
        self.record(upper, lower, "reject")

    def to_dict(self) -> dict[str, Any]:
        """JSON form: {"verdicts": [...]}."""
        return {"verdicts": [v.to_dict() for v in self.verdicts]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AlignFeedback:
        """Read feedback back; a malformed entry raises LuoshiError naming it."""
        out = cls()
        for n, item in enumerate(data.get("verdicts", []), start=1):
            try:
                verdict = Verdict(
                    upper_title=str(item["upper_title"]),
                    lower_title=str(item["lower_title"]),
                    verdict=str(item["verdict"]),
                    upper_id=item.get("upper_id"),
                    lower_id=item.get("lower_id"),
                )
            except (KeyError, TypeError) as exc:
                raise LuoshiError(f"第{n}条判断缺少字段 {exc}", "align feedback") from exc
            if verdict.verdict not in VERDICTS:
                raise LuoshiError(
                    f"第{n}条判断 {verdict.verdict!r} 应为 confirm 或 reject", "align feedback"
                )
            out.verdicts.append(verdict)
        return out

    def adjustments(
        self,
        upper: Sequence[PlanNode],
        lower: Sequence[PlanNode],
        segmenter: Segmenter,
        rules: AlignRules,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Score changes for every (upper, lower) pair, and which pairs a person confirmed.

        A reviewed pair itself (same id or same title on both sides) is confirmed outright or
        set to −1; other pairs move by boost × resemblance to the closest reviewed pair.
        """
        shape = (len(upper), len(lower))
        adjust = np.zeros(shape, dtype=np.float32)
        confirmed = np.zeros(shape, dtype=bool)
        up_terms = [frozenset(segmenter.terms(n.title)) for n in upper]
        low_terms = [frozenset(segmenter.terms(n.title)) for n in lower]
        up_titles = [normalize(n.title) for n in upper]
        low_titles = [normalize(n.title) for n in lower]
        gain = np.zeros(shape, dtype=np.float32)
        loss = np.zeros(shape, dtype=np.float32)
        for v in self.verdicts:
            ut, lt = normalize(v.upper_title), normalize(v.lower_title)
            same_up = np.array(
                [n.id == v.upper_id or t == ut for n, t in zip(upper, up_titles, strict=True)]
            )
            same_low = np.array(
                [n.id == v.lower_id or t == lt for n, t in zip(lower, low_titles, strict=True)]
            )
            exact = np.outer(same_up, same_low)
            eu = frozenset(segmenter.terms(v.upper_title))
            el = frozenset(segmenter.terms(v.lower_title))
            ju = np.array([_jaccard(t, eu) for t in up_terms], dtype=np.float32)
            jl = np.array([_jaccard(t, el) for t in low_terms], dtype=np.float32)
            near = np.outer(ju, jl)
            if v.verdict == "confirm":
                confirmed |= exact
                np.maximum(gain, near, out=gain)
            else:
                adjust[exact] = -1.0
                np.maximum(loss, near, out=loss)
        adjust += rules.confirm_boost * gain - rules.reject_penalty * loss
        adjust[confirmed] = 0.0
        return adjust, confirmed


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0
