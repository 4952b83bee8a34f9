"""What the services return: plain, typed, read-only values (never ORM rows).

The JSON API serialises these directly and the pages render them, so a field has one name
everywhere. `version` is the optimistic-locking version to send back with an update.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class View(BaseModel):
    """Base of every service result."""

    model_config = ConfigDict(from_attributes=True, frozen=True)


class Page(View, Generic[T]):
    """One page of a list: items plus the total matching count."""

    items: list[T]
    total: int
    limit: int
    offset: int


class RegionView(View):
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    version: int


class DepartmentView(View):
    id: int
    code: str
    name: str
    short_name: str | None
    version: int


class UserView(View):
    id: int
    username: str
    display_name: str
    role: str
    department_id: int | None
    active: bool
    version: int


class VersionView(View):
    id: int
    number: int
    status: str
    published_at: datetime | None
    version: int


class PlanView(View):
    id: int
    title: str
    region_id: int | None
    start_year: int | None
    end_year: int | None
    public: bool
    source_name: str | None
    version: int
    versions: list[VersionView]

    @property
    def draft(self) -> VersionView | None:
        """The version being edited (the latest draft), if any."""
        drafts = [v for v in self.versions if v.status == "draft"]
        return drafts[-1] if drafts else None

    @property
    def published(self) -> VersionView | None:
        """The latest published version, if any."""
        pub = [v for v in self.versions if v.status == "published"]
        return pub[-1] if pub else None


class NodeView(View):
    id: int
    plan_version_id: int
    parent_id: int | None
    position: int
    path: str
    kind: str
    marker: str | None
    title: str | None
    text: str
    span_start: int | None
    span_end: int | None
    targets: list[Any]
    version: int


class ProjectView(View):
    """A major project (重大项目) of a plan."""

    id: int
    plan_id: int
    node_path: str | None
    name: str
    description: str
    department_id: int | None
    start_year: int | None
    end_year: int | None
    investment: float | None
    version: int


class IndicatorView(View):
    id: int
    code: str
    name: str
    category: str | None
    unit: str | None
    direction: str | None
    definition: str
    source_department: str | None
    library_code: str | None
    version: int


class AnnualTargetView(View):
    id: int
    year: int
    kind: str
    value: float | None
    value_high: float | None
    text: str | None
    version: int


class TargetView(View):
    """A row of a plan's indicator table: the indicator and the plan's target for it."""

    id: int
    plan_id: int
    indicator: IndicatorView
    node_path: str | None
    attribute: str
    base_year: int
    base_value: float | None
    target_year: int
    kind: str
    target: float | None
    target_high: float | None
    benchmark: str | None
    tolerance: float | None
    target_text: str | None
    version: int


class ObservationView(View):
    id: int
    indicator_id: int
    region: str
    year: int
    value: float | None
    judgement: str | None
    source: str | None
    note: str | None
    version: int


class RevisionView(View):
    value: float | None
    judgement: str | None
    source: str | None
    note: str | None
    replaced_at: datetime


class TaskView(View):
    id: int
    plan_id: int
    node_path: str
    department_id: int
    role: str
    due_date: date | None
    status: str
    note: str
    reason: str
    version: int


class ReportView(View):
    id: int
    task_id: int
    period: str
    status: str
    text: str
    percent: float | None
    author_id: int | None
    submitted_at: datetime | None
    reviewer_id: int | None
    review_note: str
    version: int


class AttachmentView(View):
    id: int
    report_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class AuditView(View):
    id: int
    at: datetime
    actor_name: str
    action: str
    entity: str
    entity_id: str | None
    plan_id: int | None
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ImportResult(View):
    """What an import stored: counts per kind of row, and the plan it went into."""

    plan_id: int | None
    created: dict[str, int]
    updated: dict[str, int]
    source: str
    other_plans: int = 0  # other plans that now show a shared indicator this file renamed
