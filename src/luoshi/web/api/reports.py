"""Evaluation reports of a plan (评估报告): history, generation, download, narrative edits.

The narrative of one report (plan, kind, year) is edited with optimistic locking: GET gives
its version as ETag, PUT sends it back as If-Match ("0" before the first save); a stale one
gets 409 and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from luoshi.reports import FORMATS
from luoshi.services import reporting
from luoshi.services.permissions import Actor
from luoshi.services.reporting import SavedNarrative, SavedReport
from luoshi.web.api.supervision import download
from luoshi.web.deps import DbDep, Id, IfMatch, Year, allowed, etag

router = APIRouter(tags=["evaluation reports 评估报告"])
# The keys of luoshi.reports.model.KINDS and luoshi.reports.FORMATS (the API tests check).
Kind = Literal["annual", "midterm", "final"]
Format = Literal["docx", "pdf", "html"]
YearQuery = Annotated[Year, Query(description="评估年份 evaluation year")]
KindQuery = Annotated[
    Kind, Query(description="annual 年度监测 | midterm 中期评估 | final 总结评估")
]


@router.get("/plans/{plan_id}/evaluation-reports")
def list_reports(
    plan_id: Id, db: DbDep, actor: Annotated[Actor, allowed("evaluation_report.read")]
) -> list[SavedReport]:
    """The plan's generated reports, newest first (download each by its id)."""
    return reporting.history(db, actor, plan_id)


class GenerateIn(BaseModel):
    year: Year
    kind: Kind
    format: Format
    issuer: str = Field("", max_length=100, description="落款单位 issuing office")


@router.post("/plans/{plan_id}/evaluation-reports", status_code=201)
def generate_report(
    plan_id: Id,
    body: GenerateIn,
    db: DbDep,
    actor: Annotated[Actor, allowed("evaluation_report.edit")],
) -> SavedReport:
    """Render the report with the saved narrative and keep it in the history."""
    return reporting.generate(
        db, actor, plan_id, body.year, body.kind, body.format, issuer=body.issuer
    )


class NarrativeOut(BaseModel):
    plan_id: int
    year: int
    kind: str
    version: int = Field(description="0: nothing saved yet")
    saved: dict[str, list[str]] = Field(description="the planner's edits, per section")
    sections: dict[str, list[str]] = Field(description="what the report says: edits, else drafts")
    updated_by: str
    updated_at: str


def _narrative_out(
    db: DbDep, actor: Actor, edits: SavedNarrative, response: Response
) -> NarrativeOut:
    report = reporting.plan_report(db, actor, edits.plan_id, edits.year, edits.kind)
    response.headers["ETag"] = etag(edits.version)
    return NarrativeOut(
        plan_id=edits.plan_id,
        year=edits.year,
        kind=edits.kind,
        version=edits.version,
        saved=edits.sections,
        sections=report.narrative,
        updated_by=edits.updated_by,
        updated_at=edits.updated_at,
    )


@router.get("/plans/{plan_id}/evaluation-reports/narrative")
def get_narrative(
    plan_id: Id,
    year: YearQuery,
    kind: KindQuery,
    response: Response,
    db: DbDep,
    actor: Annotated[Actor, allowed("evaluation_report.read")],
) -> NarrativeOut:
    """The narrative sections of one report and the version to send back as If-Match."""
    edits = reporting.narrative_edits(db, actor, plan_id, year, kind)
    return _narrative_out(db, actor, edits, response)


class NarrativeIn(BaseModel):
    sections: dict[str, str | list[str]] = Field(
        description="overall / problems / next_steps: text (one paragraph a line) or paragraphs;"
        " empty resets a section to the draft"
    )


@router.put("/plans/{plan_id}/evaluation-reports/narrative")
def put_narrative(
    plan_id: Id,
    year: YearQuery,
    kind: KindQuery,
    body: NarrativeIn,
    expected: IfMatch,
    response: Response,
    db: DbDep,
    actor: Annotated[Actor, allowed("evaluation_report.edit")],
) -> NarrativeOut:
    """Save edited sections; a stale If-Match gets 409 and nothing changes."""
    edits = reporting.save_narrative(
        db, actor, plan_id, year, kind, body.sections, expected_version=expected
    )
    return _narrative_out(db, actor, edits, response)


@router.get(
    "/plans/{plan_id}/evaluation-reports/{evaluation_report_id}",
    response_class=Response,
    responses={200: {"content": {m: {} for m in FORMATS.values()}}},
)
def download_report(
    plan_id: Id,
    evaluation_report_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("evaluation_report.read")],
) -> Response:
    """One kept report file, as an attachment."""
    saved, data = reporting.saved_file(db, actor, plan_id, evaluation_report_id)
    return download(data, saved.name, FORMATS[saved.format])
