"""Reports of a plan in the database: tasks from progress reports, saved edits, history."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from fixtures import import_sample_plan
from luoshi.errors import Forbidden, Invalid, NotFound
from luoshi.services import SYSTEM, audit, tasks
from luoshi.services.permissions import Actor
from luoshi.services.reporting import (
    generate,
    history,
    plan_report,
    save_narrative,
    saved_file,
    saved_narrative,
)
from luoshi.storage import Database

REPORTER = Actor(None, "reporter", "reporter", None, "部门联络员")


@pytest.fixture
def plan(db: Database, tmp_path: Path) -> int:
    """The sample plan with two lead tasks: one late with a progress report, one done."""
    plan_id = import_sample_plan(db, tmp_path)
    late = tasks.assign_task(db, SYSTEM, plan_id, "2.1.1", "gxj", due_date=date(2026, 6, 30))
    tasks.write_report(
        db, SYSTEM, late.id, "2026-H1", "园区用地报批未完成，预计推迟半年。", submit=True
    )
    done = tasks.assign_task(db, SYSTEM, plan_id, "2.1.2", "kjj")
    tasks.update_task(db, SYSTEM, done.id, None, status="done")
    tasks.assign_task(db, SYSTEM, plan_id, "2.1.2", "fgw", role="cooperating")
    return plan_id


def test_plan_report_gathers_indicators_and_tasks(db: Database, plan: int, tmp_path: Path) -> None:
    report = plan_report(db, SYSTEM, plan, 2026, "annual", root=tmp_path)
    assert report.title == "测试市“十五五”规划纲要2026年实施情况监测报告"
    assert [r.code for r in report.indicators] == ["T01", "T02"]
    assert report.tasks is not None and report.tasks.total == 2  # lead tasks only
    (late,) = report.tasks.late
    assert (late.title, late.department) == ("做强新材料产业", "市工业和信息化局")
    assert late.late_reason.startswith("园区用地报批未完成")
    assert [(c.group, c.done, c.late) for c in report.tasks.by_area] == [
        ("巩固提升优势支柱产业", 1, 1)
    ]
    assert "园区用地报批未完成" in "".join(report.narrative["problems"])


def test_saved_narrative_is_used_and_audited(db: Database, plan: int, tmp_path: Path) -> None:
    save_narrative(
        db,
        SYSTEM,
        plan,
        2026,
        "annual",
        {"next_steps": "（一）加快新材料产业园建设。落实用地指标。\n\n（二）强化督办。"},
        root=tmp_path,
    )
    assert saved_narrative(db, SYSTEM, plan, 2026, "annual", root=tmp_path) == {
        "next_steps": ["（一）加快新材料产业园建设。落实用地指标。", "（二）强化督办。"]
    }
    report = plan_report(db, SYSTEM, plan, 2026, "annual", root=tmp_path)
    assert report.narrative["next_steps"][1] == "（二）强化督办。"
    assert (
        plan_report(db, SYSTEM, plan, 2026, "midterm", root=tmp_path).narrative["next_steps"]
        != report.narrative["next_steps"]
    )  # edits belong to one report
    events = audit.list_events(db, SYSTEM, plan_id=plan).items
    assert any(e.action == "evaluation_report.narrative" for e in events)
    save_narrative(db, SYSTEM, plan, 2026, "annual", {"next_steps": ""}, root=tmp_path)
    assert saved_narrative(db, SYSTEM, plan, 2026, "annual", root=tmp_path) == {}


def test_generated_reports_are_kept_in_history(
    db: Database, plan: int, tmp_path: Path, cjk_fonts: None
) -> None:
    saved = generate(db, SYSTEM, plan, 2026, "annual", "docx", root=tmp_path)
    assert [r.name for r in history(db, SYSTEM, plan, root=tmp_path)] == [saved.name]
    meta, data = saved_file(db, SYSTEM, plan, saved.name, root=tmp_path)
    assert meta == saved and len(data) == saved.size
    assert meta.narrative["next_steps"]  # the text as published is kept with the file
    assert Document(io.BytesIO(data)).paragraphs[0].text.endswith("实施情况监测报告")


REFUSALS = [
    (
        lambda db, p, root: save_narrative(
            db, REPORTER, p, 2026, "annual", {"overall": "x"}, root=root
        ),
        Forbidden,
    ),
    (lambda db, p, root: generate(db, REPORTER, p, 2026, "annual", "pdf", root=root), Forbidden),
    (
        lambda db, p, root: save_narrative(
            db, SYSTEM, p, 2026, "annual", {"title": "x"}, root=root
        ),
        Invalid,
    ),
    (lambda db, p, root: generate(db, SYSTEM, p, 2026, "weekly", "pdf", root=root), Invalid),
    (lambda db, p, root: generate(db, SYSTEM, p, 2026, "annual", "odt", root=root), Invalid),
    (lambda db, p, root: saved_file(db, SYSTEM, p, "../../etc/passwd", root=root), NotFound),
    (lambda db, p, root: saved_file(db, SYSTEM, p, "annual-2026.docx", root=root), NotFound),
    (lambda db, p, root: plan_report(db, SYSTEM, p + 99, 2026, "annual", root=root), NotFound),
]


def test_refusals_change_nothing(db: Database, plan: int, tmp_path: Path) -> None:
    for call, error in REFUSALS:
        with pytest.raises(error):
            call(db, plan, tmp_path)
    assert not list(tmp_path.glob("plan-*/*"))
    assert not [
        e
        for e in audit.list_events(db, SYSTEM, plan_id=plan).items
        if e.action.startswith("evaluation_report.")
    ]


def test_cli_report_from_the_database(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cjk_fonts: None
) -> None:
    from typer.testing import CliRunner

    from luoshi.cli import _register, app
    from luoshi.settings import get_settings

    plan_id = import_sample_plan(sqlite_db, tmp_path)
    monkeypatch.setenv("LUOSHI_DATABASE_URL", sqlite_db.url)
    get_settings.cache_clear()
    _register()
    out = tmp_path / "plan.html"
    try:
        result = CliRunner().invoke(
            app, ["report", "--plan", str(plan_id), "--year", "2026", "-o", str(out)]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "测试市“十五五”规划纲要实施中期评估报告" in out.read_text("utf-8")
