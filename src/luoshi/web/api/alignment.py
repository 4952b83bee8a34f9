"""对标对表 of a stored plan: the alignment with its upper plan, verdicts, gaps made into work."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from luoshi.services import alignment
from luoshi.services.alignment import AlignmentView, VerdictView
from luoshi.services.permissions import Actor
from luoshi.services.views import NodeView, TargetView
from luoshi.web.deps import DbDep, Id, allowed

router = APIRouter(prefix="/plans/{plan_id}/alignment", tags=["alignment 对标对表"])

UpperQuery = Annotated[
    str | None,
    Query(description="上级规划 upper plan: national-15th 或 plan:ID(默认上级地区的规划)"),
]


@router.get("")
def get_alignment(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("alignment.read")],
    upper: UpperQuery = None,
    upper_depth: Annotated[int, Query(ge=0, le=6)] = 0,
    lower_depth: Annotated[int, Query(ge=0, le=6)] = 1,
) -> AlignmentView:
    """The alignment with the upper plan: matches, gaps, indicators and the coverage matrix.

    `result` is the `luoshi align` JSON (matches per upper node, uncovered, unanchored,
    indicator pairs and proposals); `matrix` has upper headings × lower headings with the best
    pair and its reason per cell.
    """
    return alignment.align_plan(
        db, actor, plan_id, upper, upper_depth=upper_depth, lower_depth=lower_depth
    )


class VerdictIn(BaseModel):
    upper: str = Field(description="上级规划 national-15th 或 plan:ID")
    kind: Literal["node", "indicator"] = "node"
    upper_key: str = Field(description="上级节点编号或指标代码 upper node id / indicator code")
    lower_key: str = Field(description="本级节点编号或指标代码 lower node path / indicator code")
    verdict: Literal["confirm", "reject"]


@router.post("/verdicts")
def add_verdict(
    plan_id: Id, body: VerdictIn, db: DbDep, actor: Annotated[Actor, allowed("alignment.review")]
) -> VerdictView:
    """Confirm or reject one pair; later alignments of the plan learn from it."""
    return alignment.record_verdict(
        db,
        actor,
        plan_id,
        body.upper,
        kind=body.kind,
        upper_key=body.upper_key,
        lower_key=body.lower_key,
        verdict=body.verdict,
    )


@router.get("/verdicts")
def list_verdicts(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("alignment.read")],
    upper: UpperQuery = None,
) -> list[VerdictView]:
    """The verdicts on pairs of this plan against the upper plan."""
    ref = upper or alignment.default_upper(db, actor, plan_id)
    return alignment.verdicts(db, actor, plan_id, ref)


class TaskFromUpper(BaseModel):
    upper: str
    upper_id: str = Field(description="上级节点编号 the upper node (a gap)")
    parent_path: str | None = Field(None, description="放在本级哪个节点下 (默认自动建议)")
    title: str | None = None


@router.post("/tasks", status_code=201)
def add_task(
    plan_id: Id, body: TaskFromUpper, db: DbDep, actor: Annotated[Actor, allowed("plan.edit")]
) -> NodeView:
    """Add a task to the plan's draft taking up an upper item it lacks."""
    return alignment.add_task_from_upper(
        db,
        actor,
        plan_id,
        body.upper,
        body.upper_id,
        parent_path=body.parent_path,
        title=body.title,
    )


class IndicatorFromUpper(BaseModel):
    upper: str
    upper_code: str = Field(description="上级指标代码 the upper indicator the plan lacks")


@router.post("/indicators", status_code=201)
def add_indicator(
    plan_id: Id,
    body: IndicatorFromUpper,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.edit")],
) -> TargetView:
    """Add an upper indicator the plan lacks, with the proposed local target."""
    return alignment.add_indicator_from_upper(db, actor, plan_id, body.upper, body.upper_code)
