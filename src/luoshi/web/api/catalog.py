"""Regions and departments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel

from luoshi.services import catalog
from luoshi.services.permissions import Actor
from luoshi.services.views import DepartmentView, RegionView
from luoshi.web.deps import DbDep, allowed

router = APIRouter(tags=["catalog 地区和部门"])


@router.get("/regions")
def list_regions(db: DbDep, actor: Annotated[Actor, allowed("catalog.read")]) -> list[RegionView]:
    """All regions (province → city → district)."""
    return catalog.list_regions(db, actor)


class RegionIn(BaseModel):
    code: str
    name: str
    level: str
    parent_code: str | None = None


@router.post("/regions", status_code=201)
def add_region(
    body: RegionIn, db: DbDep, actor: Annotated[Actor, allowed("catalog.edit")]
) -> RegionView:
    """Add a region."""
    return catalog.add_region(db, actor, body.code, body.name, body.level, body.parent_code)


@router.get("/departments")
def list_departments(
    db: DbDep, actor: Annotated[Actor, allowed("catalog.read")], q: str | None = None
) -> list[DepartmentView]:
    """All departments."""
    return catalog.list_departments(db, actor, q)
