"""对标对表 in the product: a stored plan aligned with its upper-level plan, and acted upon.

The pure alignment lives in luoshi.matching.align (outline against outline) and
luoshi.matching.align_indicators (indicator table against indicator table). This module feeds
them stored plans, keeps people's verdicts on pairs (table alignment_verdicts) and hands them
back on every later run, and turns a gap into work: an upper item the lower plan lacks becomes
a new task (outline node) of the lower plan's draft, an upper indicator it lacks becomes a row
of its indicator table with the proposed local target.

The upper plan is named by a reference: `plan:ID` for a stored plan (e.g. the city's plan for a
district) or a bundled sample name (`national-15th`). `default_upper` picks the plan of the
parent region when there is one, else the national sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from luoshi.documents.model import Node, Outline, Target
from luoshi.errors import Conflict, Invalid, NotFound
from luoshi.matching.align import Alignment, PlanNode, align, plan_nodes
from luoshi.matching.align_feedback import VERDICTS, AlignFeedback, Verdict
from luoshi.matching.align_indicators import align_indicators, target_rows
from luoshi.matching.align_samples import load_plan
from luoshi.services.audit import record, record_added, snapshot
from luoshi.services.indicators import list_targets
from luoshi.services.permissions import Actor, check
from luoshi.services.plans import get_plan, outline
from luoshi.services.transactions import get_or_404, reading, writing
from luoshi.services.views import NodeView, TargetView, View
from luoshi.storage import Database
from luoshi.storage.models import (
    AlignmentVerdict,
    Indicator,
    OutlineNode,
    Plan,
    PlanVersion,
    Region,
)
from luoshi.storage.models import Target as TargetRow

# Upper-level plans bundled with luoshi that a stored plan can be aligned with.
BUNDLED_UPPER = {"national-15th": "国家“十五五”规划(国家层面样例)"}
PLAN_REF = "plan:"
KINDS = ("node", "indicator")
# Outline kinds a new task may take, by the kind of the heading it goes under.
CHILD_KIND = {"part": "section", "chapter": "section", "section": "item", "item": "measure"}


class VerdictView(View):
    id: int
    plan_id: int
    upper_ref: str
    kind: str
    upper_key: str
    upper_title: str
    lower_key: str
    lower_title: str
    verdict: str
    version: int


class UpperChoice(View):
    """A plan the lower plan can be aligned with."""

    ref: str
    title: str


class AlignmentView(View):
    """A stored plan aligned with an upper plan: the `luoshi align` JSON plus the matrix."""

    plan_id: int
    upper_ref: str
    upper_title: str
    lower_title: str
    result: dict[str, Any]  # matches, uncovered, unanchored, summary, indicators
    matrix: dict[str, Any]  # rows × columns of scores with the best pair of each cell
    verdicts: list[VerdictView]
    choices: list[UpperChoice]


# ---------------------------------------------------------------- plans as alignment input


def _outline_of(nodes: Sequence[NodeView], title: str) -> Outline:
    """A luoshi.documents Outline from a stored plan version's nodes (in tree order)."""
    made: dict[int, Node] = {}
    roots: list[Node] = []
    for n in nodes:
        node = Node(
            id=n.path,
            kind=n.kind,
            marker=n.marker,
            title=n.title,
            text=n.text or "",
            span=(n.span_start or 0, n.span_end or 0),
            targets=_targets(n.targets),
        )
        made[n.id] = node
        parent = made.get(n.parent_id) if n.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return Outline(source=title, format="db", title=title, children=roots)


def _targets(raw: Sequence[Any]) -> list[Target]:
    """The targets stored on a node that still read as luoshi.documents Targets."""
    out = []
    for t in raw or ():
        try:
            out.append(Target.from_dict({"span": [0, 0], **t}))
        except (KeyError, TypeError, ValueError):
            continue  # an edited or partial target: not used for alignment
    return out


