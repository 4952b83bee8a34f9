"""The tables of luoshi, as SQLAlchemy 2 declarative models.

Tables, not rules: constraints that keep rows consistent live here, decisions live in
luoshi.services. Every row a person can change carries a `version` column that SQLAlchemy
bumps on each update (optimistic locking): an UPDATE that finds another version changes
nothing, and the service turns that into luoshi.errors.Conflict.

A measure (举措) is an outline node of kind "measure". A node's `path` (the outline JSON `id`)
is its stable key across plan versions, so tasks and targets refer to (plan, path). Targets are the
plan's commitment for an indicator (one row per plan and indicator); annual targets hang below.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time in UTC (timezone-aware)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with the shared naming convention."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Versioned:
    """Mixin: a row people edit; `version` starts at 1 and grows on every update."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Region(Versioned, Base):
    """An administrative area: province → city → district."""

    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))  # province | city | district
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)


class Department(Versioned, Base):
    """A government unit that leads or cooperates on measures (市直部门)."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(100))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))


class Role(Base):
    """One of the fixed roles (admin, planner, supervisor, reporter, viewer)."""

    __tablename__ = "roles"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    label_zh: Mapped[str] = mapped_column(String(40))
    label_en: Mapped[str] = mapped_column(String(40))


class User(Versioned, Base):
    """A local account; reporters belong to one department."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(ForeignKey("roles.name"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebSession(Base):
    """A signed-in browser or API client; the cookie holds a token, the row its hash."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class LoginAttempt(Base):
    """One failed login, kept for rate limiting across worker processes."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)  # "user:NAME" or "ip:ADDR"
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Plan(Versioned, Base):
    """A development plan of one region (规划纲要), with its versions."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    source_name: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )


class PlanVersion(Versioned, Base):
    """A draft or published state of a plan's outline."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # draft | published
    published_at: Mapped[datetime | None] = mapped_column()
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    plan: Mapped[Plan] = relationship(back_populates="versions")


class OutlineNode(Versioned, Base):
    """One node of a plan version's outline: part, chapter, section, item, measure, paragraph."""

    __tablename__ = "outline_nodes"
    __table_args__ = (
        UniqueConstraint("plan_version_id", "path"),
        Index("ix_outline_nodes_version_parent", "plan_version_id", "parent_id", "position"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("outline_nodes.id"))
    position: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(200))  # the outline JSON `id`, e.g. "2.1.3"
    kind: Mapped[str] = mapped_column(String(20))
    marker: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    targets: Mapped[list[Any]] = mapped_column(default=list)


class MajorProject(Versioned, Base):
    """A major project (重大项目/重大工程) of a plan, optionally under an outline node."""

    __tablename__ = "major_projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    node_path: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    investment: Mapped[float | None] = mapped_column(Float)  # 亿元


class Indicator(Versioned, Base):
    """A measured quantity: definition, unit, direction, source department."""

    __tablename__ = "indicators"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(60))
    unit: Mapped[str | None] = mapped_column(String(40))
    direction: Mapped[str | None] = mapped_column(String(10))  # up | down
    definition: Mapped[str] = mapped_column(Text, default="")
    source_department: Mapped[str | None] = mapped_column(String(200))  # as written
    library_code: Mapped[str | None] = mapped_column(String(60))  # standard library entry


