"""The evaluation reports page of a plan: preview, edit the narrative in place, generate, history.

The preview is the report's own HTML (luoshi.reports.render_html, not standalone) with its
stylesheet; each section it marks `data-editable` gets an edit button that swaps in a form
(htmx). Saving sends the version the planner started from; a stale one is refused (409), the
message says so and the typed text stays in the form. Downloads are the API's attachment route.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from luoshi.errors import Conflict, Invalid
from luoshi.reports.model import KINDS, NARRATIVE_KEYS
from luoshi.reports.render_html import render_html, stylesheet
from luoshi.services import dashboard, plans, reporting
from luoshi.services.permissions import Actor, role_allows
from luoshi.services.views import PlanView
from luoshi.storage import Database
from luoshi.web.deps import DbDep, Id, Year, allowed
from luoshi.web.i18n import translate
from luoshi.web.pages.overview import plan_years, remember_plan
from luoshi.web.pages.templating import language_of, render, templates

router = APIRouter()
EDITABLE = re.compile(r'(<section [^>]*data-editable="(\w+)"[^>]*>)')


def _year(db: Database, actor: Actor, plan: PlanView, year: int | None) -> int:
    """The chosen year, else the latest observed one; never the base year or before."""
    first = plan_years(plan)[1]
    if year is not None and year >= first:
        return year
    return max(dashboard.evaluation_year(db, actor, plan.id), first)


def _kind(kind: str) -> str:
    return kind if kind in KINDS else "annual"


def _preview(
    request: Request, db: Database, actor: Actor, plan: PlanView, year: int, kind: str
) -> tuple[Markup, reporting.SavedNarrative]:
    """The report article, with an edit button in each editable section for planners."""
    report = reporting.plan_report(db, actor, plan.id, year, kind)
    article = render_html(report, standalone=False)
    if role_allows(actor.role, "evaluation_report.edit"):
        tool = templates.env.get_template("pages/reports/_tool.html")
        language = language_of(request)

        def add_tool(m: re.Match[str]) -> str:
            return m.group(1) + tool.render(
                url=f"/plans/{plan.id}/reports/edit?year={year}&kind={kind}&section={m.group(2)}",
                label=translate(language, f"reports.section.{m.group(2)}"),
                edit=translate(language, "reports.edit_section"),
            )

        article = EDITABLE.sub(add_tool, article)
    return Markup(article), reporting.narrative_edits(db, actor, plan.id, year, kind)


@router.get("/plans/{plan_id}/reports")
def reports_page(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("evaluation_report.read")],
    year: Year | None = None,
    kind: str = "annual",
) -> Response:
    """Choose year and kind, preview and edit the report, generate files, the history."""
    plan = plans.get_plan(db, actor, plan_id)
    year, kind = _year(db, actor, plan, year), _kind(kind)
    try:
        article, edits = _preview(request, db, actor, plan, year, kind)
        refused = None
    except Invalid as exc:  # e.g. a final evaluation before the plan's end year
        article, edits, refused = Markup(), None, exc.message
    response = render(
        request,
        "pages/reports/page.html",
        title_key="reports.title",
        actor=actor,
        plan=plan,
        active="reports",
        year=year,
        kind=kind,
        kinds=tuple(KINDS),
        years=plan_years(plan)[1:],
        formats=("docx", "pdf", "html"),
        article=article,
        edits=edits,
        refused=refused,
        report_css=Markup(stylesheet()),
        history=reporting.history(db, actor, plan_id),
    )
    return remember_plan(response, plan_id)


def _preview_fragment(
    request: Request,
    db: Database,
    actor: Actor,
    plan: PlanView,
    year: int,
    kind: str,
    **extra: Any,
) -> Response:
    article, edits = _preview(request, db, actor, plan, year, kind)
    return render(
        request,
        "pages/reports/_preview.html",
        title_key="reports.title",
        actor=actor,
        plan=plan,
        article=article,
        edits=edits,
        **extra,
    )


@router.get("/plans/{plan_id}/reports/preview")
def preview(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("evaluation_report.read")],
    year: Year | None = None,
    kind: str = "annual",
) -> Response:
    """The report article alone (htmx: what a cancelled edit goes back to)."""
    plan = plans.get_plan(db, actor, plan_id)
    return _preview_fragment(request, db, actor, plan, _year(db, actor, plan, year), _kind(kind))


@router.get("/plans/{plan_id}/reports/edit")
def edit_form(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("evaluation_report.edit")],
    year: Year | None = None,
    kind: str = "annual",
    section: str = "overall",
) -> Response:
    """The form to edit one narrative section, holding the version it starts from."""
    plan = plans.get_plan(db, actor, plan_id)
    year, kind = _year(db, actor, plan, year), _kind(kind)
    section = section if section in NARRATIVE_KEYS else NARRATIVE_KEYS[0]
    edits = reporting.narrative_edits(db, actor, plan_id, year, kind)
    report = reporting.plan_report(db, actor, plan_id, year, kind)
    return render(
        request,
        "pages/reports/_edit.html",
        title_key="reports.title",
        actor=actor,
        plan=plan,
        year=year,
        kind=kind,
        section=section,
        version=edits.version,
        text="\n".join(report.narrative.get(section, [])),
    )


@router.post("/plans/{plan_id}/reports/narrative")
def save_section(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("evaluation_report.edit")],
    year: Annotated[Year, Form()],
    kind: Annotated[str, Form()],
    section: Annotated[str, Form()],
    version: Annotated[int, Form()],
    text: Annotated[str, Form()] = "",
) -> Response:
    """Save one section (a stale version: 409, the typed text stays in the form)."""
    plan = plans.get_plan(db, actor, plan_id)
    try:
        reporting.save_narrative(
            db, actor, plan_id, year, kind, {section: text}, expected_version=version
        )
    except Conflict as exc:
        message = translate(language_of(request), "reports.stale")
        raise Conflict(f"{message} ({exc.message})", exc.where) from exc
    if "hx-request" in request.headers:
        return _preview_fragment(request, db, actor, plan, year, kind, saved=True)
    return RedirectResponse(
        f"/plans/{plan_id}/reports?year={year}&kind={kind}&msg=saved", status_code=303
    )


@router.post("/plans/{plan_id}/reports/generate")
def generate(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("evaluation_report.edit")],
    year: Annotated[Year, Form()],
    kind: Annotated[str, Form()],
    format: Annotated[str, Form()],
    issuer: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Generate a file, keep it in the history, and come back to the page."""
    reporting.generate(db, actor, plan_id, year, kind, format, issuer=issuer.strip())
    return RedirectResponse(
        f"/plans/{plan_id}/reports?year={year}&kind={kind}&msg=report_generated#history",
        status_code=303,
    )
