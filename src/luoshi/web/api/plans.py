"""Plans: list, import a document, read, change, publish, outline, evaluation."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response, UploadFile
from pydantic import BaseModel

from luoshi.services import indicators, plans
from luoshi.services.indicators import Memo
from luoshi.services.permissions import Actor
from luoshi.services.plans import data_stamp
from luoshi.services.views import ImportResult, NodeView, Page, PlanView, TargetView
from luoshi.storage import Database
from luoshi.web.api.uploads import as_file, read_upload
from luoshi.web.deps import (
    INT64_MAX,
    DbDep,
    Id,
    IfMatch,
    OptionalUser,
    PageDep,
    SettingsDep,
    allowed,
    etag,
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
def get_plan(plan_id: Id, db: DbDep, actor: OptionalUser, response: Response) -> PlanView:
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
    plan_id: Id,
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
    plan_id: Id, version: IfMatch, db: DbDep, actor: Annotated[Actor, allowed("plan.publish")]
) -> PlanView:
    """Publish the draft and open a new draft (If-Match: the plan's version)."""
    return plans.publish_version(db, actor, plan_id, version)


def _cached_json(
    request: Request, db: Database, stamp: str, params: tuple[Any, ...], build: Callable[[], Any]
) -> Response:
    """A large list as JSON, serialised (and gzipped) once per data stamp, with an ETag.

    `stamp` is read from the database before `build` runs, so a body is never kept under a
    stamp newer than its data; each worker keeps its own bodies, all checked on every request.
    If-None-Match with the current ETag gets 304; clients that accept gzip get it (the
    outline's 440 KB of JSON are about 60 KB gzipped).
    """
    tag = f'W/"{data_stamp(stamp, *params)}"'
    headers = {"ETag": tag, "Cache-Control": "private, no-cache", "Vary": "Accept-Encoding"}
    if tag[2:] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    key = (db.url, tag)
    bodies = _BODIES.get_or_build(key, lambda: _encoded(build()))
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(bodies[1], media_type="application/json", headers=headers)
    return Response(bodies[0], media_type="application/json", headers=headers)


def _encoded(view: Any) -> tuple[bytes, bytes]:
    """A view as JSON bytes, plain and gzipped."""
    body = view.model_dump_json().encode()
    return body, gzip.compress(body, compresslevel=6)


_BODIES = Memo(32)


@router.get("/{plan_id}/outline", response_model=Page[NodeView])
def outline(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.read")],
    version_number: Annotated[Id | None, Query(alias="plan_version")] = None,
    kind: str | None = None,
    q: Annotated[str | None, Query(description="标题或正文包含 text contains")] = None,
    parent_id: Id | None = None,
    limit: Annotated[int | None, Query(ge=1, le=5000)] = None,
    offset: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
) -> Response:
    """Outline nodes in tree order (latest version unless ?plan_version=N); ETag, 304."""
    filters = {
        "version_number": version_number,
        "kind": kind,
        "q": q,
        "parent_id": parent_id,
        "limit": limit,
        "offset": offset,
    }
    return _cached_json(
        request,
        db,
        plans.outline_stamp(db, actor),
        ("outline", plan_id, *filters.values()),
        lambda: plans.outline(
            db,
            actor,
            plan_id,
            version_number=version_number,
            kind=kind,
            q=q,
            parent_id=parent_id,
            limit=limit,
            offset=offset,
        ),
    )


@router.get("/{plan_id}/indicators", response_model=Page[TargetView])
def indicator_table(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: OptionalUser,
    page: PageDep,
    category: str | None = None,
    node_path: str | None = None,
    q: str | None = None,
) -> Response:
    """The plan's indicator table (public plans need no sign-in); ETag, 304 when unchanged."""
    filters = {
        "category": category,
        "node_path": node_path,
        "q": q,
        "limit": page.limit,
        "offset": page.offset,
    }
    return _cached_json(
        request,
        db,
        indicators.table_stamp(db, actor, plan_id),
        ("indicators", plan_id, *filters.values()),
        lambda: indicators.list_targets(
            db,
            actor,
            plan_id,
            category=category,
            node_path=node_path,
            q=q,
            limit=page.limit,
            offset=page.offset,
        ),
    )


@router.post("/{plan_id}/indicators/import", status_code=201)
async def import_indicators(
    plan_id: Id,
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
    plan_id: Id,
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
    plan_id: Id, body: Attach, db: DbDep, actor: Annotated[Actor, allowed("indicator.edit")]
) -> TargetView:
    """Attach an indicator to an outline node (adds it to the plan's table if needed)."""
    return indicators.attach_indicator(
        db, actor, plan_id, body.code, body.node_path, expected_version=body.version
    )


@router.get("/{plan_id}/evaluation")
def evaluation(
    plan_id: Id,
    db: DbDep,
    actor: OptionalUser,
    year: Annotated[int, Query(ge=1949, le=2100)],
    region: str = "",
    method: Annotated[str, Query(pattern="^(fyp|sdg|both)$")] = "fyp",
) -> list[dict[str, Any]]:
    """Status, reason, progress and projection of every indicator for `year`."""
    return indicators.evaluate_plan(db, actor, plan_id, year, region=region, method=method)
