"""A report's state change, its audit event and the inbox messages it causes are written
together or not at all: when the message cannot be written, the report is as it was."""

from __future__ import annotations

import pytest

from fixtures import import_sample_plan
from luoshi.errors import Invalid
from luoshi.services import SYSTEM, accounts, audit, scorecards, supervision, tasks
from luoshi.services.permissions import Actor


def actor(db, username):
    user = next(u for u in accounts.list_users(db, SYSTEM).items if u.username == username)
    return Actor(user.id, user.username, user.role, user.department_id)


@pytest.fixture
def task_id(db, tmp_path) -> int:
    plan_id = import_sample_plan(db, tmp_path)
    return tasks.assign_task(db, SYSTEM, plan_id, "2.1.1", "fgw").id


def inbox_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing an inbox message fails from now on (as a lost connection would)."""

    def fail(*args, **kwargs):
        raise OSError("inbox unavailable")

    monkeypatch.setattr(supervision, "_notify", fail)


def _events(db, action: str) -> int:
    return audit.list_events(db, SYSTEM, action=action).total


def test_a_review_whose_message_fails_leaves_the_report_as_it_was(db, task_id, monkeypatch):
    reporter, supervisor = actor(db, "reporter"), actor(db, "supervisor")
    report = supervision.write_report(db, reporter, task_id, "2026-Q1", "进展", submit=True)
    inbox_down(monkeypatch)
    for decision in ("return", "accept"):
        with pytest.raises(OSError):
            supervision.review_report(db, supervisor, report.id, report.version, decision, "补充")
    now = tasks.get_report(db, reporter, report.id)
    assert (now.status, now.version, now.review_note, now.reviewer_id) == (
        "submitted",
        report.version,
        "",
        None,
    )
    assert _events(db, "report.returned") == _events(db, "report.accepted") == 0
    assert supervision.inbox(db, reporter).total == 0
    monkeypatch.undo()  # once messages can be written, the same review goes through
    back = supervision.review_report(db, supervisor, report.id, report.version, "return", "补充")
    assert back.status == "returned" and _events(db, "report.returned") == 1
    assert [m.kind for m in supervision.inbox(db, reporter).items] == ["report.returned"]


def test_a_submission_whose_message_fails_stores_nothing(db, task_id, tmp_path, monkeypatch):
    reporter = actor(db, "reporter")
    draft = supervision.write_report(db, reporter, task_id, "2026-Q1", "初稿")  # tells nobody
    inbox_down(monkeypatch)
    with pytest.raises(OSError):
        supervision.write_report(db, reporter, task_id, "2026-Q1", "进展", submit=True)
    with pytest.raises(OSError):
        supervision.submit_report(
            db,
            reporter,
            task_id,
            "2026-Q1",
            "进展",
            file=("批复.pdf", b"%PDF-1.7\n"),
            evidence_dir=tmp_path / "evidence",
        )
    assert [r.id for r in tasks.list_reports(db, reporter).items] == [draft.id]
    assert (_events(db, "report.add"), _events(db, "attachment.add")) == (1, 0)
    with pytest.raises(OSError):
        supervision.update_report(db, reporter, draft.id, draft.version, status="submitted")
    now = tasks.get_report(db, reporter, draft.id)
    assert (now.status, now.version, now.submitted_at) == ("draft", draft.version, None)
    assert _events(db, "report.submitted") == 0
    assert supervision.inbox(db, actor(db, "supervisor")).total == 0


def test_every_submission_path_tells_the_reviewers_and_every_review_the_author(db, task_id):
    reporter, supervisor = actor(db, "reporter"), actor(db, "supervisor")
    first = supervision.write_report(db, reporter, task_id, "2026-Q1", "一季度", submit=True)
    draft = supervision.write_report(db, reporter, task_id, "2026-Q2", "二季度")
    supervision.update_report(db, reporter, draft.id, draft.version, status="submitted")
    assert [m.body for m in supervision.inbox(db, supervisor).items] == ["二季度", "一季度"]
    with pytest.raises(Invalid, match="退回时请写明原因"):
        supervision.update_report(db, supervisor, first.id, first.version, status="returned")
    supervision.update_report(
        db, supervisor, first.id, first.version, status="returned", review_note="补充数据"
    )
    supervision.review_report(db, supervisor, draft.id, draft.version + 1, "accept", "同意")
    assert [(m.kind, m.body) for m in supervision.inbox(db, reporter).items] == [
        ("report.accepted", "同意"),
        ("report.returned", "补充数据"),
    ]


def test_editing_a_returned_report_is_not_another_return(db, task_id):
    reporter, supervisor = actor(db, "reporter"), actor(db, "supervisor")
    plan_id = tasks.get_task(db, reporter, task_id).plan_id
    report = supervision.write_report(db, reporter, task_id, "2026-Q1", "进展", submit=True)
    back = supervision.review_report(db, supervisor, report.id, report.version, "return", "补充")
    with pytest.raises(Invalid, match="0到100"):
        supervision.update_report(db, reporter, back.id, back.version, percent=150)
    # the form sends the status it shows along with the edit: not a move, so not a return
    supervision.update_report(db, reporter, back.id, back.version, text="补充后", status="returned")
    assert (_events(db, "report.returned"), _events(db, "report.update")) == (1, 1)
    [card] = scorecards.scorecards(db, reporter, plan_id)
    assert card.returned == 1
    assert [m.kind for m in supervision.inbox(db, reporter).items] == ["report.returned"]
