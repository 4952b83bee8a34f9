"""Plans and their outlines: import, browse, edit, move, split, publish.

A plan has versions. Editing happens on the latest draft; publishing freezes it and opens a
new draft with the same nodes, so published versions never change. A node's `path` (the
outline JSON `id`) is its key across versions; tasks and targets refer to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session, selectinload

from luoshi.documents import parse_file
from luoshi.errors import Invalid, NotFound
from luoshi.services import clock
from luoshi.services.audit import record, snapshot
from luoshi.services.permissions import Actor, check
from luoshi.services.transactions import check_version, get_or_404, reading, writing
from luoshi.services.views import ImportResult, NodeView, Page, PlanView, VersionView
from luoshi.storage import Database
from luoshi.storage.models import OutlineNode, Plan, PlanVersion, Region

EDITABLE_NODE_FIELDS = ("title", "text", "kind", "marker")


def parse_document(path: Path) -> dict[str, Any]:
    """The outline JSON of a document, read by luoshi.documents."""
    return parse_file(path).to_dict()


def _flatten(outline: dict[str, Any]) -> Iterable[tuple[str | None, int, dict[str, Any]]]:
    """(parent path, position, node) for every node of an outline JSON, parents first."""
    roots = outline.get("children") or outline.get("nodes") or []
    stack: list[tuple[str | None, int, dict[str, Any]]] = [
        (None, i, n) for i, n in reversed(list(enumerate(roots)))
    ]
    counter = 0
    while stack:
        parent, pos, node = stack.pop()
        counter += 1
        node.setdefault("id", f"n{counter}")
        yield parent, pos, node
        children = node.get("children") or []
        stack.extend((str(node["id"]), i, c) for i, c in reversed(list(enumerate(children))))


def _span(node: dict[str, Any]) -> tuple[int | None, int | None]:
    span = node.get("span")
    if isinstance(span, list | tuple) and len(span) == 2:
        return span[0], span[1]
    if isinstance(span, dict):
        return span.get("start"), span.get("end")
    return None, None


def _add_nodes(session: Session, version_id: int, outline: dict[str, Any]) -> int:
    ids: dict[str, int] = {}
    count = 0
    for parent, pos, node in _flatten(outline):
        start, end = _span(node)
        path = str(node["id"])
        if path in ids:
            raise Invalid(f"大纲节点编号重复 duplicate outline id: {path}")
        row = OutlineNode(
            plan_version_id=version_id,
            parent_id=ids.get(parent) if parent else None,
            position=pos,
            path=path,
            kind=str(node.get("kind") or "paragraph"),
            marker=node.get("marker"),
            title=node.get("title"),
            text=node.get("text") or "",
            span_start=start,
            span_end=end,
            targets=list(node.get("targets") or []),
        )
        session.add(row)
        session.flush()
        ids[path] = row.id
        count += 1
    return count


def _plan_view(session: Session, plan_id: int) -> PlanView:
    # Plain column rows, not ORM objects: every page reads the plan it shows.
    row = session.execute(select(*PLAN_COLUMNS).where(Plan.id == plan_id)).first()
    if row is None:
        raise NotFound(f"规划 plan {plan_id} 不存在 not found")
    versions = session.execute(
        select(*VERSION_COLUMNS).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.number)
    ).all()
    return PlanView.model_construct(
        **row._mapping,
        versions=[VersionView.model_construct(**v._mapping) for v in versions],
    )


PLAN_COLUMNS = tuple(Plan.__table__.c[f] for f in PlanView.model_fields if f != "versions")
VERSION_COLUMNS = tuple(PlanVersion.__table__.c[f] for f in VersionView.model_fields)


def import_plan(
    db: Database,
    actor: Actor,
    outline: dict[str, Any],
    *,
    title: str,
    source_name: str | None = None,
    region_code: str | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> ImportResult:
    """Store an outline JSON (from luoshi.documents) as a new plan with one draft version."""
    check(actor, "plan.import")
    _check_years(start_year, end_year)
    with writing(db) as s:
        region_id = None
        if region_code:
            region_id = s.scalar(select(Region.id).where(Region.code == region_code))
            if region_id is None:
                raise Invalid(f"地区不存在 unknown region: {region_code}")
        plan = Plan(
            title=title.strip() or "未命名规划",
            region_id=region_id,
            start_year=start_year,
            end_year=end_year,
            source_name=source_name,
        )
        s.add(plan)
        s.flush()
        version = PlanVersion(plan_id=plan.id, number=1, status="draft")
        s.add(version)
        s.flush()
        count = _add_nodes(s, version.id, outline)
        record(
            s,
            actor,
            "plan.import",
            "plan",
            plan.id,
            after=snapshot(plan),
            plan_id=plan.id,
            summary=f"{source_name or title}: {count} nodes",
        )
        return ImportResult(
            plan_id=plan.id,
            created={"plans": 1, "nodes": count},
            updated={},
            source=source_name or title,
        )


# Years a plan may span: from the founding year (the first five-year plan began in 1953) to
# 2100, far beyond any plan drafted today; anything outside is a typing slip.
def _check_years(start_year: int | None, end_year: int | None) -> None:
    """Invalid naming the field when a plan's year is implausible or it ends before it starts."""
    low, high = clock.PLAUSIBLE_YEARS
    for field, zh, year in (("start_year", "起始年", start_year), ("end_year", "终止年", end_year)):
        if year is not None and not low <= year <= high:
            raise Invalid(
                f"{zh} {field} {year} 应在 {low}–{high} 之间 must be between {low} and {high}",
                field,
            )
    if start_year is not None and end_year is not None and start_year > end_year:
        raise Invalid(
            f"起始年 start_year {start_year} 晚于终止年 end_year {end_year} "
            "the plan cannot end before it starts",
            "start_year",
        )


