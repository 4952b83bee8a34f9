"""Outline nodes: read, edit, move, split."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from luoshi.services import plans
from luoshi.services.permissions import Actor
from luoshi.services.views import NodeView
from luoshi.web.deps import INT64_MAX, DbDep, Id, IfMatch, allowed, etag

router = APIRouter(prefix="/nodes", tags=["outline 大纲"])


@router.get("/{node_id}")
def get_node(
    node_id: Id, db: DbDep, actor: Annotated[Actor, allowed("plan.read")], response: Response
) -> NodeView:
    """One node; its ETag is its version."""
    node = plans.get_node(db, actor, node_id)
    response.headers["ETag"] = etag(node.version)
    return node


class NodeChange(BaseModel):
    title: str | None = None
    text: str | None = None
    kind: str | None = None
    marker: str | None = None


@router.patch("/{node_id}")
def update_node(
    node_id: Id,
    body: NodeChange,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
    response: Response,
) -> NodeView:
    """Edit title, text, kind or marker (If-Match: the node's version; stale → 409)."""
    node = plans.update_node(db, actor, node_id, version, **body.model_dump(exclude_unset=True))
    response.headers["ETag"] = etag(node.version)
    return node


class Move(BaseModel):
    parent_id: Id | None
    position: int = Field(ge=0, le=INT64_MAX)


@router.post("/{node_id}/move")
def move_node(
    node_id: Id,
    body: Move,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
) -> NodeView:
    """Move a node with its subtree under another parent (null: top level)."""
    return plans.move_node(
        db, actor, node_id, version, parent_id=body.parent_id, position=body.position
    )


class Split(BaseModel):
    at: int = Field(ge=1, description="在正文第几个字处拆分 character offset in the text")
    title: str | None = None


@router.post("/{node_id}/split")
def split_node(
    node_id: Id,
    body: Split,
    version: IfMatch,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
) -> list[NodeView]:
    """Split a node's text; returns the shortened node and the new sibling."""
    return list(plans.split_node(db, actor, node_id, version, at=body.at, title=body.title))
