"""Plans: list, import a document, read, change, publish, outline, evaluation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Response, UploadFile
from pydantic import BaseModel

from luoshi.services import indicators, plans
from luoshi.services.permissions import Actor
from luoshi.services.views import ImportResult, NodeView, Page, PlanView, TargetView
from luoshi.web.api.uploads import as_file, read_upload
from luoshi.web.deps import (
    DbDep,
    IfMatch,
    OptionalUser,
    PageDep,
    SettingsDep,
    allowed,
    etag,
    json_of,
)

router = APIRouter(prefix="/plans", tags=["plans 规划"])


@router.get("")
def list_plans(
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.read")],
    page: PageDep,
    q: Annotated[str | None, Query(description="标题包含 title contains")] = None,
) -> Page[PlanView]:
    """Plans, newest first."""
    return plans.list_plans(db, actor, q=q, limit=page.limit, offset=page.offset)


@router.post("/import", status_code=201)
async def import_plan(
    db: DbDep,
    settings: SettingsDep,
    actor: Annotated[Actor, allowed("plan.import")],
    file: UploadFile,
    title: Annotated[str | None, Form()] = None,
    start_year: Annotated[int | None, Form()] = None,
    end_year: Annotated[int | None, Form()] = None,
) -> ImportResult:
    """Import a document (.txt/.docx/.pdf/.md) as a new plan with a draft outline."""
    data = await read_upload(file, settings)
    extra: dict[str, Any] = {"start_year": start_year, "end_year": end_year}
    if title:
        extra["title"] = title
    with as_file(file.filename, data) as path:
        return plans.import_plan_file(db, actor, path, **extra)


@router.get("/{plan_id}")
def get_plan(plan_id: int, db: DbDep, actor: OptionalUser, response: Response) -> PlanView:
    """One plan with its versions (public plans need no sign-in)."""
    view = plans.get_plan(db, actor, plan_id)
    response.headers["ETag"] = etag(view.version)
    return view


class PlanChange(BaseModel):
    title: str | None = None
    public: bool | None = None
    start_year: int | None = None
    end_year: int | None = None


@router.patch("/{plan_id}")
def update_plan(
    plan_id: int,
    body: PlanChange,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
    response: Response,
) -> PlanView:
    """Change title, years or the public switch (If-Match: the plan's version)."""
    view = plans.update_plan(db, actor, plan_id, version, **body.model_dump(exclude_unset=True))
    response.headers["ETag"] = etag(view.version)
    return view


@router.post("/{plan_id}/publish")
def publish(
    plan_id: int, version: IfMatch, db: DbDep, actor: Annotated[Actor, allowed("plan.publish")]
) -> PlanView:
    """Publish the draft and open a new draft (If-Match: the plan's version)."""
    return plans.publish_version(db, actor, plan_id, version)


@router.get("/{plan_id}/outline", response_model=Page[NodeView])
def outline(
    plan_id: int,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.read")],
    version_number: Annotated[int | None, Query(alias="plan_version")] = None,
    kind: str | None = None,
    q: Annotated[str | None, Query(description="标题或正文包含 text contains")] = None,
    parent_id: int | None = None,
    limit: Annotated[int | None, Query(ge=1, le=5000)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Outline nodes in tree order (latest version unless ?plan_version=N)."""
    return json_of(
        plans.outline(
            db,
            actor,
            plan_id,
            version_number=version_number,
            kind=kind,
            q=q,
            parent_id=parent_id,
            limit=limit,
            offset=offset,
        )
    )


@router.get("/{plan_id}/indicators", response_model=Page[TargetView])
def indicator_table(
    plan_id: int,
    db: DbDep,
    actor: OptionalUser,
    page: PageDep,
    category: str | None = None,
    node_path: str | None = None,
    q: str | None = None,
) -> Response:
    """The plan's indicator table (public plans need no sign-in)."""
    return json_of(
        indicators.list_targets(
            db,
            actor,
            plan_id,
            category=category,
            node_path=node_path,
            q=q,
            limit=page.limit,
            offset=page.offset,
        )
    )


@router.post("/{plan_id}/indicators/import", status_code=201)
async def import_indicators(
    plan_id: int,
    db: DbDep,
    settings: SettingsDep,
    actor: Annotated[Actor, allowed("indicator.edit")],
    file: UploadFile,
) -> ImportResult:
    """Import an indicator table (CSV/XLSX); any bad row: nothing stored, every problem listed."""
    data = await read_upload(file, settings)
    with as_file(file.filename, data) as path:
        return indicators.import_indicators(db, actor, plan_id, path)


@router.post("/{plan_id}/observations/import", status_code=201)
async def import_observations(
    plan_id: int,
    db: DbDep,
    settings: SettingsDep,
    actor: Annotated[Actor, allowed("observation.edit")],
    file: UploadFile,
) -> ImportResult:
    """Import observations for the plan's indicators; any bad row: nothing stored."""
    data = await read_upload(file, settings)
    with as_file(file.filename, data) as path:
        return indicators.import_observations(db, actor, path, plan_id=plan_id)


class Attach(BaseModel):
    code: str
    node_path: str
    version: int | None = None


@router.post("/{plan_id}/indicators/attach")
def attach(
    plan_id: int, body: Attach, db: DbDep, actor: Annotated[Actor, allowed("indicator.edit")]
) -> TargetView:
    """Attach an indicator to an outline node (adds it to the plan's table if needed)."""
    return indicators.attach_indicator(
        db, actor, plan_id, body.code, body.node_path, expected_version=body.version
    )


@router.get("/{plan_id}/evaluation")
def evaluation(
    plan_id: int,
    db: DbDep,
    actor: OptionalUser,
    year: Annotated[int, Query(ge=1949, le=2100)],
    region: str = "",
    method: Annotated[str, Query(pattern="^(fyp|sdg|both)$")] = "fyp",
) -> list[dict[str, Any]]:
    """Status, reason, progress and projection of every indicator for `year`."""
    return indicators.evaluate_plan(db, actor, plan_id, year, region=region, method=method)