def import_plan_file(db: Database, actor: Actor, path: Path, **kwargs: Any) -> ImportResult:
    """Parse a document (.txt/.docx/.pdf/.md) and store it as a new plan."""
    check(actor, "plan.import")
    outline = parse_document(path)
    kwargs.setdefault("title", outline.get("title") or Path(path).stem)
    kwargs.setdefault("source_name", Path(path).name)
    return import_plan(db, actor, outline, **kwargs)


def list_plans(
    db: Database, actor: Actor, *, q: str | None = None, limit: int = 50, offset: int = 0
) -> Page[PlanView]:
    """Plans, newest first, optionally filtered by title."""
    check(actor, "plan.read")
    query = select(Plan)
    if q:
        query = query.where(Plan.title.contains(q))
    with reading(db) as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.scalars(
            query.options(selectinload(Plan.versions))
            .order_by(Plan.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
        return Page(
            items=[PlanView.model_validate(p) for p in rows],
            total=total,
            limit=limit,
            offset=offset,
        )


def get_plan(db: Database, actor: Actor | None, plan_id: int) -> PlanView:
    """One plan with its versions; anonymous callers see only public plans."""
    with reading(db) as s:
        view = _plan_view(s, plan_id)
    if actor is not None or not (view.public and view.published):
        check(actor, "plan.read")
    return view


def _version_id(session: Session, plan_id: int, version_number: int | None) -> int:
    if version_number is None:
        vid = session.scalar(_LATEST_VERSION, {"plan_id": plan_id})
    else:
        vid = session.scalar(_NUMBERED_VERSION, {"plan_id": plan_id, "number": version_number})
    if vid is None:
        raise NotFound(f"规划 plan {plan_id} 版本 version {version_number} 不存在 not found")
    return vid


# Built once: every outline read starts here.
_LATEST_VERSION = (
    select(PlanVersion.id)
    .where(PlanVersion.plan_id == bindparam("plan_id"))
    .order_by(PlanVersion.number.desc())
    .limit(1)
)
_NUMBERED_VERSION = select(PlanVersion.id).where(
    PlanVersion.plan_id == bindparam("plan_id"), PlanVersion.number == bindparam("number")
)


def outline(
    db: Database,
    actor: Actor,
    plan_id: int,
    *,
    version_number: int | None = None,
    kind: str | None = None,
    q: str | None = None,
    parent_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Page[NodeView]:
    """Nodes of a plan version (latest by default) in tree order, filterable by kind and text."""
    check(actor, "plan.read")
    with reading(db) as s:
        vid = _version_id(s, plan_id, version_number)
        # Plain column rows, not ORM objects: a 1,000-node outline is read several times a page.
        query = select(*NODE_COLUMNS).where(OutlineNode.plan_version_id == vid)
        if kind:
            query = query.where(OutlineNode.kind == kind)
        if parent_id is not None:
            query = query.where(OutlineNode.parent_id == parent_id)
        if q:
            query = query.where(or_(OutlineNode.title.contains(q), OutlineNode.text.contains(q)))
        rows = [dict(zip(NODE_FIELDS, r, strict=True)) for r in s.execute(query)]
    ordered = _tree_order(rows)
    total = len(ordered)
    end = None if limit is None else offset + limit
    return Page(
        # Rows come straight from the table, so they need no validation.
        items=[NodeView.model_construct(**r) for r in ordered[offset:end]],
        total=total,
        limit=limit if limit is not None else total,
        offset=offset,
    )


def outline_stamp(db: Database, actor: Actor) -> str:
    """A token that changes whenever an outline may have changed (an ETag, a cache key).

    The data revision (one primary-key read, run on every request by the callers that cache
    an outline), so a change made through any worker process is seen at once.
    """
    check(actor, "plan.read")
    return str(db.revision())


def data_stamp(*parts: object) -> str:
    """A short token of the parts a result was built from (an ETag and a cache key)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


NODE_FIELDS = tuple(NodeView.model_fields)
NODE_COLUMNS = tuple(OutlineNode.__table__.c[name] for name in NODE_FIELDS)


def _tree_order(rows: Iterable[Any]) -> list[Any]:
    """Depth-first order by position; nodes whose parent was filtered out come as roots.

    Works on ORM nodes and on row mappings alike (anything with id, parent_id, position).
    """
    rows = list(rows)

    def get(row: Any, key: str) -> Any:
        return row[key] if isinstance(row, Mapping) else getattr(row, key)

    present = {get(r, "id") for r in rows}
    children: dict[int | None, list[Any]] = {}
    for r in rows:
        parent = get(r, "parent_id")
        children.setdefault(parent if parent in present else None, []).append(r)
    for lst in children.values():
        lst.sort(key=lambda n: (get(n, "position"), get(n, "id")))
    out: list[Any] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(children.get(get(node, "id"), [])))
    return out


def get_node(db: Database, actor: Actor, node_id: int) -> NodeView:
    """One outline node."""
    check(actor, "plan.read")
    with reading(db) as s:
        return NodeView.model_validate(get_or_404(s, OutlineNode, node_id, "节点 node"))


def _editable(session: Session, node_id: int, expected_version: int | None) -> OutlineNode:
    node = get_or_404(session, OutlineNode, node_id, "节点 node")
    check_version(node, expected_version, "节点 node")
    status = session.scalar(
        select(PlanVersion.status).where(PlanVersion.id == node.plan_version_id)
    )
    if status != "draft":
        raise Invalid("已发布的版本不能修改,请在草稿中编辑 published versions are read-only")
    return node


def _plan_of_version(session: Session, version_id: int) -> int:
    return session.scalar(select(PlanVersion.plan_id).where(PlanVersion.id == version_id)) or 0


def update_node(
    db: Database, actor: Actor, node_id: int, expected_version: int | None, **changes: Any
) -> NodeView:
    """Change a node's title, text, kind or marker (only fields given)."""
    check(actor, "plan.edit")
    unknown = set(changes) - set(EDITABLE_NODE_FIELDS)
    if unknown:
        raise Invalid(f"不能修改的字段 fields cannot be edited: {', '.join(sorted(unknown))}")
    with writing(db) as s:
        node = _editable(s, node_id, expected_version)
        before = snapshot(node)
        for key, value in changes.items():
            if key == "text" and value is None:
                value = ""
            setattr(node, key, value)
        return _audited(s, actor, "node.update", node, before)


def _audited(
    s: Session, actor: Actor, action: str, node: OutlineNode, before: dict[str, Any]
) -> NodeView:
    """Flush a changed node, write its audit event, and return its view."""
    s.flush()
    record(
        s,
        actor,
        action,
        "node",
        node.id,
        before=before,
        after=snapshot(node),
        plan_id=_plan_of_version(s, node.plan_version_id),
        summary=node.path,
    )
    return NodeView.model_validate(node)


def _siblings(session: Session, version_id: int, parent_id: int | None) -> list[OutlineNode]:
    return list(
        session.scalars(
            select(OutlineNode)
            .where(
                OutlineNode.plan_version_id == version_id,
                OutlineNode.parent_id.is_(None)
                if parent_id is None
                else OutlineNode.parent_id == parent_id,
            )
            .order_by(OutlineNode.position, OutlineNode.id)
        ).all()
    )


def _renumber(nodes: list[OutlineNode]) -> None:
    for i, n in enumerate(nodes):
        if n.position != i:
            n.position = i


def move_node(
    db: Database,
    actor: Actor,
    node_id: int,
    expected_version: int | None,
    *,
    parent_id: int | None,
    position: int,
) -> NodeView:
    """Move a node (with its subtree) under `parent_id` (None: top level) at `position`."""
    check(actor, "plan.edit")
    with writing(db) as s:
        node = _editable(s, node_id, expected_version)
        before = snapshot(node)
        if parent_id is not None:
            parent = get_or_404(s, OutlineNode, parent_id, "节点 node")
            if parent.plan_version_id != node.plan_version_id:
                raise Invalid("只能在同一版本内移动 move within one version only")
            ancestor: OutlineNode | None = parent
            while ancestor is not None:
                if ancestor.id == node.id:
                    raise Invalid("不能移到自己的下级 cannot move a node under itself")
                ancestor = s.get(OutlineNode, ancestor.parent_id) if ancestor.parent_id else None
        old = [n for n in _siblings(s, node.plan_version_id, node.parent_id) if n.id != node.id]
        _renumber(old)
        new = [n for n in _siblings(s, node.plan_version_id, parent_id) if n.id != node.id]
        position = max(0, min(position, len(new)))
        new.insert(position, node)
        node.parent_id = parent_id
        _renumber(new)
        node.position = position
        return _audited(s, actor, "node.move", node, before)


def split_node(
    db: Database,
    actor: Actor,
    node_id: int,
    expected_version: int | None,
    *,
    at: int,
    title: str | None = None,
) -> tuple[NodeView, NodeView]:
    """Split a node's text at character `at`; the rest becomes a new sibling right after it."""
    check(actor, "plan.edit")
    with writing(db) as s:
        node = _editable(s, node_id, expected_version)
        if not 0 < at < len(node.text):
            raise Invalid(f"拆分位置须在 1 到 {len(node.text) - 1} 之间 split point out of range")
        before = snapshot(node)
        head, tail = node.text[:at], node.text[at:]
        siblings = _siblings(s, node.plan_version_id, node.parent_id)
        taken = set(
            s.scalars(
                select(OutlineNode.path).where(OutlineNode.plan_version_id == node.plan_version_id)
            )
        )
        n = 2
        while f"{node.path}~{n}" in taken:
            n += 1
        new = OutlineNode(
            plan_version_id=node.plan_version_id,
            parent_id=node.parent_id,
            position=node.position + 1,
            path=f"{node.path}~{n}",
            kind=node.kind,
            marker=None,
            title=(title or tail.split("。")[0][:60]).strip(),
            text=tail.strip(),
            span_start=None if node.span_start is None else node.span_start + at,
            span_end=node.span_end,
            targets=[],
        )
        node.text = head.strip()
        if node.span_start is not None:
            node.span_end = node.span_start + at
        index = next(i for i, x in enumerate(siblings) if x.id == node.id)
        siblings.insert(index + 1, new)
        s.add(new)
        s.flush()
        _renumber(siblings)
        s.flush()
        plan_id = _plan_of_version(s, node.plan_version_id)
        record(
            s,
            actor,
            "node.split",
            "node",
            node.id,
            before=before,
            after=snapshot(node),
            plan_id=plan_id,
            summary=f"{node.path} → {new.path}",
        )
        record(s, actor, "node.add", "node", new.id, after=snapshot(new), plan_id=plan_id)
        return NodeView.model_validate(node), NodeView.model_validate(new)


def publish_version(
    db: Database, actor: Actor, plan_id: int, expected_version: int | None
) -> PlanView:
    """Publish the plan's draft and open a new draft copy; `expected_version` is the plan's."""
    check(actor, "plan.publish")
    with writing(db) as s:
        plan = get_or_404(s, Plan, plan_id, "规划 plan")
        check_version(plan, expected_version, "规划 plan")
        draft = s.scalar(
            select(PlanVersion)
            .where(PlanVersion.plan_id == plan_id, PlanVersion.status == "draft")
            .order_by(PlanVersion.number.desc())
        )
        if draft is None:
            raise Invalid("没有可发布的草稿 no draft to publish")
        draft.status = "published"
        draft.published_at = datetime.now(UTC)
        draft.published_by = actor.user_id
        plan.updated_at = datetime.now(UTC)  # bumps the plan's version
        new = PlanVersion(plan_id=plan_id, number=draft.number + 1, status="draft")
        s.add(new)
        s.flush()
        _copy_nodes(s, draft.id, new.id)
        record(
            s,
            actor,
            "plan.publish",
            "plan",
            plan_id,
            before={"published": None},
            after={"published": draft.number, "draft": new.number},
            plan_id=plan_id,
            summary=f"v{draft.number}",
        )
        s.flush()
        return _plan_view(s, plan_id)


def _copy_nodes(session: Session, source_id: int, target_id: int) -> None:
    rows = _tree_order(
        session.scalars(select(OutlineNode).where(OutlineNode.plan_version_id == source_id))
    )
    ids: dict[int, int] = {}
    for r in rows:
        copy = OutlineNode(
            plan_version_id=target_id,
            parent_id=ids.get(r.parent_id) if r.parent_id else None,
            position=r.position,
            path=r.path,
            kind=r.kind,
            marker=r.marker,
            title=r.title,
            text=r.text,
            span_start=r.span_start,
            span_end=r.span_end,
            targets=list(r.targets or []),
        )
        session.add(copy)
        session.flush()
        ids[r.id] = copy.id


def update_plan(
    db: Database,
    actor: Actor,
    plan_id: int,
    expected_version: int | None,
    *,
    title: str | None = None,
    public: bool | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
) -> PlanView:
    """Change a plan's title, years, or whether its public page is on."""
    check(actor, "plan.publish" if public is not None else "plan.edit")
    with writing(db) as s:
        plan = get_or_404(s, Plan, plan_id, "规划 plan")
        check_version(plan, expected_version, "规划 plan")
        _check_years(
            start_year if start_year is not None else plan.start_year,
            end_year if end_year is not None else plan.end_year,
        )
        before = snapshot(plan)
        for key, value in (
            ("title", title),
            ("public", public),
            ("start_year", start_year),
            ("end_year", end_year),
        ):
            if value is not None:
                setattr(plan, key, value)
        s.flush()
        record(
            s,
            actor,
            "plan.update",
            "plan",
            plan.id,
            before=before,
            after=snapshot(plan),
            plan_id=plan.id,
        )
        return _plan_view(s, plan_id)


def versions(db: Database, actor: Actor, plan_id: int) -> list[VersionView]:
    """The versions of a plan, oldest first."""
    return get_plan(db, actor, plan_id).versions


__all__ = [
    "get_node",
    "get_plan",
    "import_plan",
    "import_plan_file",
    "list_plans",
    "move_node",
    "outline",
    "parse_document",
    "publish_version",
    "split_node",
    "update_node",
    "update_plan",
    "versions",
]
