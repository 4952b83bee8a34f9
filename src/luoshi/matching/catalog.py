"""Department catalogs: the units a plan can assign work to, with what each is responsible for.

A catalog is data, not code. Two are bundled (data/departments/):

- `municipal`: the working departments of a typical Chinese city government, the party
  committee's departments, and the mass organisations and vertical agencies that city plans
  name as lead or cooperating units;
- `national`: the State Council's ministries, commissions and agencies.

A user can bring a catalog of their own as YAML (the bundled form) or as an Excel sheet with
the columns 名称, 职责, 别名, 类别, 关键词 (or name, responsibilities, aliases, kind, keywords).
Each unit has:

    name              the name used in allocation tables (市生态环境局)
    responsibilities  what it is responsible for, in plain words (the main matching text)
    aliases           other names and abbreviations it appears under (市环保局, 生态环境局)
    kind              party | government | affiliated | other (see KINDS)
    keywords          optional task words that point to the unit beyond its duties
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from luoshi.errors import CellProblem, DataError, TableError
from luoshi.matching.workbook import first_sheet

# The kinds of unit, with the label a planning office uses.
KINDS: dict[str, str] = {
    "party": "党委工作机关",
    "government": "政府工作部门",
    "affiliated": "直属及其他行政机构",
    "other": "群团组织、垂直管理及其他单位",
}
BUNDLED = ("municipal", "national")
# Excel header → field; Chinese and English headers are both accepted.
_COLUMNS: dict[str, str] = {
    "名称": "name",
    "单位": "name",
    "单位名称": "name",
    "name": "name",
    "职责": "responsibilities",
    "主要职责": "responsibilities",
    "responsibilities": "responsibilities",
    "别名": "aliases",
    "简称": "aliases",
    "aliases": "aliases",
    "类别": "kind",
    "kind": "kind",
    "关键词": "keywords",
    "keywords": "keywords",
}
_LIST_SPLIT = re.compile(r"[,,、;;\n]+")


@dataclass(frozen=True)
class Unit:
    """One department or organisation that can lead or cooperate on a task."""

    name: str
    responsibilities: str
    aliases: tuple[str, ...] = ()
    kind: str = "government"
    keywords: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Catalog:
    """A named list of units with unique names."""

    name: str
    units: tuple[Unit, ...]
    title: str = ""

    def __len__(self) -> int:
        return len(self.units)

    def unit(self, name: str) -> Unit:
        """The unit called `name` or known by it as an alias; KeyError when there is none."""
        return self._by_name[name]

    def resolve(self, name: str) -> str | None:
        """The catalog name for a name or alias, or None when unknown."""
        found = self._by_name.get(name.strip())
        return found.name if found else None

    @cached_property
    def _by_name(self) -> dict[str, Unit]:
        names: dict[str, Unit] = {}
        for unit in self.units:
            for name in unit.names():
                names.setdefault(name, unit)
        for unit in self.units:  # a unit's own name wins over another unit's alias
            names[unit.name] = unit
        return names


def catalog_from_mapping(data: Any, where: str) -> Catalog:
    """Build a catalog from the YAML form: {catalog, title, units: [{name, ...}, ...]}."""
    if not isinstance(data, Mapping) or not isinstance(data.get("units"), list):
        raise DataError("目录应含 units: 单位列表 (a catalog needs a list `units`)", where)
    units: list[Unit] = []
    seen: set[str] = set()
    for number, entry in enumerate(data["units"], start=1):
        place = f"{where} 第{number}个单位"
        if not isinstance(entry, Mapping):
            raise DataError("单位应为 name/responsibilities/... 的映射", place)
        unknown = set(entry) - {"name", "responsibilities", "aliases", "kind", "keywords"}
        if unknown:
            raise DataError(f"未知字段 unknown fields {sorted(unknown)}", place)
        unit = _unit(entry, place)
        if unit.name in seen:
            raise DataError(f"单位名称重复 duplicate unit: {unit.name}", place)
        seen.add(unit.name)
        units.append(unit)
    if not units:
        raise DataError("目录中没有单位 (the catalog lists no unit)", where)
    name = str(data.get("catalog") or Path(where).stem)
    return Catalog(name=name, units=tuple(units), title=str(data.get("title") or name))


def _unit(entry: Mapping[str, Any], place: str) -> Unit:
    name = entry.get("name")
    duties = entry.get("responsibilities")
    if not isinstance(name, str) or not name.strip():
        raise DataError("缺少单位名称 name", place)
    if not isinstance(duties, str) or not duties.strip():
        raise DataError(f"{name} 缺少职责 responsibilities", place)
    kind = _kind(entry.get("kind"))
    if kind is None:
        raise DataError(
            f"{name} 的类别 kind 应为 {'/'.join(KINDS)},而不是 {entry.get('kind')!r}", place
        )
    return Unit(
        name=name.strip(),
        responsibilities=" ".join(duties.split()),
        aliases=_names(entry.get("aliases"), f"{name} aliases", place),
        kind=kind,
        keywords=_names(entry.get("keywords"), f"{name} keywords", place),
    )


def _names(value: Any, what: str, place: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in _LIST_SPLIT.split(value) if v.strip())
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise DataError(f"{what} 应为名称列表", place)


def load_catalog(source: str | Path) -> Catalog:
    """A bundled catalog by name (municipal, national) or a .yaml/.yml/.xlsx file."""
    if isinstance(source, str) and source in BUNDLED:
        return bundled_catalog(source)
    path = Path(source)
    if not path.is_file():
        raise DataError(
            f"找不到目录文件,可用内置目录 {'/'.join(BUNDLED)} (no such catalog file)", str(path)
        )
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise DataError(f"无法读取目录 cannot read catalog: {exc}", str(path)) from exc
        return catalog_from_mapping(data, str(path))
    if suffix in {".xlsx", ".xlsm"}:
        return _catalog_from_excel(path)
    raise DataError("目录文件应为 .yaml 或 .xlsx (catalog must be .yaml or .xlsx)", str(path))


def _catalog_from_excel(path: Path) -> Catalog:
    """Read the first sheet: a header row, then one unit per row; every bad cell reported."""
    file = str(path)
    title, rows = first_sheet(path)
    columns = {
        i: _COLUMNS[key]
        for i, header in enumerate(rows[0])
        if (key := str(header or "").strip().lower()) in _COLUMNS
    }
    missing = [
        CellProblem(file, title, 1, label, f"缺少列 missing column {label} ({field})")
        for field, label in (("name", "名称"), ("responsibilities", "职责"))
        if field not in columns.values()
    ]
    if missing:
        raise TableError(missing)
    problems: list[CellProblem] = []
    entries: list[dict[str, str]] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        entry = {
            field: text
            for i, field in columns.items()
            if i < len(row) and (text := str(row[i] if row[i] is not None else "").strip())
        }
        if not entry:
            continue  # blank rows between blocks are common in hand-made sheets
        problem = _row_problem(entry, seen)
        if problem:
            problems.append(CellProblem(file, title, number, *problem))
        else:
            seen.add(entry["name"])
            entries.append(entry)
    if problems:
        raise TableError(problems)
    return catalog_from_mapping({"catalog": path.stem, "units": entries}, file)


def _row_problem(entry: dict[str, str], seen: set[str]) -> tuple[str, str] | None:
    """(column, message) of the first problem of an Excel row, or None."""
    if "name" not in entry:
        return "名称", "缺少单位名称 (name is empty)"
    if "responsibilities" not in entry:
        return "职责", f"{entry['name']} 缺少职责 (responsibilities are empty)"
    if _kind(entry.get("kind")) is None:
        return "类别", f"类别应为 {'/'.join(KINDS.values())},而不是 {entry['kind']!r}"
    if entry["name"] in seen:
        return "名称", f"单位名称重复 duplicate unit: {entry['name']}"
    return None


def _kind(value: object) -> str | None:
    """The kind key for a key or its Chinese label; missing means government."""
    if value is None or value == "":
        return "government"
    for key, label in KINDS.items():
        if value in (key, label):
            return key
    return None


@lru_cache
def bundled_catalog(name: str) -> Catalog:
    """One of the bundled catalogs (municipal, national), cached."""
    if name not in BUNDLED:
        raise DataError(f"没有内置目录 {name!r},可用 {'/'.join(BUNDLED)}", "catalog")
    resource = resources.files("luoshi").joinpath("data", "departments", f"{name}.yaml")
    with resources.as_file(resource) as path:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return catalog_from_mapping(data, f"{name}.yaml")
