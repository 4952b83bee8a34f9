"""The plan outline as values: what `luoshi parse` produces and other rooms read.

An `Outline` is a tree of `Node`s (part, chapter, section, item, measure, paragraph) over one
source text, each with the targets found in it. `to_dict()` / `from_dict()` are the JSON form
documented in docs/outline-schema.md (schema "luoshi.outline/1"); change the schema name when a
field changes meaning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from luoshi.errors import DocumentError

SCHEMA = "luoshi.outline/1"

# Node kinds, shallowest first (docs/glossary.md: 篇, 章, 节, 条/项, 举措, 段落).
KINDS = ("part", "chapter", "section", "item", "measure", "paragraph")


@dataclass(frozen=True)
class SourceText:
    """A document decoded to text: what every later step reads.

    `text` is the cleaned text (page headers, page numbers and hard line breaks removed);
    spans in the outline are offsets into it. `simplified` is the same text in simplified
    Chinese, offset for offset (what the rules match on). `indicator_rows` holds the indicator
    rows found in document tables (.docx), already in the METHOD.md §3 `indicators` format.
    """

    text: str
    source: str
    format: str
    encoding: str | None = None
    traditional: bool = False
    indicator_rows: tuple[dict[str, Any], ...] = ()
    simplified: str | None = None

    @property
    def scan(self) -> str:
        """The text the rules read: the simplified form, same offsets as `text`."""
        return self.simplified if self.simplified is not None else self.text


@dataclass(slots=True)
class Target:
    """A target found in text: 年均增长6%左右, 达到65%, 高于全国平均水平, 约束性 …"""

    text: str
    kind: str
    span: tuple[int, int]
    value: float | None = None
    value_high: float | None = None
    unit: str | None = None
    year: int | None = None
    comparison: str | None = None
    subject: str | None = None
    benchmark: str | None = None
    binding: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of this target."""
        return {
            "text": self.text,
            "kind": self.kind,
            "value": self.value,
            "value_high": self.value_high,
            "unit": self.unit,
            "year": self.year,
            "comparison": self.comparison,
            "subject": self.subject,
            "benchmark": self.benchmark,
            "binding": self.binding,
            "span": list(self.span),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        """Read a target back from its JSON form."""
        return cls(
            text=data["text"],
            kind=data["kind"],
            span=(int(data["span"][0]), int(data["span"][1])),
            value=data.get("value"),
            value_high=data.get("value_high"),
            unit=data.get("unit"),
            year=data.get("year"),
            comparison=data.get("comparison"),
            subject=data.get("subject"),
            benchmark=data.get("benchmark"),
            binding=bool(data.get("binding", False)),
        )


@dataclass(slots=True)
class Node:
    """One heading, item, measure or paragraph of the outline."""

    id: str
    kind: str
    marker: str | None
    title: str | None
    text: str
    span: tuple[int, int]
    targets: list[Target] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    implicit: bool = False

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of this node and its subtree."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "marker": self.marker,
            "title": self.title,
            "text": self.text,
            "span": list(self.span),
            "targets": [t.to_dict() for t in self.targets],
            "children": [c.to_dict() for c in self.children],
        }
        if self.implicit:
            data["implicit"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Node:
        """Read a node and its subtree back from its JSON form."""
        return cls(
            id=str(data["id"]),
            kind=data["kind"],
            marker=data.get("marker"),
            title=data.get("title"),
            text=data.get("text", ""),
            span=(int(data["span"][0]), int(data["span"][1])),
            targets=[Target.from_dict(t) for t in data.get("targets", [])],
            children=[Node.from_dict(c) for c in data.get("children", [])],
            implicit=bool(data.get("implicit", False)),
        )


@dataclass
class Outline:
    """The structured outline of one document."""

    source: str
    format: str
    children: list[Node] = field(default_factory=list)
    title: str | None = None
    encoding: str | None = None
    traditional: bool = False
    indicators: list[dict[str, Any]] = field(default_factory=list)
    chars: int = 0

    def walk(self) -> Iterator[Node]:
        """Every node in document order (depth first)."""
        for node in self.children:
            yield from node.walk()

    def measures(self) -> Iterator[tuple[list[Node], Node]]:
        """Every measure with its path of ancestors (outermost first)."""
        yield from _measures(self.children, [])

    def find(self, node_id: str) -> Node | None:
        """The node with this id, or None."""
        return next((n for n in self.walk() if n.id == node_id), None)

    def targets(self) -> Iterator[tuple[Node, Target]]:
        """Every target with the node it was found in (the deepest one)."""
        for node in self.walk():
            for target in node.targets:
                yield node, target

    def counts(self) -> dict[str, int]:
        """How many nodes of each kind the outline has."""
        counts = dict.fromkeys(KINDS, 0)
        for node in self.walk():
            counts[node.kind] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (docs/outline-schema.md)."""
        return {
            "schema": SCHEMA,
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "traditional": self.traditional,
            "title": self.title,
            "chars": self.chars,
            "counts": self.counts(),
            "indicators": self.indicators,
            "children": [c.to_dict() for c in self.children],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outline:
        """Read an outline back from its JSON form; refuses another schema."""
        schema = data.get("schema") if isinstance(data, dict) else None
        if schema != SCHEMA:
            raise DocumentError(
                f"不是 {SCHEMA} 格式的提纲 not a {SCHEMA} outline (schema {schema!r})",
                where=str(data.get("source", "outline")) if isinstance(data, dict) else "outline",
            )
        return cls(
            source=data["source"],
            format=data["format"],
            encoding=data.get("encoding"),
            traditional=bool(data.get("traditional", False)),
            title=data.get("title"),
            chars=int(data.get("chars", 0)),
            indicators=list(data.get("indicators", [])),
            children=[Node.from_dict(c) for c in data.get("children", [])],
        )


def _measures(nodes: list[Node], path: list[Node]) -> Iterator[tuple[list[Node], Node]]:
    for node in nodes:
        if node.kind == "measure":
            yield path, node
        yield from _measures(node.children, [*path, node])
