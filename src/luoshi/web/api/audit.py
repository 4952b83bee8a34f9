"""The audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter

from luoshi.services import audit
from luoshi.services.permissions import Actor
from luoshi.services.views import AuditView, Page
from luoshi.web.deps import DbDep, Id, PageDep, allowed

router = APIRouter(prefix="/audit", tags=["audit 审计"])


@router.get("")
def list_events(
    db: DbDep,
    actor: Annotated[Actor, allowed("audit.read")],
    page: PageDep,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    actor_name: str | None = None,
    plan_id: Id | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[AuditView]:
    """Audit events, newest first, filtered."""
    return audit.list_events(
        db,
        actor,
        entity=entity,
        entity_id=entity_id,
        action=action,
        actor_name=actor_name,
        plan_id=plan_id,
        since=since,
        until=until,
        limit=page.limit,
        offset=page.offset,
    )