class Target(Versioned, Base):
    """A plan's row of its indicator table: base, target kind and values, attached goal."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("plan_id", "indicator_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    node_path: Mapped[str | None] = mapped_column(String(200))  # the goal it measures
    attribute: Mapped[str] = mapped_column(String(10), default="expected")  # expected | binding
    base_year: Mapped[int] = mapped_column(Integer)
    base_value: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    target: Mapped[float | None] = mapped_column(Float)
    target_high: Mapped[float | None] = mapped_column(Float)
    benchmark: Mapped[str | None] = mapped_column(String(60))  # code of the benchmark indicator
    tolerance: Mapped[float | None] = mapped_column(Float)
    target_text: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    indicator: Mapped[Indicator] = relationship(lazy="joined")


class AnnualTarget(Versioned, Base):
    """A one-year target (年度目标) for an indicator in a plan, judged year by year."""

    __tablename__ = "annual_targets"
    __table_args__ = (UniqueConstraint("target_id", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    value: Mapped[float | None] = mapped_column(Float)
    value_high: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)


class Observation(Versioned, Base):
    """One value of an indicator for a region and year; older values live in revisions."""

    __tablename__ = "observations"
    __table_args__ = (
        UniqueConstraint("indicator_id", "region", "year"),
        Index("ix_observations_indicator_year", "indicator_id", "year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    region: Mapped[str] = mapped_column(String(60), default="")  # region code; "" = the plan's
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    judgement: Mapped[str | None] = mapped_column(String(30))  # qualitative indicators only
    source: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)


class ObservationRevision(Base):
    """A value an observation had before it was revised (e.g. after a census)."""

    __tablename__ = "observation_revisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float | None] = mapped_column(Float)
    judgement: Mapped[str | None] = mapped_column(String(30))
    source: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TaskAssignment(Versioned, Base):
    """A measure given to a department as lead (牵头) or cooperating (配合) unit."""

    __tablename__ = "task_assignments"
    __table_args__ = (UniqueConstraint("plan_id", "node_path", "department_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    node_path: Mapped[str] = mapped_column(String(200))  # the measure, stable across versions
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # lead | cooperating
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | done | closed
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class ProgressReport(Versioned, Base):
    """A department's periodic report on one task, reviewed by a supervisor."""

    __tablename__ = "progress_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("task_assignments.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(20))  # e.g. 2026-Q1, 2026-H1, 2026
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # draft | submitted | returned | accepted
    text: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[float | None] = mapped_column(Float)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column()
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_note: Mapped[str] = mapped_column(Text, default="")


class Attachment(Base):
    """A file of evidence attached to a progress report; bytes live under LUOSHI_DATA_DIR."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Who changed what, when, with the state before and after; written with the change."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    plan_id: Mapped[int | None] = mapped_column(Integer, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AlignmentVerdict(Versioned, Base):
    """A person's verdict on one alignment pair of a lower plan against an upper plan.

    `upper_ref` names the upper plan ("plan:12" or a bundled sample such as "national-15th");
    kind "node" pairs outline nodes (the keys are node paths), kind "indicator" says two
    indicators are the same (the keys are indicator codes). luoshi.services.alignment turns
    the rows back into matching.align_feedback.AlignFeedback for the next run.
    """

    __tablename__ = "alignment_verdicts"
    __table_args__ = (UniqueConstraint("plan_id", "upper_ref", "kind", "upper_key", "lower_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    upper_ref: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10))  # node | indicator
    upper_key: Mapped[str] = mapped_column(String(200))
    upper_title: Mapped[str] = mapped_column(Text)
    lower_key: Mapped[str] = mapped_column(String(200))
    lower_title: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(10))  # confirm | reject
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportNarrative(Versioned, Base):
    """The planner's edits of an evaluation report's narrative sections, per plan, kind, year."""

    __tablename__ = "report_narratives"
    __table_args__ = (UniqueConstraint("plan_id", "kind", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # annual | midterm | final
    year: Mapped[int] = mapped_column(Integer)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON)  # key -> [paragraph, ...]
    updated_by: Mapped[str] = mapped_column(String(80))


class EvaluationReport(Base):
    """A generated evaluation report file kept in the plan's history, with its bytes."""

    __tablename__ = "evaluation_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(10))  # docx | pdf | html
    name: Mapped[str] = mapped_column(String(120))  # the download's file name
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    narrative: Mapped[dict[str, Any]] = mapped_column(JSON)  # the sections as published
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DataRevision(Base):
    """One row: a random token that every committed change of data replaces (storage/db.py).

    Results a worker keeps (the overview, the big JSON lists) are keyed by it, so reading it
    is the only query needed to know that they are still right.
    """

    __tablename__ = "data_revision"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[int] = mapped_column(BigInteger, default=0)