def target_row(t: TargetView) -> dict[str, Any]:
    """A stored target as an indicator row (METHOD.md §3 columns) for align_indicators."""
    ind = t.indicator
    return {
        "code": ind.code,
        "name": ind.name,
        "unit": ind.unit,
        "direction": ind.direction,
        "category": ind.category,
        "library_code": ind.library_code,
        "kind": t.kind,
        "base_year": t.base_year,
        "base_value": t.base_value,
        "target_year": t.target_year,
        "target": t.target,
        "target_high": t.target_high,
        "benchmark": t.benchmark,
        "target_text": t.target_text,
        "attribute": t.attribute,
    }


# Target kinds that say something without a number (qualitative, relative to a benchmark).
KINDS_WITHOUT_NUMBER = frozenset({"qualitative", "rate_above", "rate_in_step"})


def has_target(t: TargetView) -> bool:
    """Whether a target is set: not a library indicator just attached, without number or words."""
    return t.target is not None or bool(t.target_text) or t.kind in KINDS_WITHOUT_NUMBER


def plan_indicator_rows(db: Database, actor: Actor, plan_id: int) -> list[dict[str, Any]]:
    """The plan's indicator table as rows, only the targets that are set."""
    targets = list_targets(db, actor, plan_id, limit=10_000).items
    return [target_row(t) for t in targets if has_target(t)]


def _stored_plan(db: Database, actor: Actor, plan_id: int) -> tuple[str, Outline, list[dict]]:
    """(title, outline of the latest version, indicator rows) of a stored plan."""
    plan = get_plan(db, actor, plan_id)
    tree = _outline_of(outline(db, actor, plan_id).items, plan.title)
    rows = plan_indicator_rows(db, actor, plan_id)
    return plan.title, tree, rows or target_rows(tree)


def _upper(db: Database, actor: Actor, ref: str) -> tuple[str, Outline, list[dict]]:
    """(title, outline, indicator rows) of the upper plan named by `ref`."""
    if ref in BUNDLED_UPPER:
        source = load_plan(ref)
        return BUNDLED_UPPER[ref], source.outline, source.indicators
    if ref.startswith(PLAN_REF) and ref[len(PLAN_REF) :].isdigit():
        return _stored_plan(db, actor, int(ref[len(PLAN_REF) :]))
    names = "、".join([*BUNDLED_UPPER, "plan:ID"])
    raise Invalid(f"未知的上级规划 unknown upper plan: {ref[:80]!r}(可选 {names})")


def parent_plan_id(db: Database, actor: Actor, plan_id: int) -> int | None:
    """The newest plan of the parent region of the plan's region, if any."""
    check(actor, "plan.read")
    with reading(db) as s:
        region_id = s.scalar(select(Plan.region_id).where(Plan.id == plan_id))
        parent = s.scalar(select(Region.parent_id).where(Region.id == region_id))
        if parent is None:
            return None
        return s.scalar(
            select(Plan.id).where(Plan.region_id == parent).order_by(Plan.id.desc()).limit(1)
        )


def default_upper(db: Database, actor: Actor, plan_id: int) -> str:
    """The parent region's plan (`plan:ID`) when there is one, else the national sample."""
    parent = parent_plan_id(db, actor, plan_id)
    return f"{PLAN_REF}{parent}" if parent is not None else next(iter(BUNDLED_UPPER))


def upper_choices(db: Database, actor: Actor, plan_id: int) -> list[UpperChoice]:
    """The bundled upper plans and every other stored plan, the parent region's first."""
    check(actor, "alignment.read")
    parent = parent_plan_id(db, actor, plan_id)
    with reading(db) as s:
        stored = s.execute(select(Plan.id, Plan.title).where(Plan.id != plan_id)).all()
    stored = sorted(stored, key=lambda r: (r[0] != parent, -r[0]))
    return [UpperChoice(ref=k, title=v) for k, v in BUNDLED_UPPER.items()] + [
        UpperChoice(ref=f"{PLAN_REF}{i}", title=t) for i, t in stored
    ]


# ---------------------------------------------------------------- verdicts


def verdicts(db: Database, actor: Actor, plan_id: int, upper_ref: str) -> list[VerdictView]:
    """People's verdicts on pairs of this plan against `upper_ref`, oldest first."""
    check(actor, "alignment.read")
    with reading(db) as s:
        rows = s.scalars(
            select(AlignmentVerdict)
            .where(AlignmentVerdict.plan_id == plan_id, AlignmentVerdict.upper_ref == upper_ref)
            .order_by(AlignmentVerdict.id)
        )
        return [VerdictView.model_validate(r) for r in rows]


