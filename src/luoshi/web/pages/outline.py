"""The plan outline: browse, search, edit titles and text, move or split nodes, publish."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from luoshi.documents.model import KINDS
from luoshi.services import indicators, plans
from luoshi.services.permissions import Actor
from luoshi.services.views import NodeView, PlanView
from luoshi.web.deps import INT64_MAX, DbDep, Id, allowed, whole_number
from luoshi.web.pages.overview import remember_plan
from luoshi.web.pages.templating import render

router = APIRouter()
# A sentence ends at one of these; a node can be split right after any of them.
SENTENCE_END = re.compile("[\u3002\uff1b;\uff01!\uff1f?]")


def split_points(text: str) -> list[tuple[int, str]]:
    """Offsets where `text` may be split, each with the sentence that would start there.

    >>> split_points("一是强化。二是提升。")
    [(5, '二是提升。')]
    """
    points = []
    for match in SENTENCE_END.finditer(text):
        at = match.end()
        rest = text[at:].lstrip()
        if rest:
            points.append((at, rest[:40]))
    return points


def _tree(nodes: list[NodeView]) -> dict[int | None, list[NodeView]]:
    """Children of each node id (None: top level), in outline order."""
    present = {n.id for n in nodes}
    children: dict[int | None, list[NodeView]] = {}
    for n in nodes:  # already in tree order
        children.setdefault(n.parent_id if n.parent_id in present else None, []).append(n)
    return children


def _descendants(children: dict[int | None, list[NodeView]], node_id: int) -> set[int]:
    out: set[int] = set()
    stack = [node_id]
    while stack:
        for child in children.get(stack.pop(), []):
            out.add(child.id)
            stack.append(child.id)
    return out


def _editing(plan: PlanView, version_number: int | None) -> bool:
    draft = plan.draft
    return draft is not None and version_number in (None, draft.number)


@router.get("/plans/{plan_id}/outline")
def outline_page(
    request: Request,
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.read")],
    q: str = "",
    version: Id | None = None,
) -> Response:
    """The whole outline as a tree, or the nodes matching a search."""
    plan = plans.get_plan(db, actor, plan_id)
    q = q.strip()
    nodes = plans.outline(db, actor, plan_id, version_number=version).items
    shown = (
        version if version is not None else (plan.versions[-1].number if plan.versions else None)
    )
    matches = [n for n in nodes if q in (n.title or "") or q in n.text] if q else []
    by_goal: dict[str, list[str]] = {}
    for row in indicators.list_targets(db, actor, plan_id).items:
        if row.node_path:
            by_goal.setdefault(row.node_path, []).append(row.indicator.name)
    response = render(
        request,
        "pages/outline.html",
        title_key="outline.title",
        actor=actor,
        plan=plan,
        active="outline",
        children=_tree(nodes),
        count=len(nodes),
        q=q,
        matches=matches,
        shown_version=shown,
        editable=_editing(plan, version),
        indicators_by_path=by_goal,
    )
    return remember_plan(response, plan_id)


def _node_partial(
    request: Request,
    actor: Actor,
    plan: PlanView,
    node: NodeView,
    template: str = "partials/node_body.html",
    **context: Any,
) -> Response:
    """One node's fragment: its view (after an edit or cancel) or one of its forms."""
    return render(
        request,
        template,
        title_key="outline.title",
        actor=actor,
        plan=plan,
        node=node,
        editable=True,
        indicators_by_path={},
        **context,
    )


@router.get("/plans/{plan_id}/outline/nodes/{node_id}")
def node_body(
    request: Request,
    plan_id: Id,
    node_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.read")],
) -> Response:
    """One node's title and text (htmx: the view that an edit form is swapped back to)."""
    plan = plans.get_plan(db, actor, plan_id)
    return _node_partial(request, actor, plan, plans.get_node(db, actor, node_id))


@router.get("/plans/{plan_id}/outline/nodes/{node_id}/edit")
def edit_form(
    request: Request,
    plan_id: Id,
    node_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
) -> Response:
    """The inline form to edit a node's title and text."""
    plan = plans.get_plan(db, actor, plan_id)
    node = plans.get_node(db, actor, node_id)
    return _node_partial(request, actor, plan, node, "partials/node_edit.html")


@router.post("/plans/{plan_id}/outline/nodes/{node_id}")
def save_node(
    request: Request,
    plan_id: Id,
    node_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
    version: Annotated[int, Form()],
    title: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    """Save a node's title and text; a stale version is refused (409) and nothing is lost."""
    plan = plans.get_plan(db, actor, plan_id)
    node = plans.update_node(
        db, actor, node_id, version, title=title.strip() or None, text=text.strip()
    )
    if "hx-request" in request.headers:
        return _node_partial(request, actor, plan, node, saved=True)
    return RedirectResponse(f"/plans/{plan_id}/outline?msg=saved#node-{node_id}", status_code=303)


@router.get("/plans/{plan_id}/outline/nodes/{node_id}/move")
def move_form(
    request: Request,
    plan_id: Id,
    node_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
) -> Response:
    """The form to move a node under another node (shallower kinds only)."""
    plan = plans.get_plan(db, actor, plan_id)
    node = plans.get_node(db, actor, node_id)
    nodes = plans.outline(db, actor, plan_id).items
    excluded = _descendants(_tree(nodes), node.id) | {node.id}
    depth = KINDS.index(node.kind) if node.kind in KINDS else len(KINDS)
    parents = [
        n for n in nodes if n.id not in excluded and n.kind in KINDS and KINDS.index(n.kind) < depth
    ]
    return _node_partial(request, actor, plan, node, "partials/node_move.html", parents=parents)


@router.post("/plans/{plan_id}/outline/nodes/{node_id}/move")
def move_node(
    plan_id: Id,
    node_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
    version: Annotated[int, Form()],
    position: Annotated[int, Form(le=INT64_MAX)],
    parent_id: Annotated[str, Form()] = "",
) -> Response:
    """Move a node (with everything under it) to a new parent and position."""
    parent = whole_number(parent_id)
    plans.move_node(db, actor, node_id, version, parent_id=parent, position=max(position, 0))
    return RedirectResponse(f"/plans/{plan_id}/outline?msg=moved#node-{node_id}", status_code=303)


@router.get("/plans/{plan_id}/outline/nodes/{node_id}/split")
def split_form(
    request: Request,
    plan_id: Id,
    node_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
) -> Response:
    """The form to split a node: pick the sentence that starts the new node."""
    plan = plans.get_plan(db, actor, plan_id)
    node = plans.get_node(db, actor, node_id)
    points = split_points(node.text)
    return _node_partial(request, actor, plan, node, "partials/node_split.html", points=points)


@router.post("/plans/{plan_id}/outline/nodes/{node_id}/split")
def split_node(
    plan_id: Id,
    node_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.edit")],
    version: Annotated[int, Form()],
    at: Annotated[int, Form()],
) -> Response:
    """Split the node; the chosen sentence and the rest become the next node."""
    plans.split_node(db, actor, node_id, version, at=at)
    return RedirectResponse(f"/plans/{plan_id}/outline?msg=split#node-{node_id}", status_code=303)


@router.post("/plans/{plan_id}/publish")
def publish(
    plan_id: Id,
    db: DbDep,
    actor: Annotated[Actor, allowed("plan.publish")],
    version: Annotated[int, Form()],
) -> Response:
    """Publish the draft as a version and open a new draft."""
    plans.publish_version(db, actor, plan_id, version)
    return RedirectResponse(f"/plans/{plan_id}/outline?msg=published", status_code=303)
