"""The Jinja2 environment of the pages and the one `render` every page handler calls.

`render` adds what every template needs: the interface language and its lookup `t`, the
navigation, the signed-in user, the CSRF token (sent by every form and, through hx-headers,
by every htmx request) and the status table (labels and colours shared with the engine and
the reports, read from luoshi/data/indicators/statuses.csv).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import finalize

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from luoshi.errors import LuoshiError
from luoshi.indicators.rules import kinds, statuses
from luoshi.services import plans
from luoshi.services.indicators import Memo
from luoshi.services.permissions import Actor, role_allows
from luoshi.services.views import PlanView
from luoshi.storage import Database
from luoshi.web.deps import whole_number
from luoshi.web.i18n import (
    HTML_LANG,
    LANGUAGE_COOKIE,
    LANGUAGES,
    catalog,
    normalize_language,
    translate,
)
from luoshi.web.security import CSRF_FIELD, CSRF_HEADER, csrf_token

WEB_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=WEB_DIR / "templates")


def highlight(text: str, query: str) -> Markup:
    """`text` with every occurrence of `query` marked (both escaped)."""
    if not query:
        return escape(text)
    parts = [escape(p) for p in text.split(query)]
    return Markup(f"<mark>{escape(query)}</mark>").join(parts)


def excerpt(text: str, query: str, width: int = 80) -> str:
    """The part of `text` around the first occurrence of `query`."""
    at = text.find(query) if query else -1
    if at < 0 or len(text) <= width:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, at - width // 2)
    return ("…" if start else "") + text[start : start + width] + "…"


templates.env.filters["highlight"] = highlight
templates.env.filters["excerpt"] = excerpt


@dataclass(frozen=True)
class NavItem:
    """One entry of the top navigation: every page is one click from the overview."""

    key: str
    url: str


def language_of(request: Request) -> str:
    """The interface language of this request: the cookie, else the default (Chinese)."""
    return normalize_language(request.cookies.get(LANGUAGE_COOKIE))


def static_url(path: str) -> str:
    """The URL of a bundled static file."""
    return f"/static/{path}"


def status_label(language: str, code: str | None) -> str:
    """The label of an evaluation status in the interface language."""
    table = statuses()
    if not code or code not in table:
        return translate(language, "status.none")
    row = table[code]
    return row.zh if language == "zh" else row.en


def kind_label(language: str, code: str | None) -> str:
    """The label of a target kind in the interface language."""
    row = kinds().get(code or "")
    if row is None:
        return code or ""
    return row.zh if language == "zh" else row.en


def status_css() -> str:
    """CSS custom properties for the status colours, from the shared status table."""
    return "".join(f"--st-{s.code}:{s.colour};" for s in statuses().values())


def navigation(actor: Actor | None, plan: PlanView | None) -> tuple[NavItem, ...]:
    """The top navigation for this user: every page one click away, none they cannot open."""
    if actor is None:
        return ()
    items: list[NavItem] = []
    if plan is not None:
        base = f"/plans/{plan.id}"
        items += [
            NavItem("overview", base),
            NavItem("outline", f"{base}/outline"),
            NavItem("indicators", f"{base}/indicators"),
            NavItem("tasks", f"{base}/tasks"),
            NavItem("supervision", f"{base}/supervision"),
        ]
        if role_allows(actor.role, "alignment.read"):
            items.append(NavItem("alignment", f"{base}/alignment"))
        if role_allows(actor.role, "indicator.read"):
            items.append(NavItem("regions", f"{base}/regions"))
        if role_allows(actor.role, "evaluation_report.read"):
            items.append(NavItem("reports", f"{base}/reports"))
        if role_allows(actor.role, "allocation.read"):
            items.append(NavItem("allocation", f"{base}/allocation"))
        if role_allows(actor.role, "indicator.edit"):
            items.append(NavItem("import", f"{base}/import"))
        if plan.public:
            items.append(NavItem("public", f"/public/plans/{plan.id}"))
    elif role_allows(actor.role, "plan.import"):
        items.append(NavItem("import", "/import"))
    if role_allows(actor.role, "audit.read"):
        items.append(NavItem("audit", "/audit"))
    items.append(NavItem("inbox", "/inbox"))
    items.append(NavItem("plans", "/plans"))
    return tuple(items)


_PLAN_PATH = re.compile(r"^/plans/(\d+)(?:/|$)")
# How many plans there are and the newest one's id, by data revision: read on every page.
_PLAN_COUNT = Memo(4)


def plan_count(db: Database, actor: Actor) -> tuple[int, int | None]:
    """(number of plans, id of the newest plan or None), kept until the data changes."""

    def count() -> tuple[int, int | None]:
        page = plans.list_plans(db, actor, limit=1)
        return page.total, page.items[0].id if page.items else None

    return _PLAN_COUNT.get_or_build((db.url, db.revision()), count)


@dataclass(frozen=True)
class Home:
    """Where the top bar leads: the plan whose menu it shows and the logo's target."""

    plan: PlanView | None
    url: str