def feedback_of(rows: Sequence[VerdictView]) -> AlignFeedback:
    """The node verdicts as the pure AlignFeedback that alignment learns from."""
    return AlignFeedback(
        [
            Verdict(v.upper_title, v.lower_title, v.verdict, v.upper_key, v.lower_key)
            for v in rows
            if v.kind == "node"
        ]
    )


def record_verdict(
    db: Database,
    actor: Actor,
    plan_id: int,
    upper_ref: str,
    *,
    kind: str,
    upper_key: str,
    lower_key: str,
    verdict: str,
) -> VerdictView:
    """Confirm or reject one pair (nodes by path, indicators by code); replaces an older one."""
    check(actor, "alignment.review")
    if kind not in KINDS:
        raise Invalid(f"未知的类别 unknown kind: {kind[:40]!r}(可选 {', '.join(KINDS)})")
    if verdict not in VERDICTS:
        raise Invalid(f"未知的判断 unknown verdict: {verdict[:40]!r}(可选 {', '.join(VERDICTS)})")
    title, tree, rows = _upper(db, actor, upper_ref)
    upper_title = _title_of(tree, rows, kind, upper_key, f"上级 {title}")
    _, lower_tree, lower_rows = _stored_plan(db, actor, plan_id)
    lower_title = _title_of(lower_tree, lower_rows, kind, lower_key, "本级规划 this plan")
    return _store_verdict(
        db, actor, plan_id, upper_ref, kind, (upper_key, upper_title), (lower_key, lower_title),
        verdict,
    )  # fmt: skip


def _title_of(tree: Outline, rows: Sequence[dict], kind: str, key: str, where: str) -> str:
    """The title of node `key` (kind node) or name of indicator `key` (kind indicator)."""
    if kind == "indicator":
        found = next((r.get("name") for r in rows if str(r.get("code")) == key), None)
    else:
        # Only nodes alignment sees (measures fold into their item) can be a pair's side.
        found = next((n.title for n in plan_nodes(tree) if n.id == key), None)
    if not found:
        raise NotFound(f"{where} 中没有可对标的 {key[:80]} not found or not aligned on its own")
    return str(found)


def _walk(nodes: Sequence[Node]) -> Any:
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _store_verdict(
    db: Database,
    actor: Actor,
    plan_id: int,
    upper_ref: str,
    kind: str,
    upper: tuple[str, str],
    lower: tuple[str, str],
    verdict: str,
    session: Session | None = None,
) -> VerdictView:
    def store(s: Session) -> VerdictView:
        row = s.scalar(
            select(AlignmentVerdict).where(
                AlignmentVerdict.plan_id == plan_id,
                AlignmentVerdict.upper_ref == upper_ref,
                AlignmentVerdict.kind == kind,
                AlignmentVerdict.upper_key == upper[0],
                AlignmentVerdict.lower_key == lower[0],
            )
        )
        before = snapshot(row) if row is not None else None
        if row is None:
            row = AlignmentVerdict(
                plan_id=plan_id,
                upper_ref=upper_ref,
                kind=kind,
                upper_key=upper[0],
                lower_key=lower[0],
                actor_id=actor.user_id,
            )
            s.add(row)
        row.upper_title, row.lower_title, row.verdict = upper[1], lower[1], verdict
        row.actor_id = actor.user_id
        s.flush()
        record(
            s,
            actor,
            f"alignment.{verdict}",
            "alignment_verdict",
            row.id,
            before=before,
            after=snapshot(row),
            plan_id=plan_id,
            summary=f"{upper[1]} ↔ {lower[1]}",
        )
        return VerdictView.model_validate(row)

    if session is not None:
        return store(session)
    with writing(db) as s:
        get_or_404(s, Plan, plan_id, "规划 plan")
        return store(s)


# ---------------------------------------------------------------- alignment


