"""Plans on the region tree, and a city's roll-up of its districts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from luoshi.services import regions
from luoshi.services.permissions import Actor
from luoshi.services.regions import RankingView, RegionNode, RollupView
from luoshi.services.views import PlanView
from luoshi.web.deps import DbDep, Id, IfMatch, Year, allowed

router = APIRouter(tags=["regions 地区与汇总"])

YearQuery = Annotated[Year | None, Query(description="评估年份(默认各区最新有数据的年份)")]


@router.get("/regions/tree")
def region_tree(db: DbDep, actor: Annotated[Actor, allowed("catalog.read")]) -> list[RegionNode]:
    """Regions (province → city → district) with their plans."""
    return regions.region_tree(db, actor)


class RegionOfPlan(BaseModel):
    region_code: str | None


@router.put("/plans/{plan_id}/region")
def set_region(
    plan_id: Id,
    body: RegionOfPlan,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
) -> PlanView:
    """Put the plan on the region tree (If-Match: the plan's version)."""
    return regions.set_plan_region(db, actor, plan_id, body.region_code, version)


@router.get("/plans/{plan_id}/rollup")
def rollup(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    year: YearQuery = None,
) -> RollupView:
    """The plan's child regions (a city's districts) side by side on the plan's indicators."""
    return regions.rollup(db, actor, plan_id, year)


@router.get("/plans/{plan_id}/rollup/ranking")
def ranking(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    code: Annotated[str | None, Query(description="指标代码(默认表中第一项)")] = None,
    year: YearQuery = None,
) -> RankingView:
    """The districts ranked on one of the plan's indicators."""
    return regions.ranking(db, actor, plan_id, code, year)
