"""The audit log with filters: who changed what, when, before and after."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from luoshi.services import audit
from luoshi.services.permissions import Actor
from luoshi.web.deps import INT64_MAX, DbDep, allowed
from luoshi.web.i18n import labels
from luoshi.web.pages.overview import current_plan
from luoshi.web.pages.templating import language_of, render

router = APIRouter()
PAGE_SIZE = 50


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/audit")
def audit_log(
    request: Request,
    db: DbDep,
    actor: Annotated[Actor, allowed("audit.read")],
    who: str = "",
    action: str = "",
    entity: str = "",
    since: str = "",
    until: str = "",
    offset: Annotated[int, Query(le=INT64_MAX)] = 0,
) -> Response:
    """Audit events, newest first, filtered by person, action, object and dates."""
    start, end = _day(since), _day(until)
    page = audit.list_events(
        db,
        actor,
        actor_name=who.strip() or None,
        action=action.strip() or None,
        entity=entity.strip() or None,
        since=datetime.combine(start, time.min) if start else None,
        until=datetime.combine(end + timedelta(days=1), time.min) if end else None,
        limit=PAGE_SIZE,
        offset=max(offset, 0),
    )
    filters = {"who": who, "action": action, "entity": entity, "since": since, "until": until}
    query = urlencode({k: v for k, v in filters.items() if v})
    language = language_of(request)
    return render(
        request,
        "pages/audit.html",
        title_key="audit.title",
        actor=actor,
        plan=current_plan(request, db, actor),
        active="audit",
        events=page,
        filters=filters,
        page_url=f"/audit?{query}&" if query else "/audit?",
        # What the codes of the log mean, in the interface language (unknown codes show as is).
        action_labels=labels(language, "audit.actions"),
        entity_labels=labels(language, "audit.entities"),
        field_labels=labels(language, "audit.fields"),
    )
