"""Indicators, a plan's indicator table (targets), observations and their evaluation.

Files are read and checked by luoshi.indicators (a bad file raises TableError listing every
bad cell, before anything is written); each import is then one transaction. A changed
observation keeps its old value as a revision.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import polars as pl
from sqlalchemy import Table, bindparam, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from luoshi import indicators as engine
from luoshi.errors import CellProblem, Invalid, NotFound, TableError
from luoshi.indicators.interchange import Places, read_indicators_placed
from luoshi.indicators.model import OBSERVATION_SCHEMA
from luoshi.services.audit import record, record_added, snapshot
from luoshi.services.permissions import Actor, check
from luoshi.services.transactions import check_version, get_or_404, reading, writing
from luoshi.services.views import (
    ImportResult,
    IndicatorView,
    ObservationView,
    Page,
    RevisionView,
    TargetView,
)
from luoshi.storage import Database
from luoshi.storage.models import (
    AnnualTarget,
    Indicator,
    Observation,
    ObservationRevision,
    OutlineNode,
    Plan,
    PlanVersion,
    Target,
    utcnow,
)

T = TypeVar("T")

# Fields of an indicator-table row stored on Indicator (the definition) …
DEFINITION_FIELDS = ("name", "category", "unit", "direction", "source_department", "library_code")
# … and on Target (the plan's commitment).
TARGET_FIELDS = (
    "attribute",
    "base_year",
    "base_value",
    "target_year",
    "kind",
    "target",
    "target_high",
    "benchmark",
    "tolerance",
    "target_text",
)


def _blank(value: Any) -> Any:
    return None if value == "" else value


def _upsert_indicator(
    s: Session, row: dict[str, Any], counts: dict[str, dict[str, int]]
) -> Indicator:
    ind = s.scalar(select(Indicator).where(Indicator.code == row["code"]))
    values = {k: _blank(row.get(k)) for k in DEFINITION_FIELDS if k in row}
    if ind is None:
        ind = Indicator(code=row["code"], definition=row.get("definition") or "", **values)
        s.add(ind)
        counts["created"]["indicators"] = counts["created"].get("indicators", 0) + 1
    else:
        changed = False
        for k, v in values.items():
            if v is not None and getattr(ind, k) != v:
                setattr(ind, k, v)
                changed = True
        if changed:
            counts["updated"]["indicators"] = counts["updated"].get("indicators", 0) + 1
    s.flush()
    return ind


def import_indicators(db: Database, actor: Actor, plan_id: int, path: Path) -> ImportResult:
    """Read an indicator table file and store it as the plan's indicators and targets.

    An indicator is one definition shared by every plan that uses it. The file may rename it
    (`other_plans` of the result then counts the other plans that show the new name), but may
    not change its unit once it has observations or another plan uses it, nor its direction
    once another plan uses it: those rows are refused, naming the plans, and nothing is
    stored.
    """
    check(actor, "indicator.edit")
    table, places = read_indicators_placed(path)  # TableError for any bad row: nothing stored
    rows = [ind.to_dict() for ind in table]
    return _store_indicator_rows(db, actor, plan_id, rows, Path(path).name, places)


def _store_indicator_rows(
    db: Database,
    actor: Actor,
    plan_id: int,
    rows: list[dict[str, Any]],
    source: str,
    places: Places,
) -> ImportResult:
    counts: dict[str, dict[str, int]] = {"created": {}, "updated": {}}
    with writing(db) as s:
        get_or_404(s, Plan, plan_id, "规划 plan")
        others = _shared_changes(s, plan_id, rows, places)
        start = s.scalar(select(func.count(Target.id)).where(Target.plan_id == plan_id)) or 0
        for i, row in enumerate(rows):
            ind = _upsert_indicator(s, row, counts)
            target = s.scalar(
                select(Target).where(Target.plan_id == plan_id, Target.indicator_id == ind.id)
            )
            values = {k: _blank(row.get(k)) for k in TARGET_FIELDS}
            values["attribute"] = values["attribute"] or "expected"
            if target is None:
                target = Target(plan_id=plan_id, indicator_id=ind.id, position=start + i, **values)
                s.add(target)
                counts["created"]["targets"] = counts["created"].get("targets", 0) + 1
            elif any(getattr(target, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(target, k, v)
                counts["updated"]["targets"] = counts["updated"].get("targets", 0) + 1
        s.flush()
        record(
            s,
            actor,
            "indicators.import",
            "plan",
            plan_id,
            after={**counts, "other_plans": len(others)},
            plan_id=plan_id,
            summary=source,
        )
    return ImportResult(plan_id=plan_id, source=source, other_plans=len(others), **counts)


def _shared_changes(
    s: Session, plan_id: int, rows: list[dict[str, Any]], places: Places
) -> set[int]:
    """The other plans whose indicators the rows redefine; TableError for a refused change.

    A unit change would put the indicator's observations (in the old unit) and the other
    plans' targets under the wrong unit, a direction change would turn the other plans'
    judgements around: both are refused there, one problem per row.
    """
    codes = [r["code"] for r in rows]
    stored = {i.code: i for i in s.scalars(select(Indicator).where(Indicator.code.in_(codes)))}
    ids = [i.id for i in stored.values()]
    plans_of: dict[int, set[int]] = {}
    for ind_id, user in s.execute(
        select(Target.indicator_id, Target.plan_id).where(
            Target.indicator_id.in_(ids), Target.plan_id != plan_id
        )
    ):
        plans_of.setdefault(ind_id, set()).add(user)
    observed = set(
        s.scalars(
            select(Observation.indicator_id).where(Observation.indicator_id.in_(ids)).distinct()
        )
    )
    problems: list[CellProblem] = []
    affected: set[int] = set()
    for line, row in zip(places.rows, rows, strict=True):
        ind = stored.get(row["code"])
        if ind is None:
            continue
        other: list[int] = sorted(plans_of.get(ind.id, set()))
        listed = ", ".join(str(p) for p in other)
        used = f"规划 {listed} 也使用此指标" if other else ""
        unit = _blank(row.get("unit"))
        if unit is not None and ind.unit and unit != ind.unit and (other or ind.id in observed):
            why = "；".join(x for x in (used, "已有观测值" if ind.id in observed else "") if x)
            problems.append(
                CellProblem(
                    places.file,
                    places.sheet,
                    line,
                    places.column("unit"),
                    f"指标 {ind.code} 的单位不能由“{ind.unit}”改为“{unit}”({why}) "
                    "unit change refused: "
                    + (f"used by plans {listed}; " if other else "")
                    + ("already observed; " if ind.id in observed else "")
                    + "use a new indicator code for the new unit",
                )
            )
        direction = _blank(row.get("direction"))
        if other and direction is not None and ind.direction and direction != ind.direction:
            problems.append(
                CellProblem(
                    places.file,
                    places.sheet,
                    line,
                    places.column("direction"),
                    f"指标 {ind.code} 的方向不能由 {ind.direction} 改为 {direction}({used}) "
                    f"direction change refused: used by plans {listed}",
                )
            )
        changed = any(
            _blank(row.get(k)) is not None and _blank(row.get(k)) != getattr(ind, k)
            for k in DEFINITION_FIELDS
        )
        if changed:
            affected.update(other)
    if problems:
        raise TableError(problems)
    return affected


def _known_codes(s: Session, plan_id: int | None) -> list[dict[str, Any]]:
    """Rows naming the indicators observations may refer to (only their codes are checked)."""
    query = select(Indicator.code, Target.base_year, Target.target_year).join(
        Target, Target.indicator_id == Indicator.id
    )
    if plan_id is not None:
        query = query.where(Target.plan_id == plan_id)
    rows: dict[str, dict[str, Any]] = {}
    for code, base, final in s.execute(query):
        rows.setdefault(
            code,
            {
                "code": code,
                "name": code,
                "kind": "qualitative",
                "base_year": base,
                "target_year": final,
            },
        )
    return list(rows.values())


def _table_row(t: Target) -> dict[str, Any]:
    ind = t.indicator
    row = {k: getattr(t, k) for k in TARGET_FIELDS}
    row.update({k: getattr(ind, k) for k in DEFINITION_FIELDS})
    row["code"] = ind.code
    return {k: v for k, v in row.items() if v is not None}


# Rows written per statement by an observations import (and between progress reports).
CHUNK = 20_000
# Column lengths the database holds (checked before writing: bulk statements skip the
# session's own length check).
_OBS_LENGTHS = {"region": 60, "source": 300}
_OBS = cast(Table, Observation.__table__)
_REVISIONS = cast(Table, ObservationRevision.__table__)
_ANNUAL = cast(Table, AnnualTarget.__table__)
REVISION_COLUMNS = (
    "observation_id",
    "value",
    "judgement",
    "source",
    "note",
    "replaced_at",
    "replaced_by",
)


def import_observations(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    plan_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read an observations file and store it; changed values keep their old value as revision.

    Codes must be indicators of the plan (or of any plan when `plan_id` is None); an
    `annual_target` column sets the plan's annual targets (needs `plan_id`). The file is
    checked whole first; then its rows are written in chunks of CHUNK as bulk statements, all
    in one transaction. `progress(done, total)` is called after each chunk with the rows
    written so far and the rows to write (new and changed observations).
    """
    check(actor, "observation.edit")
    with reading(db) as s:
        if plan_id is not None:
            get_or_404(s, Plan, plan_id, "规划 plan")
        known = _known_codes(s, plan_id)
    if not known:
        raise Invalid("请先导入指标表 import an indicator table first")
    table = engine.IndicatorTable.from_rows(known, source="database codes")
    name = Path(path).name
    frame = engine.read_observations(path, table).frame  # TableError: nothing stored
    _check_lengths(frame, name)
    return _store_observations(db, actor, frame, name, plan_id, progress)


