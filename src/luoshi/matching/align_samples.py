"""Plans to align, from wherever they come: a bundled sample name, an outline JSON, a document.

`luoshi align UPPER LOWER` and the demo accept each side as

- a bundled sample by name (`SAMPLES`: `national-15th`, `city-speech`),
- an outline JSON file (schema luoshi.outline/1, what `luoshi parse` writes),
- an outline YAML file in the national sample's shape (data/samples/national-15th-fyp.yaml),
- a document (.txt, .docx, .pdf …), outlined by luoshi.documents.

`load_plan` returns a `PlanSource`: the outline plus the plan's indicator rows (METHOD.md §3
columns) when the plan has an indicator table.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from luoshi.documents.model import Node, Outline
from luoshi.errors import DocumentError

# Bundled samples by name → file under data/samples.
SAMPLES = {
    "national-15th": "national-15th-fyp.yaml",
    "city-speech": "city-15th-fyp-speech.txt",
}


@dataclass
class PlanSource:
    """A plan ready to align: its outline and, when known, its indicator rows."""

    name: str
    outline: Outline
    indicators: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)


def sample_path(name: str) -> Path:
    """The bundled file of a sample plan, by its name in SAMPLES."""
    return Path(str(resources.files("luoshi").joinpath("data", "samples", SAMPLES[name])))


def _yaml_node(data: dict[str, Any], where: str) -> Node:
    """One node of the YAML outline shape."""
    try:
        node_id, kind, title = str(data["id"]), str(data["kind"]), data.get("title")
    except KeyError as exc:
        raise DocumentError(f"大纲节点缺少字段 {exc}: {data!r:.80}", where) from exc
    return Node(
        id=node_id,
        kind=kind,
        marker=data.get("marker"),
        title=title,
        text=str(data.get("text") or "").strip(),
        span=(0, 0),
        children=[_yaml_node(c, where) for c in data.get("children") or []],
    )


def _read_csv_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a METHOD.md indicator CSV, empty cells as None and numbers as floats."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for raw in csv.DictReader(fh):
            row: dict[str, Any] = {}
            for key, value in raw.items():
                value = (value or "").strip()
                if key in {"base_value", "target", "target_high", "tolerance"}:
                    row[key] = float(value) if value else None
                elif key in {"base_year", "target_year"}:
                    row[key] = int(value) if value else None
                else:
                    row[key] = value or None
            rows.append(row)
    return rows


def load_yaml_plan(path: Path, name: str | None = None) -> PlanSource:
    """Read a plan in the YAML outline shape, with its indicator CSV when it names one."""
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DocumentError(f"无法读取规划大纲 cannot read plan outline: {exc}", where) from exc
    if not isinstance(data, dict) or not isinstance(data.get("children"), list):
        raise DocumentError("规划大纲应有 children 列表 (outline needs a children list)", where)
    outline = Outline(
        source=where,
        format="yaml",
        title=data.get("title"),
        children=[_yaml_node(c, where) for c in data["children"]],
    )
    indicators: list[dict[str, Any]] = []
    if data.get("indicators"):
        indicators = _read_csv_rows(path.with_name(str(data["indicators"])))
    return PlanSource(name or path.stem, outline, indicators, list(data.get("sources") or []))


def load_outline_json(path: Path) -> PlanSource:
    """Read an outline JSON file (schema luoshi.outline/1)."""
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        outline = Outline.from_dict(data)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError, KeyError) as exc:
        raise DocumentError(f"不是有效的大纲 JSON (not an outline JSON): {exc}", where) from exc
    return PlanSource(path.stem, outline, list(outline.indicators))


def load_document(path: Path) -> PlanSource:
    """Outline a document with luoshi.documents (its indicator tables come along)."""
    from luoshi.documents import parse_file

    outline = parse_file(path)
    return PlanSource(path.stem, outline, list(outline.indicators))


def load_plan(ref: str) -> PlanSource:
    """A plan from a sample name, an outline JSON/YAML file or a document path."""
    if ref in SAMPLES:
        path = sample_path(ref)
        if path.suffix == ".yaml":
            return load_yaml_plan(path, ref)
        return _named(load_document(path), ref)
    path = Path(ref)
    if not path.exists():
        names = "、".join(SAMPLES)
        raise DocumentError(f"找不到文件,也不是内置样例名({names}) (no such file or sample)", ref)
    if path.is_dir():
        raise DocumentError("这是一个目录,请给出文件 (a folder, not a file)", ref)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return load_outline_json(path)
    if suffix in {".yaml", ".yml"}:
        return load_yaml_plan(path)
    return load_document(path)


def _named(plan: PlanSource, name: str) -> PlanSource:
    plan.name = name
    return plan
