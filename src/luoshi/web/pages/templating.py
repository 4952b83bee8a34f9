"""The Jinja2 environment of the pages and the one `render` every page handler calls.

`render` adds what every template needs: the interface language and its lookup `t`, the
navigation, the signed-in user, the CSRF token (sent by every form and, through hx-headers,
by every htmx request) and the status table (labels and colours shared with the engine and
the reports, read from luoshi/data/indicators/statuses.csv).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from luoshi.indicators.rules import kinds, statuses
from luoshi.web.i18n import (
    HTML_LANG,
    LANGUAGE_COOKIE,
    LANGUAGES,
    normalize_language,
    translate,
)

WEB_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=WEB_DIR / "templates")


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


def render(
    request: Request,
    template: str,
    *,
    title_key: str,
    active: str | None = None,
    nav: tuple[NavItem, ...] = (),
    user: Any = None,
    csrf: tuple[str, str, str] | None = None,
    status_code: int = 200,
    flashes: tuple[tuple[str, str], ...] = (),
    **context: Any,
) -> HTMLResponse:
    """Render `template` with the shared page context; `csrf` is (header, field, token)."""
    language = language_of(request)

    def t(key: str, /, **values: object) -> str:
        return translate(language, key, **values)

    header, field, token = csrf or ("", "", "")
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
        "user": user,
        "home_url": nav[0].url if nav else "/",
        "csrf_header": header,
        "csrf_field": field,
        "csrf_token": token,
        "flashes": flashes,
    }
    return templates.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )
