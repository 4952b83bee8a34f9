"""Major projects of a plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from luoshi.services import projects
from luoshi.services.permissions import Actor
from luoshi.services.views import Page, ProjectView
from luoshi.web.deps import DbDep, Id, IfMatch, PageDep, allowed

router = APIRouter(tags=["projects 重大项目"])


@router.get("/plans/{plan_id}/projects")
def list_projects(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.read")],
    page: PageDep,
    node_path: str | None = None,
    department_id: Id | None = None,
) -> Page[ProjectView]:
    """A plan's major projects."""
    return projects.list_projects(
        db,
        actor,
        plan_id,
        node_path=node_path,
        department_id=department_id,
        limit=page.limit,
        offset=page.offset,
    )


class ProjectIn(BaseModel):
    name: str = Field(min_length=1, max_length=300)
    description: str = ""
    node_path: str | None = None
    department_code: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    investment: float | None = Field(None, description="总投资 亿元")


@router.post("/plans/{plan_id}/projects", status_code=201)
def add_project(
    plan_id: Id, body: ProjectIn, db: DbDep, actor: Annotated[Actor, allowed("plan.edit")]
) -> ProjectView:
    """Add a major project."""
    fields = body.model_dump(exclude={"name"})
    return projects.add_project(db, actor, plan_id, body.name, **fields)


class ProjectChange(BaseModel):
    name: str | None = None
    description: str | None = None
    node_path: str | None = None
    department_code: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    investment: float | None = None


@router.patch("/projects/{project_id}")
def update_project(
    project_id: Id,
    body: ProjectChange,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
) -> ProjectView:
    """Change a major project (If-Match: its version)."""
    return projects.update_project(
        db, actor, project_id, version, **body.model_dump(exclude_unset=True)
    )