def home_of(request: Request, actor: Actor | None, plan: PlanView | None) -> Home:
    """The plan of the menu and the logo's target for a page that knows `plan` (or not).

    A page without a plan of its own (inbox, import, audit, an error) keeps the menu of the
    plan in its URL, else of the plan the user last opened (else the newest). The logo leads
    home: the plans list, or the plan's overview when there is only one plan.
    """
    if actor is None:
        return Home(plan, "/")
    from luoshi.web.pages.overview import current_plan  # it renders pages with this module

    db = request.app.state.db
    total, newest = plan_count(db, actor)
    if plan is None:
        found = _PLAN_PATH.match(request.url.path)
        plan_id = whole_number(found.group(1)) if found else None  # None: too big for the db
        if plan_id is not None:
            try:
                plan = plans.get_plan(db, actor, plan_id)
            except LuoshiError:
                plan = None
        if plan is None:
            plan = current_plan(request, db, actor)
    if total == 1:
        return Home(plan, f"/plans/{newest}")
    return Home(plan, "/plans" if total else "/")


def render(
    request: Request,
    template: str,
    *,
    title_key: str,
    actor: Actor | None = None,
    plan: PlanView | None = None,
    active: str | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render `template` with the shared page context (language, navigation, CSRF token)."""
    language = language_of(request)

    def t(key: str, /, **values: object) -> str:
        return translate(language, key, **values)

    try:
        home = home_of(request, actor, plan)
    except SQLAlchemyError:  # an error page about the database itself still renders
        home = Home(plan, "/")
    nav = navigation(actor, home.plan)
    message = request.query_params.get("msg", "")
    count = request.query_params.get("n", "")
    known = f"flash.{message}" in catalog(language)
    flashes = [("ok", t(f"flash.{message}", n=count))] if known else []
    base: Mapping[str, Any] = {
        "lang": language,
        "html_lang": HTML_LANG[language],
        "other_language": next(code for code in LANGUAGES if code != language),
        "t": t,
        "status_label": lambda code: status_label(language, code),
        "kind_label": lambda code: kind_label(language, code),
        "status_codes": tuple(statuses()),
        "status_css": status_css(),
        "static": static_url,
        "page_title": t(title_key),
        "active": active,
        "nav": nav,
        "user": actor,
        "can": lambda action: actor is not None and role_allows(actor.role, action),
        "plan": plan,
        "plan_url": f"/plans/{plan.id}" if plan else "",
        "home_url": home.url,
        "csrf_header": CSRF_HEADER,
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "flashes": flashes,
    }
    return templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code, headers=headers
    )


# Pages rendered from a kept result, by the result's id() while it lives: its variants (users,
# languages, URLs).
_KEPT: dict[int, Memo] = {}
_KEPT_LOCK = threading.Lock()
KEPT_VARIANTS = 64


def render_kept(
    request: Request, template: str, *, data: Any, actor: Actor, **kwargs: Any
) -> HTMLResponse:
    """`render`, reusing the HTML already rendered from the same `data` for the same request.

    For pages whose context is `data`, a result the services keep and replace whenever what it
    shows changes (e.g. `dashboard.overview`), and values derived from it. The HTML is kept
    with `data` (and dropped with it) per template, language, user, CSRF token and URL, the
    rest of what a page depends on.
    """
    key = (template, language_of(request), actor, csrf_token(request), str(request.url))
    with _KEPT_LOCK:
        variants = _KEPT.get(id(data))
        if variants is None:
            variants = _KEPT[id(data)] = Memo(KEPT_VARIANTS)
            finalize(data, _KEPT.pop, id(data), None)
    body = variants.get_or_build(
        key, lambda: bytes(render(request, template, actor=actor, **kwargs).body)
    )
    return HTMLResponse(body)
