"""Regions (province → city → district) and departments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from luoshi.errors import Invalid
from luoshi.services.audit import record, record_added
from luoshi.services.permissions import Actor, check
from luoshi.services.transactions import reading, writing
from luoshi.services.views import DepartmentView, ImportResult, RegionView
from luoshi.storage import Database
from luoshi.storage.models import Department, Region

LEVELS = ("province", "city", "district")


def add_region(
    db: Database, actor: Actor, code: str, name: str, level: str, parent_code: str | None = None
) -> RegionView:
    """Add a region below `parent_code` (a province has none)."""
    check(actor, "catalog.edit")
    if level not in LEVELS:
        raise Invalid(f"未知层级 unknown level: {level}(可选 {', '.join(LEVELS)})")
    with writing(db) as s:
        parent_id = None
        if parent_code:
            parent = s.scalar(select(Region).where(Region.code == parent_code))
            if parent is None:
                raise Invalid(f"上级地区不存在 unknown parent region: {parent_code}")
            if LEVELS.index(parent.level) >= LEVELS.index(level):
                raise Invalid(f"{level} 不能在 {parent.level} 之下 wrong level order")
            parent_id = parent.id
        region = Region(code=code, name=name, level=level, parent_id=parent_id)
        record_added(s, actor, region, "region.add", "region")
        return RegionView.model_validate(region)


def list_regions(db: Database, actor: Actor) -> list[RegionView]:
    """All regions, by code."""
    check(actor, "catalog.read")
    with reading(db) as s:
        return [
            RegionView.model_validate(r) for r in s.scalars(select(Region).order_by(Region.code))
        ]


def import_departments(
    db: Database, actor: Actor, rows: Iterable[Mapping[str, Any]], source: str
) -> ImportResult:
    """Add or rename departments from rows with code, name and optional short_name."""
    check(actor, "catalog.edit")
    rows = list(rows)
    bad = [i + 1 for i, r in enumerate(rows) if not r.get("code") or not r.get("name")]
    if bad:
        raise Invalid(f"{source}: 第{bad[0]}行缺少 code 或 name (rows missing code/name: {bad})")
    created = updated = 0
    with writing(db) as s:
        existing = {d.code: d for d in s.scalars(select(Department))}
        for r in rows:
            dept = existing.get(str(r["code"]))
            short = r.get("short_name") or None
            if dept is None:
                dept = Department(code=str(r["code"]), name=str(r["name"]), short_name=short)
                s.add(dept)
                existing[dept.code] = dept
                created += 1
            elif (dept.name, dept.short_name) != (r["name"], short):
                dept.name, dept.short_name = str(r["name"]), short
                updated += 1
        s.flush()
        record(
            s,
            actor,
            "departments.import",
            "department",
            None,
            after={"created": created, "updated": updated},
            summary=source,
        )
    return ImportResult(
        plan_id=None,
        created={"departments": created},
        updated={"departments": updated},
        source=source,
    )


def list_departments(db: Database, actor: Actor, q: str | None = None) -> list[DepartmentView]:
    """All departments, by code; `q` filters by name."""
    check(actor, "catalog.read")
    query = select(Department).order_by(Department.code)
    if q:
        query = query.where(Department.name.contains(q))
    with reading(db) as s:
        return [DepartmentView.model_validate(d) for d in s.scalars(query)]