def _check_lengths(frame: pl.DataFrame, file: str) -> None:
    """TableError for cells longer than their database column (naming code, region, year)."""
    problems = []
    for column, limit in _OBS_LENGTHS.items():
        long = frame.filter(pl.col(column).str.len_chars() > limit)
        problems += [
            CellProblem(
                file,
                None,
                None,
                column,
                f"指标 {code} 地区“{region}” {year}年: 超过 {limit} 个字符 "
                f"longer than {limit} characters",
            )
            for code, region, year in long.select("code", "region", "year").iter_rows()
        ]
    if problems:
        raise TableError(problems)


def _store_observations(
    db: Database,
    actor: Actor,
    frame: pl.DataFrame,
    source: str,
    plan_id: int | None,
    progress: Callable[[int, int], None] | None,
) -> ImportResult:
    """Write checked observations with bulk statements: new rows inserted, changed rows revised."""
    with writing(db) as s:
        ids = {code: i for code, i in s.execute(select(Indicator.code, Indicator.id))}
        rows = frame.select(
            pl.col("code").replace_strict(ids, return_dtype=pl.Int64).alias("indicator_id"),
            pl.col("region").fill_null(""),
            pl.col("year"),
            pl.col("value"),
            pl.when(pl.col("judgement") != "").then(pl.col("judgement")).alias("judgement"),
            pl.when(pl.col("source").fill_null("") == "")
            .then(pl.lit(source))
            .otherwise(pl.col("source"))
            .alias("source"),
            pl.when(pl.col("note") != "").then(pl.col("note")).alias("note"),
            pl.col("annual_target"),
        )
        stored = _stored_observations(s, rows["indicator_id"].unique().to_list())
        rows = rows.join(stored, on=["indicator_id", "region", "year"], how="left")
        new = rows.filter(pl.col("id").is_null())
        changed = rows.filter(
            pl.col("id").is_not_null()
            & (
                pl.col("value").ne_missing(pl.col("old_value"))
                | pl.col("judgement").ne_missing(pl.col("old_judgement"))
            )
        )
        total, done = new.height + changed.height, 0
        columns = ["indicator_id", "region", "year", "value", "judgement", "source", "note"]
        for part in new.select(columns).iter_slices(CHUNK):
            s.execute(insert(_OBS), part.to_dicts())
            done += part.height
            if progress:
                progress(done, total)
        replaced_at = literal(utcnow(), _REVISIONS.c.replaced_at.type)
        by = literal(actor.user_id, _REVISIONS.c.replaced_by.type)
        revise = update(_OBS).where(_OBS.c.id == bindparam("_id"))
        revise = revise.values(
            value=bindparam("_value"),
            judgement=bindparam("_judgement"),
            source=bindparam("_source"),
            note=bindparam("_note"),
            version=_OBS.c.version + 1,
        )
        for part in changed.select("id", *columns[3:]).iter_slices(CHUNK):
            old = select(_OBS.c.id, _OBS.c.value, _OBS.c.judgement, _OBS.c.source, _OBS.c.note)
            s.execute(
                insert(_REVISIONS).from_select(
                    list(REVISION_COLUMNS),
                    old.add_columns(replaced_at, by).where(_OBS.c.id.in_(part["id"].to_list())),
                )
            )
            s.execute(revise, [{f"_{k}": v for k, v in r.items()} for r in part.to_dicts()])
            done += part.height
            if progress:
                progress(done, total)
        annual = 0
        if plan_id is not None:
            with_target = rows.filter(pl.col("annual_target").is_not_null())
            annual = _set_annual_targets(s, plan_id, with_target)
        s.flush()
        record(
            s,
            actor,
            "observations.import",
            "observation",
            None,
            after={"created": new.height, "revised": changed.height, "annual_targets": annual},
            plan_id=plan_id,
            summary=source,
        )
    return ImportResult(
        plan_id=plan_id,
        created={"observations": new.height, "annual_targets": annual},
        updated={"observations": changed.height},
        source=source,
    )


