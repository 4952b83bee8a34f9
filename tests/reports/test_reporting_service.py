"""Reports of a plan in the database: tasks from progress reports, saved edits, history.

Run on SQLite and PostgreSQL (the `db` fixture): edits and files live in the database.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from fixtures import import_sample_plan
from luoshi.errors import Conflict, Forbidden, Invalid, NotFound
from luoshi.services import SYSTEM, audit, supervision, tasks
from luoshi.services.permissions import Actor
from luoshi.services.reporting import (
    generate,
    history,
    narrative_edits,
    plan_report,
    save_narrative,
    saved_file,
    saved_narrative,
)
from luoshi.storage import Database

REPORTER = Actor(None, "reporter", "reporter", None, "部门联络员")
VIEWER = Actor(None, "viewer", "viewer", None, "只读用户")
PLANNER_B = Actor(None, "planner2", "planner", None, "规划人员乙")


@pytest.fixture
def plan(db: Database, tmp_path: Path) -> int:
    """The sample plan with two lead tasks: one late with a progress report, one done."""
    plan_id = import_sample_plan(db, tmp_path)
    late = tasks.assign_task(db, SYSTEM, plan_id, "2.1.1", "gxj", due_date=date(2026, 6, 30))
    supervision.write_report(
        db, SYSTEM, late.id, "2026-H1", "园区用地报批未完成，预计推迟半年。", submit=True
    )
    done = tasks.assign_task(db, SYSTEM, plan_id, "2.1.2", "kjj")
    tasks.update_task(db, SYSTEM, done.id, None, status="done")
    tasks.assign_task(db, SYSTEM, plan_id, "2.1.2", "fgw", role="cooperating")
    return plan_id


def test_plan_report_gathers_indicators_and_tasks(db: Database, plan: int) -> None:
    report = plan_report(db, SYSTEM, plan, 2026, "annual")
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


def test_saved_narrative_is_used_and_audited(db: Database, plan: int) -> None:
    saved = save_narrative(
        db,
        SYSTEM,
        plan,
        2026,
        "annual",
        {"next_steps": "（一）加快新材料产业园建设。落实用地指标。\n\n（二）强化督办。"},
        expected_version=0,
    )
    assert saved.version == 1
    assert saved_narrative(db, VIEWER, plan, 2026, "annual") == {
        "next_steps": ["（一）加快新材料产业园建设。落实用地指标。", "（二）强化督办。"]
    }
    report = plan_report(db, SYSTEM, plan, 2026, "annual")
    assert report.narrative["next_steps"][1] == "（二）强化督办。"
    assert (
        plan_report(db, SYSTEM, plan, 2026, "midterm").narrative["next_steps"]
        != report.narrative["next_steps"]
    )  # edits belong to one report
    events = audit.list_events(db, SYSTEM, plan_id=plan).items
    assert any(e.action == "evaluation_report.narrative" for e in events)
    reset = save_narrative(db, SYSTEM, plan, 2026, "annual", {"next_steps": ""})
    assert (reset.version, saved_narrative(db, SYSTEM, plan, 2026, "annual")) == (2, {})


def test_a_stale_edit_is_refused_and_the_newer_one_kept(db: Database, plan: int) -> None:
    first = save_narrative(
        db, SYSTEM, plan, 2026, "final", {"overall": "甲稿。"}, expected_version=0
    )
    second = save_narrative(
        db, PLANNER_B, plan, 2026, "final", {"problems": "乙稿。"}, expected_version=first.version
    )
    for stale in (0, first.version):
        with pytest.raises(Conflict):
            save_narrative(
                db, SYSTEM, plan, 2026, "final", {"overall": "覆盖。"}, expected_version=stale
            )
    now = narrative_edits(db, SYSTEM, plan, 2026, "final")
    assert (now.version, now.updated_by) == (second.version, "planner2")
    assert now.sections == {"overall": ["甲稿。"], "problems": ["乙稿。"]}


def test_generated_reports_are_kept_in_history(db: Database, plan: int, cjk_fonts: None) -> None:
    save_narrative(db, SYSTEM, plan, 2026, "annual", {"next_steps": "（一）落实园区用地。"})
    saved = generate(db, SYSTEM, plan, 2026, "annual", "docx")
    save_narrative(db, SYSTEM, plan, 2026, "annual", {"next_steps": "（一）改后的稿子。"})
    html = generate(db, SYSTEM, plan, 2026, "annual", "html")
    assert [r.id for r in history(db, VIEWER, plan)] == [html.id, saved.id]
    meta, data = saved_file(db, VIEWER, plan, saved.id)
    assert meta == saved and len(data) == saved.size
    assert meta.narrative["next_steps"] == ["（一）落实园区用地。"]  # as published, not as now
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert paragraphs[0].endswith("实施情况监测报告")
    assert any("落实园区用地" in p for p in paragraphs)
    assert "改后的稿子" in saved_file(db, SYSTEM, plan, html.id)[1].decode("utf-8")


REFUSALS = [
    (lambda db, p: save_narrative(db, REPORTER, p, 2026, "annual", {"overall": "x"}), Forbidden),
    (lambda db, p: save_narrative(db, VIEWER, p, 2026, "annual", {"overall": "x"}), Forbidden),
    (lambda db, p: generate(db, REPORTER, p, 2026, "annual", "pdf"), Forbidden),
    (lambda db, p: generate(db, VIEWER, p, 2026, "annual", "html"), Forbidden),
    (lambda db, p: history(db, REPORTER, p), Forbidden),
    (lambda db, p: save_narrative(db, SYSTEM, p, 2026, "annual", {"title": "x"}), Invalid),
    (
        lambda db, p: save_narrative(db, SYSTEM, p, 2026, "annual", {"overall": "长" * 20_001}),
        Invalid,
    ),
    (
        lambda db, p: save_narrative(
            db, SYSTEM, p, 2026, "annual", {"overall": "x"}, expected_version=3
        ),
        Conflict,
    ),
    (lambda db, p: save_narrative(db, SYSTEM, p + 99, 2026, "annual", {"overall": "x"}), NotFound),
    (lambda db, p: generate(db, SYSTEM, p, 2026, "weekly", "pdf"), Invalid),
    (lambda db, p: generate(db, SYSTEM, p, 2026, "annual", "odt"), Invalid),
    (lambda db, p: saved_file(db, SYSTEM, p, 12345), NotFound),
    (lambda db, p: plan_report(db, SYSTEM, p + 99, 2026, "annual"), NotFound),
]


def test_refusals_change_nothing(db: Database, plan: int) -> None:
    for call, error in REFUSALS:
        with pytest.raises(error):
            call(db, plan)
    assert history(db, SYSTEM, plan) == []
    assert narrative_edits(db, SYSTEM, plan, 2026, "annual").version == 0
    assert not [
        e
        for e in audit.list_events(db, SYSTEM, plan_id=plan).items
        if e.action.startswith("evaluation_report.")
    ]


def test_a_report_of_another_plan_is_not_served(
    db: Database, plan: int, tmp_path: Path, cjk_fonts: None
) -> None:
    saved = generate(db, SYSTEM, plan, 2026, "annual", "html")
    (tmp_path / "other").mkdir()
    other = import_sample_plan(db, tmp_path / "other")
    with pytest.raises(NotFound):
        saved_file(db, SYSTEM, other, saved.id)


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


def test_two_workers_share_edits_and_history(db: Database, plan: int, cjk_fonts: None) -> None:
    other = Database(db.url)  # a second web worker: its own engine, same database
    try:
        save_narrative(db, SYSTEM, plan, 2027, "annual", {"overall": "甲机器保存。"})
        assert saved_narrative(other, VIEWER, plan, 2027, "annual") == {"overall": ["甲机器保存。"]}
        saved = generate(other, SYSTEM, plan, 2027, "annual", "html")
        meta, data = saved_file(db, VIEWER, plan, saved.id)
        assert "甲机器保存。" in data.decode("utf-8") and meta.sha256 == saved.sha256
    finally:
        other.dispose()


def test_task_states_agree_with_the_supervision_board(db: Database, plan: int) -> None:
    # Finished by an accepted 100% report (the record stays open) and late by a milestone.
    finished = tasks.assign_task(db, SYSTEM, plan, "1.1", "fgw")
    written = supervision.write_report(
        db, SYSTEM, finished.id, "2026-Q3", "已全部完成。", percent=100, submit=True
    )
    supervision.review_report(db, SYSTEM, written.id, None, "accept")
    stepped = tasks.assign_task(db, SYSTEM, plan, "1.2", "kjj", due_date=date(2030, 12, 31))
    supervision.add_milestone(db, SYSTEM, stepped.id, "完成方案编制", date(2026, 3, 31))
    report = plan_report(db, SYSTEM, plan, 2026, "annual")
    assert report.tasks is not None
    rows = [r for g in supervision.board(db, SYSTEM, plan).groups for r in g.rows]
    leads = [r for r in rows if r.role == "lead"]
    board_done = sum(r.signal == "done" for r in leads)
    board_late = sum(r.signal == "overdue" for r in leads)
    assert (board_done, board_late) == (2, 2)
    assert sum(c.done for c in report.tasks.by_area) == board_done
    assert sum(c.late for c in report.tasks.by_area) == board_late
    assert {t.title for t in report.tasks.late} >= {"做强新材料产业"}
