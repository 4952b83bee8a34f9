"""Tasks and progress reports: a department reporter sees and changes only its own."""

from __future__ import annotations

import pytest

from fixtures import import_sample_plan
from luoshi.errors import Forbidden, Invalid
from luoshi.services import SYSTEM, accounts, supervision, tasks
from luoshi.services.permissions import Actor


def actor(db, username):
    user = next(u for u in accounts.list_users(db, SYSTEM).items if u.username == username)
    return Actor(user.id, user.username, user.role, user.department_id)


@pytest.fixture
def setup(db, tmp_path):
    plan = import_sample_plan(db, tmp_path)
    own = tasks.assign_task(db, SYSTEM, plan, "2.1.1", "fgw")
    other = tasks.assign_task(db, SYSTEM, plan, "2.1.2", "gxj")
    return plan, own, other


def test_reporter_lists_only_its_department(db, setup):
    _, own, _other = setup
    listed = tasks.list_tasks(db, actor(db, "reporter"))
    assert [t.id for t in listed.items] == [own.id]
    assert tasks.list_tasks(db, actor(db, "viewer")).total == 2


def test_reporter_cannot_open_or_report_on_another_department(db, setup):
    _, _own, other = setup
    reporter = actor(db, "reporter")
    with pytest.raises(Forbidden):
        tasks.get_task(db, reporter, other.id)
    with pytest.raises(Forbidden):
        supervision.write_report(db, reporter, other.id, "2026-Q1", "不是我的任务")


def test_report_flow_submit_return_resubmit_accept(db, setup):
    _, own, _ = setup
    reporter, supervisor = actor(db, "reporter"), actor(db, "supervisor")
    report = supervision.write_report(db, reporter, own.id, "2026-Q1", "已完成选址", percent=20)
    report = supervision.update_report(db, reporter, report.id, report.version, status="submitted")
    with pytest.raises(Forbidden):
        supervision.update_report(db, reporter, report.id, report.version, status="accepted")
    report = supervision.update_report(
        db, supervisor, report.id, report.version, status="returned", review_note="补充佐证"
    )
    report = supervision.update_report(
        db, reporter, report.id, report.version, text="已完成选址,附批复"
    )
    report = supervision.update_report(db, reporter, report.id, report.version, status="submitted")
    report = supervision.update_report(db, supervisor, report.id, report.version, status="accepted")
    assert (report.status, report.review_note) == ("accepted", "补充佐证")
    with pytest.raises(Invalid):
        supervision.update_report(db, reporter, report.id, report.version, text="改已验收的报告")


def test_other_reporter_sees_nothing_of_fgw_reports(db, setup, tmp_path):
    _, own, _ = setup
    report = supervision.write_report(db, actor(db, "reporter"), own.id, "2026", "进展")
    supervision.add_attachment(
        db, actor(db, "reporter"), report.id, "批复.pdf", "application/pdf", b"%PDF-1.4", tmp_path
    )
    other = actor(db, "reporter2")
    assert tasks.list_reports(db, other).total == 0
    with pytest.raises(Forbidden):
        tasks.list_attachments(db, other, report.id)
    files = tasks.list_attachments(db, actor(db, "supervisor"), report.id)
    assert [(f.filename, f.size) for f in files] == [("批复.pdf", 8)]