def _stored_observations(s: Session, indicator_ids: list[int]) -> pl.DataFrame:
    """The stored observations of these indicators: keys, id and the values a row may change."""
    schema = {
        "id": pl.Int64,
        "indicator_id": pl.Int64,
        "region": pl.String,
        "year": pl.Int32,
        "old_value": pl.Float64,
        "old_judgement": pl.String,
    }
    query = select(
        _OBS.c.id, _OBS.c.indicator_id, _OBS.c.region, _OBS.c.year, _OBS.c.value, _OBS.c.judgement
    ).where(_OBS.c.indicator_id.in_(indicator_ids))
    parts = [
        pl.DataFrame(part, schema=schema, orient="row")
        for part in s.execute(query.execution_options(yield_per=CHUNK)).partitions()
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def _set_annual_targets(s: Session, plan_id: int, rows: pl.DataFrame) -> int:
    """Set the plan's annual targets from rows with one; the number of rows that had a target."""
    if rows.height == 0:
        return 0
    targets = {
        ind: t
        for ind, t in s.execute(
            select(Target.indicator_id, Target.id).where(Target.plan_id == plan_id)
        )
    }
    stored = {
        (t, y): (i, v)
        for i, t, y, v in s.execute(
            select(_ANNUAL.c.id, _ANNUAL.c.target_id, _ANNUAL.c.year, _ANNUAL.c.value).where(
                _ANNUAL.c.target_id.in_(list(targets.values()))
            )
        )
    }
    new, changed, count = [], [], 0
    for ind, year, value in rows.select("indicator_id", "year", "annual_target").iter_rows():
        target = targets.get(ind)
        if target is None:
            continue
        count += 1
        old = stored.get((target, year))
        if old is None:
            new.append({"target_id": target, "year": year, "kind": "at_least", "value": value})
        elif old[1] != value:
            changed.append({"_id": old[0], "_value": value})
    if new:
        s.execute(insert(_ANNUAL), new)
    if changed:
        s.execute(
            update(_ANNUAL)
            .where(_ANNUAL.c.id == bindparam("_id"))
            .values(value=bindparam("_value"), version=_ANNUAL.c.version + 1),
            changed,
        )
    return count


def _revise(
    s: Session,
    actor: Actor,
    obs: Observation,
    value: float | None,
    judgement: str | None,
    source: str | None,
    note: str | None,
) -> None:
    s.add(
        ObservationRevision(
            observation_id=obs.id,
            value=obs.value,
            judgement=obs.judgement,
            source=obs.source,
            note=obs.note,
            replaced_by=actor.user_id,
        )
    )
    obs.value, obs.judgement, obs.source, obs.note = value, judgement, source, note


def set_observation(
    db: Database,
    actor: Actor,
    code: str,
    year: int,
    value: float | None,
    *,
    region: str = "",
    expected_version: int | None = None,
    judgement: str | None = None,
    source: str | None = None,
    note: str | None = None,
) -> ObservationView:
    """Add or revise one observation (the old value is kept as a revision)."""
    check(actor, "observation.edit")
    with writing(db) as s:
        ind = s.scalar(select(Indicator).where(Indicator.code == code))
        if ind is None:
            raise NotFound(f"指标 indicator {code} 不存在 not found")
        obs = s.scalar(
            select(Observation).where(
                Observation.indicator_id == ind.id,
                Observation.region == region,
                Observation.year == year,
            )
        )
        if obs is None:
            obs = Observation(
                indicator_id=ind.id,
                region=region,
                year=year,
                value=value,
                judgement=judgement,
                source=source,
                note=note,
            )
            record_added(s, actor, obs, "observation.add", "observation")
        else:
            check_version(obs, expected_version, "观测值 observation")
            before = snapshot(obs)
            _revise(s, actor, obs, value, judgement, source, note)
            s.flush()
            record(
                s,
                actor,
                "observation.revise",
                "observation",
                obs.id,
                before=before,
                after=snapshot(obs),
                summary=f"{code} {year}",
            )
        return ObservationView.model_validate(obs)


def list_indicators(
    db: Database,
    actor: Actor,
    *,
    q: str | None = None,
    category: str | None = None,
    library: bool | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[IndicatorView]:
    """Indicator definitions (the library and every imported one), by code."""
    check(actor, "indicator.read")
    query = select(Indicator)
    if q:
        query = query.where(or_(Indicator.code.contains(q), Indicator.name.contains(q)))
    if category:
        query = query.where(Indicator.category == category)
    if library is not None:
        query = query.where(
            Indicator.library_code.is_not(None) if library else Indicator.library_code.is_(None)
        )
    with reading(db) as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.scalars(query.order_by(Indicator.code).limit(limit).offset(offset)).all()
        return Page(
            items=[IndicatorView.model_validate(r) for r in rows],
            total=total,
            limit=limit,
            offset=offset,
        )


def list_targets(
    db: Database,
    actor: Actor | None,
    plan_id: int,
    *,
    category: str | None = None,
    node_path: str | None = None,
    q: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> Page[TargetView]:
    """The plan's indicator table, in table order."""
    _check_plan_read(db, actor, plan_id)
    query = (
        select(*TARGET_COLUMNS, *INDICATOR_COLUMNS)
        .join(Indicator, Target.indicator_id == Indicator.id)
        .where(Target.plan_id == plan_id)
    )
    if category:
        query = query.where(Indicator.category == category)
    if node_path:
        query = query.where(Target.node_path == node_path)
    if q:
        query = query.where(or_(Indicator.code.contains(q), Indicator.name.contains(q)))
    with reading(db) as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.execute(
            query.order_by(Target.position, Target.id).limit(limit).offset(offset)
        ).all()
    # Plain rows straight from the tables need no validation (a page reads 200 of them).
    n = len(TARGET_COLUMNS)
    items = [
        TargetView.model_construct(
            **dict(zip(TARGET_FIELDS_OUT, row[:n], strict=True)),
            indicator=IndicatorView.model_construct(
                **dict(zip(IndicatorView.model_fields, row[n:], strict=True))
            ),
        )
        for row in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


TARGET_FIELDS_OUT = tuple(f for f in TargetView.model_fields if f != "indicator")
TARGET_COLUMNS = tuple(Target.__table__.c[f] for f in TARGET_FIELDS_OUT)
INDICATOR_COLUMNS = tuple(Indicator.__table__.c[f] for f in IndicatorView.model_fields)


def _check_plan_read(db: Database, actor: Actor | None, plan_id: int) -> None:
    """Signed-in readers, or anyone when the plan's public page is on."""
    if actor is not None:
        check(actor, "indicator.read")
        return
    with reading(db) as s:
        public = s.scalar(select(Plan.public).where(Plan.id == plan_id))
    if not public:
        check(actor, "indicator.read")


def get_target(db: Database, actor: Actor, target_id: int) -> TargetView:
    """One row of a plan's indicator table."""
    check(actor, "indicator.read")
    with reading(db) as s:
        return TargetView.model_validate(get_or_404(s, Target, target_id, "指标目标 target"))


def update_target(
    db: Database, actor: Actor, target_id: int, expected_version: int | None, **changes: Any
) -> TargetView:
    """Change a target's fields (kind, values, attribute, attached node …)."""
    check(actor, "indicator.edit")
    unknown = set(changes) - {*TARGET_FIELDS, "node_path"}
    if unknown:
        raise Invalid(f"不能修改的字段 fields cannot be edited: {', '.join(sorted(unknown))}")
    with writing(db) as s:
        target = get_or_404(s, Target, target_id, "指标目标 target")
        check_version(target, expected_version, "指标目标 target")
        before = snapshot(target)
        for k, v in changes.items():
            setattr(target, k, v)
        row = _table_row(target)
        engine.IndicatorTable.from_rows([row], source=f"target {target_id}")  # same checks
        if target.node_path is not None:
            _require_node(s, target.plan_id, target.node_path)
        s.flush()
        record(
            s,
            actor,
            "target.update",
            "target",
            target.id,
            before=before,
            after=snapshot(target),
            plan_id=target.plan_id,
            summary=target.indicator.code,
        )
        return TargetView.model_validate(target)


def _require_node(s: Session, plan_id: int, path: str) -> None:
    exists = s.scalar(
        select(OutlineNode.id)
        .join(PlanVersion)
        .where(PlanVersion.plan_id == plan_id, OutlineNode.path == path)
        .limit(1)
    )
    if exists is None:
        raise Invalid(f"规划中没有节点 no node {path} in plan {plan_id}")


def attach_indicator(
    db: Database,
    actor: Actor,
    plan_id: int,
    code: str,
    node_path: str,
    *,
    expected_version: int | None = None,
) -> TargetView:
    """Attach an indicator to an outline node (a goal); adds it to the plan's table if needed.

    A library indicator not yet in the plan's table gets its usual target kind, base year
    the year before the plan starts and target year the plan's last year, target empty.
    """
    check(actor, "indicator.edit")
    with writing(db) as s:
        plan = get_or_404(s, Plan, plan_id, "规划 plan")
        _require_node(s, plan_id, node_path)
        ind = s.scalar(select(Indicator).where(Indicator.code == code))
        if ind is None:
            raise NotFound(f"指标 indicator {code} 不存在 not found")
        target = s.scalar(
            select(Target).where(Target.plan_id == plan_id, Target.indicator_id == ind.id)
        )
        if target is None:
            if plan.start_year is None or plan.end_year is None:
                raise Invalid("请先设置规划的起止年份 set the plan's years first")
            count = s.scalar(select(func.count(Target.id)).where(Target.plan_id == plan_id)) or 0
            target = Target(
                plan_id=plan_id,
                indicator_id=ind.id,
                base_year=plan.start_year - 1,
                target_year=plan.end_year,
                kind=_usual_kind(ind),
                attribute="expected",
                position=count,
                node_path=node_path,
            )
            record_added(
                s,
                actor,
                target,
                "target.add",
                "target",
                plan_id=plan_id,
                summary=f"{code} → {node_path}",
            )
        else:
            check_version(target, expected_version, "指标目标 target")
            before = snapshot(target)
            target.node_path = node_path
            s.flush()
            record(
                s,
                actor,
                "target.attach",
                "target",
                target.id,
                before=before,
                after=snapshot(target),
                plan_id=plan_id,
                summary=f"{code} → {node_path}",
            )
        return TargetView.model_validate(target)


def _usual_kind(ind: Indicator) -> str:
    entry = _library_entries().get(ind.library_code or ind.code)
    return str(entry.get("kind") or "level") if entry else "level"


def library_goals() -> dict[str, str]:
    """Library indicator code → the code of the main goal it measures."""
    return {e.code: e.goal for e in engine.load_library()}


def _library_entries() -> dict[str, dict[str, Any]]:
    if not hasattr(engine, "load_library"):
        return {}
    return {e["code"]: e for e in (_as_dict(x) for x in engine.load_library())}


def _as_dict(entry: Any) -> dict[str, Any]:
    if isinstance(entry, dict):
        return entry
    return dataclasses.asdict(entry)


def load_library(db: Database, actor: Actor) -> ImportResult:
    """Store (or refresh) the bundled standard indicator library as indicator definitions."""
    check(actor, "indicator.edit")
    entries = list(_library_entries().values())
    counts: dict[str, dict[str, int]] = {"created": {}, "updated": {}}
    with writing(db) as s:
        for e in entries:
            row = {k: e.get(k) for k in DEFINITION_FIELDS if e.get(k) is not None}
            row.update(code=e["code"], library_code=e["code"], definition=e.get("definition"))
            _upsert_indicator(s, row, counts)
        record(s, actor, "library.load", "indicator", None, after=counts["created"])
    return ImportResult(plan_id=None, source="library", **counts)


def observations(
    db: Database, actor: Actor | None, indicator_id: int, *, region: str | None = None
) -> list[ObservationView]:
    """The observed series of an indicator, by region and year."""
    if actor is not None:
        check(actor, "indicator.read")
    with reading(db) as s:
        get_or_404(s, Indicator, indicator_id, "指标 indicator")
        if actor is None:
            public = s.scalar(
                select(Plan.id)
                .join(Target, Target.plan_id == Plan.id)
                .where(Target.indicator_id == indicator_id, Plan.public.is_(True))
                .limit(1)
            )
            if public is None:
                check(actor, "indicator.read")
        query = select(Observation).where(Observation.indicator_id == indicator_id)
        if region is not None:
            query = query.where(Observation.region == region)
        rows = s.scalars(query.order_by(Observation.region, Observation.year)).all()
        return [ObservationView.model_validate(o) for o in rows]


def revisions(db: Database, actor: Actor, observation_id: int) -> list[RevisionView]:
    """Earlier values of an observation, oldest first."""
    check(actor, "indicator.read")
    with reading(db) as s:
        get_or_404(s, Observation, observation_id, "观测值 observation")
        rows = s.scalars(
            select(ObservationRevision)
            .where(ObservationRevision.observation_id == observation_id)
            .order_by(ObservationRevision.id)
        ).all()
        return [RevisionView.model_validate(r) for r in rows]


def plan_tables(db: Database, actor: Actor | None, plan_id: int) -> tuple[Any, Any, list[str]]:
    """The plan's indicator table and observations as luoshi.indicators objects.

    Targets not filled in enough to be judged (e.g. a library indicator just attached to a
    goal) are left out of the table and returned as the third value, their codes.
    """
    _check_plan_read(db, actor, plan_id)
    key = (db.url, plan_id, db.revision())  # read before the data: never newer than it
    cached = _MEMO.get(("tables", key))
    if cached is not None:
        return cached
    with reading(db) as s:
        targets = list(
            s.scalars(select(Target).where(Target.plan_id == plan_id).order_by(Target.position))
        )
        rows = [_table_row(t) for t in targets]
        codes = {t.indicator_id: t.indicator.code for t in targets}
        obs = s.execute(
            select(
                Observation.indicator_id,
                Observation.region,
                Observation.year,
                Observation.value,
                Observation.judgement,
                Observation.source,
                Observation.note,
            ).where(Observation.indicator_id.in_(list(codes)))
        ).all()
        annual = s.execute(
            select(Target.indicator_id, AnnualTarget.year, AnnualTarget.value)
            .join(AnnualTarget, AnnualTarget.target_id == Target.id)
            .where(Target.plan_id == plan_id)
        ).all()
    table, incomplete = _complete_table(rows, f"plan {plan_id}")
    kept = set(table.codes())
    annual_by = {(i, y): v for i, y, v in annual}
    obs_rows = [
        {
            "code": codes[i],
            "region": r,
            "year": y,
            "value": v,
            "judgement": j,
            "source": src,
            "note": n,
            "annual_target": annual_by.get((i, y)),
        }
        for i, r, y, v, j, src, n in obs
        if codes[i] in kept
    ]
    frame = pl.DataFrame(obs_rows, schema=OBSERVATION_SCHEMA)
    return _MEMO.put(("tables", key), (table, engine.Observations(frame), incomplete))


class Memo:
    """A small thread-safe LRU of results, each under a key that changes with its inputs.

    A plan's tables and judgements are keyed by the data revision, which every committed
    change of data replaces (luoshi.storage.db), so they are rebuilt only after a change. The
    memo is only a shortcut, never the truth: each worker process has its own and every one
    stays correct.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Any, threading.Lock] = {}

    def get(self, key: Any) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
            return self._items.get(key)

    def put(self, key: Any, value: T) -> T:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def get_or_build(self, key: Any, build: Callable[[], T]) -> T:
        """The value under `key`; on a miss one thread builds it while the others wait."""
        value = self.get(key)
        if value is not None:
            return value
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            value = self.get(key)
            if value is None:
                value = self.put(key, build())
        with self._lock:
            self._building.pop(key, None)
        return value


_MEMO = Memo(64)


def table_stamp(db: Database, actor: Actor | None, plan_id: int) -> str:
    """A token that changes whenever the plan's indicator table (`list_targets`) may have.

    The data revision (one primary-key read), after the read check: the API keys the cached
    table and its ETag by it.
    """
    _check_plan_read(db, actor, plan_id)
    return str(db.revision())


def _complete_table(rows: list[dict[str, Any]], source: str) -> tuple[Any, list[str]]:
    """The rows the engine accepts, and the codes of those it refuses."""
    try:
        return engine.IndicatorTable.from_rows(rows, source=source), []
    except TableError as exc:
        bad = {p.row for p in exc.errors if p.row is not None}
        # Row numbers count a header line, as in a file: row 2 is rows[0].
        refused = [r["code"] for i, r in enumerate(rows) if i + 2 in bad]
        kept = [r for i, r in enumerate(rows) if i + 2 not in bad]
        if not kept:
            return engine.IndicatorTable.from_rows([], source=source), refused
        return engine.IndicatorTable.from_rows(kept, source=source), refused


def evaluate_plan(
    db: Database,
    actor: Actor | None,
    plan_id: int,
    year: int,
    *,
    region: str = "",
    method: str = "fyp",
) -> list[dict[str, Any]]:
    """Judge every indicator of the plan for `year` with luoshi.indicators' engine.

    Targets not filled in enough to be judged come back as not_evaluable with that reason.
    """
    table, obs, incomplete = plan_tables(db, actor, plan_id)
    key = ("evaluation", id(table), year, region, method)
    cached = _MEMO.get(key)
    if cached is not None and cached[0] is table:
        return copy.deepcopy(cached[1])
    results = (
        [
            r.to_dict()
            for r in engine.evaluate(table, obs, year, method=method, region=region or None)
        ]
        if len(table)
        else []
    )
    status = engine.STATUSES["not_evaluable"]
    results.extend(
        {
            "code": code,
            "status": "not_evaluable",
            "status_zh": status.zh,
            "status_en": status.en,
            "reason": "目标未填写完整，无法评估",
            "reason_en": "the target is not filled in, so it cannot be judged",
            "warning": status.colour,
        }
        for code in incomplete
    )
    _MEMO.put(key, (table, results))
    return copy.deepcopy(results)