def align_plan(
    db: Database,
    actor: Actor,
    plan_id: int,
    upper_ref: str | None = None,
    *,
    upper_depth: int = 0,
    lower_depth: int = 1,
) -> AlignmentView:
    """Align the plan with `upper_ref` (default: its parent region's plan, else national-15th).

    The latest version's outline and the indicator table are aligned, with every stored verdict.
    """
    check(actor, "alignment.read")
    ref = upper_ref or default_upper(db, actor, plan_id)
    if ref == f"{PLAN_REF}{plan_id}":
        raise Invalid("不能与自身对标 a plan cannot be aligned with itself")
    up_title, up_tree, up_rows = _upper(db, actor, ref)
    low_title, low_tree, low_rows = _stored_plan(db, actor, plan_id)
    stored = verdicts(db, actor, plan_id, ref)
    result = align(up_tree, low_tree, feedback_of(stored))
    result.upper_title, result.lower_title = up_title, low_title
    if up_rows:
        confirmed = confirmed_indicators(stored, up_rows, low_rows)
        result.indicators = align_indicators(up_rows, low_rows, confirmed=confirmed).to_dict()
    return AlignmentView(
        plan_id=plan_id,
        upper_ref=ref,
        upper_title=up_title,
        lower_title=low_title,
        result=result.to_dict(),
        matrix=coverage_matrix(result, upper_depth, lower_depth),
        verdicts=stored,
        choices=upper_choices(db, actor, plan_id),
    )


def confirmed_indicators(
    stored: Sequence[VerdictView], up_rows: Sequence[dict], low_rows: Sequence[dict]
) -> list[tuple[str, str]]:
    """(upper name, lower name) of the indicator pairs people confirmed as the same."""
    up_names = {str(r.get("code")): r.get("name") for r in up_rows}
    low_names = {str(r.get("code")): r.get("name") for r in low_rows}
    return [
        (
            str(up_names.get(v.upper_key, v.upper_title)),
            str(low_names.get(v.lower_key, v.lower_title)),
        )
        for v in stored
        if v.kind == "indicator" and v.verdict == "confirm"
    ]


def _ancestors(nodes: Sequence[PlanNode]) -> dict[str, list[str]]:
    """Every node's line of descent, top-level ancestor first."""
    by_id = {n.id: n for n in nodes}
    lines: dict[str, list[str]] = {}
    for n in nodes:
        lines[n.id] = [*lines[n.parent], n.id] if n.parent in by_id else [n.id]
    return lines


def coverage_matrix(
    result: Alignment, upper_depth: int = 0, lower_depth: int = 1
) -> dict[str, Any]:
    """Alignment.matrix() with, for each filled cell, the pair behind its score and why.

    `pairs[r][c]` is {upper, lower, score, reason, reason_en} of the best pair inside the two
    subtrees, so a screen can show scores and reasons on hover and focus.
    """
    matrix = result.matrix(upper_depth, lower_depth)
    up_lines, low_lines = _ancestors(result.upper), _ancestors(result.lower)
    row_at = {r["id"]: k for k, r in enumerate(matrix["rows"])}
    col_at = {c["id"]: k for k, c in enumerate(matrix["columns"])}
    up_by = {n.id: n for n in result.upper}
    pairs: list[list[dict[str, Any] | None]] = [[None] * len(col_at) for _ in row_at]
    for up_id, lows in result.matches.items():
        for m in lows:
            line = low_lines[m.node.id]
            if len(line) <= lower_depth or line[lower_depth] not in col_at:
                continue
            c = col_at[line[lower_depth]]
            for r_id in up_lines[up_id][: upper_depth + 1]:
                r = row_at.get(r_id)
                if r is None:
                    continue
                best = pairs[r][c]
                if best is None or m.score > best["score"]:
                    pairs[r][c] = {
                        "upper": up_by[up_id].brief(),
                        "lower": m.node.brief(),
                        "score": round(m.score, 3),
                        "reason": m.reason,
                        "reason_en": m.reason_en,
                    }
    uncovered = {n.id for n in result.uncovered}
    matrix["pairs"] = pairs
    matrix["uncovered_rows"] = [r["id"] for r in matrix["rows"] if r["id"] in uncovered]
    return matrix


# ---------------------------------------------------------------- acting on gaps


