"""The audit log: every change writes who, when, what, before and after, in its transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from luoshi.services import clock
from luoshi.services.permissions import Actor, check
from luoshi.services.transactions import read_page, where_given
from luoshi.services.views import AuditView, Page
from luoshi.storage import Database
from luoshi.storage.models import AuditEvent

HIDDEN = frozenset({"password_hash"})


def snapshot(row: Any) -> dict[str, Any]:
    """The row's column values as JSON-ready data (secrets left out)."""
    out: dict[str, Any] = {}
    for attr in inspect(row).mapper.column_attrs:
        if attr.key in HIDDEN:
            continue
        value = getattr(row, attr.key)
        out[attr.key] = value.isoformat() if isinstance(value, datetime | date) else value
    return out


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    plan_id: int | None = None,
    summary: str = "",
) -> None:
    """Add one audit event to the current transaction; only changed fields are kept."""
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)} - {"updated_at"}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    session.add(
        AuditEvent(
            at=clock.now(),
            actor_id=actor.user_id,
            actor_name=actor.username,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            plan_id=plan_id,
            summary=summary,
            before=before,
            after=after,
        )
    )


def record_added(
    session: Session,
    actor: Actor,
    row: Any,
    action: str,
    entity: str,
    *,
    plan_id: int | None = None,
    summary: str = "",
) -> None:
    """Add a new row to the current transaction and record its creation in the audit log."""
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        action,
        entity,
        row.id,
        after=snapshot(row),
        plan_id=plan_id,
        summary=summary,
    )


def list_events(
    db: Database,
    actor: Actor,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    actor_name: str | None = None,
    plan_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[AuditView]:
    """Audit events, newest first, filtered by any of the given fields."""
    check(actor, "audit.read")
    query = where_given(
        select(AuditEvent),
        (AuditEvent.entity, entity),
        (AuditEvent.entity_id, entity_id),
        (AuditEvent.action, action),
        (AuditEvent.actor_name, actor_name),
        (AuditEvent.plan_id, plan_id),
    )
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if until is not None:
        query = query.where(AuditEvent.at < until)
    return read_page(db, query, AuditEvent.id.desc(), AuditView, limit, offset)
