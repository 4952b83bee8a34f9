"""Major projects (重大项目/重大工程) of a plan: the works a plan names, with owner, years and
investment, optionally under the outline node (专栏, measure) that announces them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import Invalid
from luoshi.services.audit import record, record_added, snapshot
from luoshi.services.permissions import Actor, check
from luoshi.services.transactions import (
    check_version,
    get_or_404,
    read_page,
    where_given,
    writing,
)
from luoshi.services.views import Page, ProjectView
from luoshi.storage import Database
from luoshi.storage.models import Department, MajorProject, OutlineNode, Plan, PlanVersion

EDITABLE = (
    "name",
    "description",
    "node_path",
    "department_code",
    "start_year",
    "end_year",
    "investment",
)


def _apply(s: Session, project: MajorProject, changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if key == "department_code":
            dept = None
            if value:
                dept = s.scalar(select(Department.id).where(Department.code == value))
                if dept is None:
                    raise Invalid(f"部门不存在 unknown department: {value}")
            project.department_id = dept
        elif key == "node_path" and value:
            node = s.scalar(
                select(OutlineNode.id)
                .join(PlanVersion)
                .where(PlanVersion.plan_id == project.plan_id, OutlineNode.path == value)
                .limit(1)
            )
            if node is None:
                raise Invalid(f"规划中没有节点 no node {value} in plan {project.plan_id}")
            project.node_path = value
        else:
            setattr(project, key, value)
    if not (project.name or "").strip():
        raise Invalid("项目名称不能为空 the project needs a name")
    if project.start_year and project.end_year and project.start_year > project.end_year:
        raise Invalid("开工年份晚于完工年份 start year after end year")
    if project.investment is not None and project.investment < 0:
        raise Invalid("投资额不能为负 investment cannot be negative")


def add_project(db: Database, actor: Actor, plan_id: int, name: str, **fields: Any) -> ProjectView:
    """Add a major project to a plan (fields: description, node_path, department_code,
    start_year, end_year, investment in 亿元)."""
    check(actor, "plan.edit")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise Invalid(f"未知字段 unknown fields: {', '.join(sorted(unknown))}")
    with writing(db) as s:
        get_or_404(s, Plan, plan_id, "规划 plan")
        project = MajorProject(plan_id=plan_id, name="", description="")
        _apply(s, project, {"name": name, **fields})
        record_added(
            s, actor, project, "project.add", "project", plan_id=plan_id, summary=project.name
        )
        return ProjectView.model_validate(project)


def update_project(
    db: Database, actor: Actor, project_id: int, expected_version: int | None, **changes: Any
) -> ProjectView:
    """Change a major project (only the fields given)."""
    check(actor, "plan.edit")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid(f"不能修改的字段 fields cannot be edited: {', '.join(sorted(unknown))}")
    with writing(db) as s:
        project = get_or_404(s, MajorProject, project_id, "重大项目 project")
        check_version(project, expected_version, "重大项目 project")
        before = snapshot(project)
        _apply(s, project, changes)
        s.flush()
        record(
            s,
            actor,
            "project.update",
            "project",
            project.id,
            before=before,
            after=snapshot(project),
            plan_id=project.plan_id,
            summary=project.name,
        )
        return ProjectView.model_validate(project)


def list_projects(
    db: Database,
    actor: Actor,
    plan_id: int,
    *,
    node_path: str | None = None,
    department_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[ProjectView]:
    """A plan's major projects, in the order they were added."""
    check(actor, "plan.read")
    query = where_given(
        select(MajorProject).where(MajorProject.plan_id == plan_id),
        (MajorProject.node_path, node_path),
        (MajorProject.department_id, department_id),
    )
    return read_page(db, query, MajorProject.id, ProjectView, limit, offset)