def _draft_version(s: Session, plan_id: int) -> int:
    version = s.scalar(
        select(PlanVersion)
        .where(PlanVersion.plan_id == plan_id)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
    if version is None:
        raise NotFound(f"规划 plan {plan_id} 没有版本 has no version")
    if version.status != "draft":
        raise Invalid("已发布的版本不能修改,请在草稿中编辑 published versions are read-only")
    return version.id


def add_task_from_upper(
    db: Database,
    actor: Actor,
    plan_id: int,
    upper_ref: str,
    upper_id: str,
    *,
    parent_path: str | None = None,
    title: str | None = None,
) -> NodeView:
    """Add a task to the plan's draft that takes up the upper node `upper_id` (a gap).

    It goes under `parent_path` (default: the lower node that takes up the upper node's nearest
    matched ancestor), and the pair is confirmed so the next alignment lists it. An upper node
    a person already confirmed as taken up by a node of the draft is refused (Conflict), so a
    second click on a stale page adds nothing.
    """
    check(actor, "plan.edit")
    up_title, up_tree, _ = _upper(db, actor, upper_ref)
    upper = next((n for n in _walk(up_tree.children) if n.id == upper_id), None)
    if upper is None or not upper.title:
        raise NotFound(f"上级规划 {up_title} 中没有节点 no node {upper_id[:80]}")
    if parent_path is None:
        parent_path = _suggested_parent(db, actor, plan_id, upper_ref, up_tree, upper_id)
    new_title = (title or upper.title).strip()
    if not new_title:
        raise Invalid("任务标题不能为空 a task needs a title")
    with writing(db) as s:
        get_or_404(s, Plan, plan_id, "规划 plan")
        version_id = _draft_version(s, plan_id)
        taken = s.scalar(
            select(OutlineNode.title).where(
                OutlineNode.plan_version_id == version_id,
                OutlineNode.path.in_(
                    select(AlignmentVerdict.lower_key).where(
                        AlignmentVerdict.plan_id == plan_id,
                        AlignmentVerdict.upper_ref == upper_ref,
                        AlignmentVerdict.kind == "node",
                        AlignmentVerdict.upper_key == upper.id,
                        AlignmentVerdict.verdict == "confirm",
                    )
                ),
            )
        )
        if taken is not None:
            raise Conflict(f"“{upper.title}”已由本级“{taken}”落实 already taken up by {taken}")
        parent = None
        if parent_path:
            parent = s.scalar(
                select(OutlineNode).where(
                    OutlineNode.plan_version_id == version_id, OutlineNode.path == parent_path
                )
            )
            if parent is None:
                raise Invalid(f"本级规划中没有节点 no node {parent_path[:80]} in plan {plan_id}")
        siblings = s.scalars(
            select(OutlineNode).where(
                OutlineNode.plan_version_id == version_id,
                OutlineNode.parent_id.is_(None)
                if parent is None
                else OutlineNode.parent_id == parent.id,
            )
        ).all()
        paths = set(
            s.scalars(select(OutlineNode.path).where(OutlineNode.plan_version_id == version_id))
        )
        prefix = f"{parent.path}." if parent is not None else ""
        k = len(siblings) + 1
        while f"{prefix}{k}" in paths:
            k += 1
        kinds = [n.kind for n in siblings if n.title]
        kind = (
            max(set(kinds), key=kinds.count)
            if kinds
            else CHILD_KIND.get(parent.kind if parent is not None else "", "part")
        )
        node = OutlineNode(
            plan_version_id=version_id,
            parent_id=parent.id if parent is not None else None,
            position=1 + max((n.position for n in siblings), default=-1),
            path=f"{prefix}{k}",
            kind=kind,
            marker=None,
            title=new_title,
            text=upper.text or "",
            targets=[],
        )
        record_added(
            s,
            actor,
            node,
            "node.add",
            "node",
            plan_id=plan_id,
            summary=f"对标 {up_title}: {upper.title} → {node.path}",
        )
        _store_verdict(
            db, actor, plan_id, upper_ref, "node", (upper.id, upper.title),
            (node.path, new_title), "confirm", session=s,
        )  # fmt: skip
        return NodeView.model_validate(node)


def _suggested_parent(
    db: Database, actor: Actor, plan_id: int, upper_ref: str, up_tree: Outline, upper_id: str
) -> str | None:
    """The lower node that takes up the nearest matched ancestor of `upper_id`."""
    view = align_plan(db, actor, plan_id, upper_ref)
    parents: dict[str, str | None] = {}

    def visit(nodes: Sequence[Node], parent: str | None) -> None:
        for n in nodes:
            parents[n.id] = parent
            visit(n.children, n.id if n.title else parent)

    visit(up_tree.children, None)
    lows = {m["upper"]["id"]: m["lower"] for m in view.result["matches"]}
    node = parents.get(upper_id)
    while node is not None:
        if lows.get(node):
            return str(lows[node][0]["id"])
        node = parents.get(node)
    return None


def add_indicator_from_upper(
    db: Database,
    actor: Actor,
    plan_id: int,
    upper_ref: str,
    upper_code: str,
) -> TargetView:
    """Add upper indicator `upper_code` to the plan's table with the proposed local target.

    Kind, values and arithmetic come from align_indicators. The indicator becomes the plan's
    own (its own code, so its data stays its own); attach it to a goal afterwards with
    luoshi.services.indicators.attach_indicator.
    """
    check(actor, "indicator.edit")
    view = align_plan(db, actor, plan_id, upper_ref)
    missing = (view.result.get("indicators") or {}).get("missing") or []
    entry = next((m for m in missing if str(m["upper"]["code"]) == upper_code), None)
    if entry is None:
        raise Invalid(
            f"上级指标 {upper_code[:80]} 不在本级缺少的指标中 not a missing upper indicator"
        )
    _, _, up_rows = _upper(db, actor, upper_ref)
    upper = next(r for r in up_rows if str(r.get("code")) == upper_code)
    proposal = entry["proposal"]
    with writing(db) as s:
        plan = get_or_404(s, Plan, plan_id, "规划 plan")
        if plan.start_year is None or plan.end_year is None:
            raise Invalid("请先设置规划的起止年份 set the plan's years first")
        code = f"P{plan_id}-{upper_code}"[:60]
        indicator = s.scalar(select(Indicator).where(Indicator.code == code))
        if indicator is None:
            indicator = Indicator(
                code=code,
                name=str(upper.get("name") or upper_code),
                category=upper.get("category"),
                unit=proposal.get("unit") or upper.get("unit"),
                direction=upper.get("direction"),
                definition=f"对标上级指标 {upper_code}",
                source_department=upper.get("source_department"),
                library_code=upper.get("library_code"),
            )
            s.add(indicator)
            s.flush()
        count = s.scalar(select(func.count(TargetRow.id)).where(TargetRow.plan_id == plan_id))
        target = TargetRow(
            plan_id=plan_id,
            indicator_id=indicator.id,
            attribute=upper.get("attribute") or "expected",
            base_year=plan.start_year - 1,
            base_value=None,
            target_year=plan.end_year,
            kind=proposal["kind"],
            target=proposal.get("target"),
            target_high=proposal.get("target_high"),
            benchmark=proposal.get("benchmark"),
            target_text=proposal["arithmetic"],
            position=count or 0,
        )
        record_added(
            s,
            actor,
            target,
            "target.add",
            "target",
            plan_id=plan_id,
            summary=f"对标 {view.upper_title}: {indicator.name} ({upper_code} → {code})",
        )
        _store_verdict(
            db, actor, plan_id, upper_ref, "indicator",
            (upper_code, indicator.name), (code, indicator.name), "confirm", session=s,
        )  # fmt: skip
        return TargetView.model_validate(target)


__all__ = [
    "BUNDLED_UPPER",
    "AlignmentView",
    "UpperChoice",
    "VerdictView",
    "add_indicator_from_upper",
    "add_task_from_upper",
    "align_plan",
    "confirmed_indicators",
    "coverage_matrix",
    "default_upper",
    "feedback_of",
    "has_target",
    "parent_plan_id",
    "plan_indicator_rows",
    "record_verdict",
    "target_row",
    "upper_choices",
    "verdicts",
]
