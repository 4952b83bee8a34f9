"""Indicators, targets (rows of a plan's table) and observations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel

from luoshi.services import indicators
from luoshi.services.permissions import Actor
from luoshi.services.views import (
    IndicatorView,
    ObservationView,
    Page,
    RevisionView,
    TargetView,
)
from luoshi.web.deps import DbDep, Id, IfMatch, OptionalUser, PageDep, allowed, etag

router = APIRouter(tags=["indicators 指标"])


@router.get("/indicators")
def list_indicators(
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    page: PageDep,
    q: str | None = None,
    category: str | None = None,
    library: bool | None = None,
) -> Page[IndicatorView]:
    """Indicator definitions (the standard library and every imported indicator)."""
    return indicators.list_indicators(
        db, actor, q=q, category=category, library=library, limit=page.limit, offset=page.offset
    )


@router.get("/indicators/{indicator_id}/observations")
def observations(
    indicator_id: Id, db: DbDep, actor: OptionalUser, region: str | None = None
) -> list[ObservationView]:
    """The observed series (indicators of a public plan need no sign-in)."""
    return indicators.observations(db, actor, indicator_id, region=region)


@router.get("/targets/{target_id}")
def get_target(
    target_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    response: Response,
) -> TargetView:
    """One row of a plan's indicator table."""
    view = indicators.get_target(db, actor, target_id)
    response.headers["ETag"] = etag(view.version)
    return view


class TargetChange(BaseModel):
    attribute: str | None = None
    base_year: int | None = None
    base_value: float | None = None
    target_year: int | None = None
    kind: str | None = None
    target: float | None = None
    target_high: float | None = None
    benchmark: str | None = None
    tolerance: float | None = None
    target_text: str | None = None
    node_path: str | None = None


@router.patch("/targets/{target_id}")
def update_target(
    target_id: Id,
    body: TargetChange,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.edit")],
    response: Response,
) -> TargetView:
    """Change a target (If-Match: its version; stale → 409)."""
    view = indicators.update_target(
        db, actor, target_id, version, **body.model_dump(exclude_unset=True)
    )
    response.headers["ETag"] = etag(view.version)
    return view


class ObservationIn(BaseModel):
    code: str
    year: int
    value: float | None
    region: str = ""
    judgement: str | None = None
    source: str | None = None
    note: str | None = None
    version: int | None = None


@router.put("/observations")
def set_observation(
    body: ObservationIn, db: DbDep, actor: Annotated[Actor, allowed("observation.edit")]
) -> ObservationView:
    """Add one observation or revise it (send `version` to revise; the old value is kept)."""
    return indicators.set_observation(
        db,
        actor,
        body.code,
        body.year,
        body.value,
        region=body.region,
        expected_version=body.version,
        judgement=body.judgement,
        source=body.source,
        note=body.note,
    )


@router.get("/observations/{observation_id}/revisions")
def revisions(
    observation_id: Id, db: DbDep, actor: Annotated[Actor, allowed("indicator.read")]
) -> list[RevisionView]:
    """Earlier values of an observation, oldest first."""
    return indicators.revisions(db, actor, observation_id)
