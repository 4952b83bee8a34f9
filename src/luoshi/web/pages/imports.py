"""Data import pages: a plan document, an indicator table, observations; Excel templates.

Each file is stored in one transaction by its service; a file with any bad row stores nothing,
and the page lists every problem with its sheet, row and column.
"""

from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from openpyxl import Workbook
from openpyxl.styles import Font

from luoshi.errors import CellProblem, DocumentError, Invalid, TableError
from luoshi.indicators.interchange import INDICATOR_HEADERS, OBSERVATION_HEADERS, SHEETS
from luoshi.services import indicators, plans
from luoshi.services.permissions import Actor
from luoshi.services.views import PlanView
from luoshi.web.api.uploads import as_file, read_upload
from luoshi.web.deps import DbDep, Id, SettingsDep, allowed, whole_number
from luoshi.web.pages.templating import render

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The templates use the Chinese header a planning office types (second alias of each column).
TEMPLATES = {
    "indicators": (SHEETS["indicators"][1], INDICATOR_HEADERS),
    "observations": (SHEETS["observations"][1], OBSERVATION_HEADERS),
}


def template_workbook(table: str, plan_rows: list[tuple[str, str]]) -> bytes:
    """An empty interchange sheet with its headers, plus a sheet listing the plan's codes."""
    sheet_name, headers = TEMPLATES[table]
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    sheet.append([aliases[1] for aliases in headers.values()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 14
    if plan_rows:
        codes = book.create_sheet("指标代码")
        codes.append(["代码", "指标名称"])
        for row in plan_rows:
            codes.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _page(
    request: Request,
    actor: Actor,
    plan: PlanView | None,
    *,
    status_code: int = 200,
    problems: list[CellProblem] | None = None,
    message: str = "",
    form: str = "",
) -> Response:
    return render(
        request,
        "pages/import.html",
        title_key="import.title",
        actor=actor,
        plan=plan,
        active="import",
        status_code=status_code,
        problems=problems or [],
        message=message,
        failed_form=form,
    )


@router.get("/import")
def import_page(request: Request, actor: Annotated[Actor, allowed("plan.import")]) -> Response:
    """Import a first plan (no plan chosen yet)."""
    return _page(request, actor, None)


@router.get("/plans/{plan_id}/import")
def plan_import_page(
    request: Request, plan_id: Id, db: DbDep, actor: Annotated[Actor, allowed("indicator.edit")]
) -> Response:
    """Import a plan document, the plan's indicator table or its observations."""
    return _page(request, actor, plans.get_plan(db, actor, plan_id))


@router.get("/import/templates/{table}.xlsx")
def download_template(
    table: str,
    db: DbDep,
    actor: Annotated[Actor, allowed("indicator.read")],
    plan: Id | None = None,
) -> Response:
    """The Excel template of an interchange table (with the plan's codes when given)."""
    if table not in TEMPLATES:
        return Response(status_code=404)
    rows = []
    if plan is not None:
        rows = [
            (t.indicator.code, t.indicator.name)
            for t in indicators.list_targets(db, actor, plan).items
        ]
    return Response(
        template_workbook(table, rows),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="luoshi-{table}.xlsx"'},
    )


async def _upload(upload: UploadFile, settings: SettingsDep) -> bytes:
    return await read_upload(upload, settings)


@router.post("/import/plan")
async def import_plan(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    actor: Annotated[Actor, allowed("plan.import")],
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form()] = "",
    start_year: Annotated[str, Form()] = "",
    end_year: Annotated[str, Form()] = "",
) -> Response:
    """Parse a plan document and store it as a new plan with a draft version."""
    options: dict[str, object] = {}
    if title.strip():
        options["title"] = title.strip()
    for key, value in (("start_year", start_year), ("end_year", end_year)):
        if (number := whole_number(value)) is not None:
            options[key] = number
    try:
        data = await _upload(file, settings)
        with as_file(file.filename, data) as path:
            result = plans.import_plan_file(db, actor, path, **options)
    except (DocumentError, Invalid) as exc:
        return _page(request, actor, None, status_code=422, message=str(exc), form="plan")
    nodes = result.created.get("nodes", 0)
    return RedirectResponse(
        f"/plans/{result.plan_id}/outline?msg=plan_imported&n={nodes}", status_code=303
    )


async def _import_table(
    request: Request,
    plan_id: int,
    db: DbDep,
    settings: SettingsDep,
    actor: Actor,
    upload: UploadFile,
    table: str,
) -> Response:
    plan = plans.get_plan(db, actor, plan_id)
    try:
        data = await _upload(upload, settings)
        with as_file(upload.filename, data) as path:
            if table == "indicators":
                result = indicators.import_indicators(db, actor, plan_id, path)
            else:
                result = indicators.import_observations(db, actor, path, plan_id=plan_id)
    except TableError as exc:
        return _page(request, actor, plan, status_code=422, problems=exc.errors, form=table)
    except (DocumentError, Invalid) as exc:
        return _page(request, actor, plan, status_code=422, message=str(exc), form=table)
    count = sum(result.created.values()) + sum(result.updated.values())
    if table == "indicators":
        count = result.created.get("targets", 0) + result.updated.get("targets", 0) or count
    return RedirectResponse(
        f"/plans/{plan_id}/indicators?msg={table}_imported&n={count}", status_code=303
    )


@router.post("/plans/{plan_id}/import/{table}")
async def import_table(
    request: Request,
    plan_id: Id,
    table: Literal["indicators", "observations"],
    db: DbDep,
    settings: SettingsDep,
    actor: Annotated[Actor, allowed("indicator.edit")],
    file: Annotated[UploadFile, File()],
) -> Response:
    """Store an indicator table or observations (CSV or XLSX) for the plan."""
    return await _import_table(request, plan_id, db, settings, actor, file, table)
