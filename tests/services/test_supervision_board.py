"""Supervision through the services: signals, the board, review, reminders, inbox, scorecards.

Time is moved with the one clock (luoshi.services.clock); no test sleeps.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
from openpyxl import load_workbook

from fixtures import import_sample_plan, make_settings
from luoshi.errors import ConfigError, Forbidden, Invalid, NotFound
from luoshi.services import SYSTEM, accounts, audit, clock, scorecards, supervision, tasks
from luoshi.services.permissions import Actor
from luoshi.services.supervision import Rules, TaskFacts, judge

RULES = Rules(stall_days=45, at_risk_days=30, at_risk_gap=0.25, report_grace_days=15)
TODAY = date(2026, 6, 1)


def actor(db, username):
    user = next(u for u in accounts.list_users(db, SYSTEM).items if u.username == username)
    return Actor(user.id, user.username, user.role, user.department_id)


@pytest.fixture
def at() -> Iterator[clock.Clock]:
    """The process clock, set by the test and back to real time afterwards."""
    c = clock.clock()
    yield c
    c.set(None)


@pytest.mark.parametrize(
    ("facts", "signal"),
    [
        (TaskFacts("open", date(2026, 12, 31), date(2026, 5, 1), last_report_on=TODAY), "on_track"),
        (TaskFacts("done", date(2026, 5, 1), date(2026, 1, 1)), "done"),
        (TaskFacts("open", date(2026, 5, 31), date(2026, 1, 1), last_report_on=TODAY), "overdue"),
        (
            TaskFacts("open", date(2026, 5, 31), date(2026, 1, 1), accepted_full=True),
            "done",
        ),
        (
            TaskFacts(
                "open",
                date(2026, 12, 31),
                date(2026, 5, 1),
                milestones=(("完成选址", date(2026, 5, 15), None),),
                last_report_on=TODAY,
            ),
            "overdue",
        ),
        (
            TaskFacts(
                "open",
                date(2026, 12, 31),
                date(2026, 5, 1),
                milestones=(("完成选址", date(2026, 5, 15), date(2026, 5, 14)),),
                last_report_on=TODAY,
            ),
            "on_track",
        ),
        (TaskFacts("open", date(2026, 12, 31), date(2026, 4, 1)), "stalled"),  # 61 quiet days
        (TaskFacts("open", None, date(2026, 4, 20)), "on_track"),  # 42 quiet days
        (
            TaskFacts(
                "open", date(2026, 6, 20), date(2026, 5, 1), last_report_on=TODAY, percent=60
            ),
            "at_risk",
        ),
        (
            # 5 of 12 months used (42%), 10% done: 32 points behind
            TaskFacts("open", date(2027, 1, 1), date(2026, 1, 1), last_report_on=TODAY, percent=10),
            "at_risk",
        ),
        (
            TaskFacts("open", date(2027, 1, 1), date(2026, 1, 1), last_report_on=TODAY, percent=30),
            "on_track",
        ),
    ],
)
def test_signal_rules(facts: TaskFacts, signal: str) -> None:
    code, reasons = judge(facts, TODAY, RULES)
    assert code == signal
    assert bool(reasons) == (signal not in ("on_track", "done"))


@pytest.mark.parametrize(
    ("setting", "today"),
    [
        ({"clock": "2027-01-15"}, date(2027, 1, 15)),
        # 20:00 UTC on the 14th is already the 15th in Shanghai
        ({"clock": "2027-01-14T20:00+00:00"}, date(2027, 1, 15)),
        ({"clock": "2027-01-14T20:00+00:00", "timezone": "UTC"}, date(2027, 1, 14)),
    ],
)
def test_clock_from_settings(tmp_path, setting, today) -> None:
    c = clock.Clock.from_settings(make_settings(tmp_path, "sqlite://", **setting))
    assert c.today() == today


@pytest.mark.parametrize("setting", [{"clock": "next tuesday"}, {"timezone": "Mars/Olympus"}])
def test_bad_clock_settings_name_the_setting(tmp_path, setting) -> None:
    with pytest.raises(ConfigError, match="LUOSHI_"):
        clock.Clock.from_settings(make_settings(tmp_path, "sqlite://", **setting))


def test_stall_threshold_comes_from_the_rules() -> None:
    facts = TaskFacts("open", None, date(2026, 4, 20))
    assert judge(facts, TODAY, Rules(stall_days=30))[0] == "stalled"


@pytest.fixture
def plan(db, tmp_path, at):
    at.set("2026-03-01")
    plan_id = import_sample_plan(db, tmp_path)
    own = tasks.assign_task(db, SYSTEM, plan_id, "2.1.1", "fgw", due_date=date(2026, 6, 30))
    other = tasks.assign_task(db, SYSTEM, plan_id, "2.1.2", "gxj", due_date=date(2026, 12, 31))
    return plan_id, own, other


def _signals(board: supervision.Board) -> dict[int, str]:
    return {r.task_id: r.signal for g in board.groups for r in g.rows}


def test_board_turns_red_when_the_clock_passes_the_deadline(db, plan, at):
    plan_id, own, _other = plan
    reporter = actor(db, "reporter")
    at.set("2026-04-10")
    supervision.write_report(
        db, reporter, own.id, "2026-Q1", "园区完成规划", percent=40, submit=True
    )
    board = supervision.board(db, actor(db, "supervisor"), plan_id, rules=RULES)
    assert _signals(board)[own.id] == "on_track"
    assert board.groups[0].key == "一是巩固提升优势支柱产业"

    at.set("2026-07-01")
    board = supervision.board(db, actor(db, "supervisor"), plan_id, rules=RULES)
    row = next(r for g in board.groups for r in g.rows if r.task_id == own.id)
    assert (row.signal, row.warning) == ("overdue", "red")
    assert (row.reasons[0].zh, row.reasons[0].en) == (
        "已超过完成时限 1 天",
        "1 day past the deadline",
    )
    assert board.counts["overdue"] == 1
    # the reporter's board holds only its own department's task
    mine = supervision.board(db, reporter, plan_id, by="department", rules=RULES)
    assert [g.key for g in mine.groups] == ["市发展改革委"]
    assert _signals(mine) == {own.id: "overdue"}


def test_stalled_until_a_report_comes_in(db, plan, at):
    plan_id, _own, other = plan
    at.set("2026-05-01")  # 61 days after assignment, no report
    supervisor = actor(db, "supervisor")
    assert _signals(supervision.board(db, supervisor, plan_id, rules=RULES))[other.id] == "stalled"
    supervision.write_report(
        db, actor(db, "reporter2"), other.id, "2026-Q1", "进展", percent=30, submit=True
    )
    assert _signals(supervision.board(db, supervisor, plan_id, rules=RULES))[other.id] == "on_track"
    deadline = supervision.board(db, supervisor, plan_id, by="deadline", rules=RULES)
    assert [g.key for g in deadline.groups] == ["2026年第2季度 2026-Q2", "2026年第4季度 2026-Q4"]


def test_milestone_past_due_is_overdue_until_done(db, plan, at):
    plan_id, _own, other = plan
    planner = actor(db, "planner")
    step = supervision.add_milestone(db, planner, other.id, "完成项目选址", date(2026, 4, 30))
    with pytest.raises(Invalid, match="晚于任务完成时限"):
        supervision.add_milestone(db, planner, other.id, "验收", date(2027, 3, 1))
    with pytest.raises(Forbidden):
        supervision.add_milestone(db, actor(db, "reporter2"), other.id, "x", date(2026, 4, 1))
    at.set("2026-05-02")
    supervision.write_report(
        db, actor(db, "reporter2"), other.id, "2026-Q1", "进展", percent=30, submit=True
    )
    assert _signals(supervision.board(db, planner, plan_id, rules=RULES))[other.id] == "overdue"
    with pytest.raises(Forbidden):  # another department's milestone
        supervision.complete_milestone(db, actor(db, "reporter"), step.id, step.version)
    done = supervision.complete_milestone(db, actor(db, "reporter2"), step.id, step.version)
    assert done.done_on == date(2026, 5, 2)
    assert _signals(supervision.board(db, planner, plan_id, rules=RULES))[other.id] == "on_track"


def test_return_needs_a_comment_and_tells_the_author(db, plan, at):
    _plan_id, own, _other = plan
    reporter, supervisor = actor(db, "reporter"), actor(db, "supervisor")
    report = supervision.write_report(
        db, reporter, own.id, "2026-Q1", "进展", percent=20, submit=True
    )
    with pytest.raises(Invalid, match="原因"):
        supervision.review_report(db, supervisor, report.id, report.version, "return", " ")
    with pytest.raises(Forbidden):
        supervision.review_report(db, actor(db, "planner"), report.id, report.version, "accept")
    back = supervision.review_report(
        db, supervisor, report.id, report.version, "return", "请补充园区批复文件"
    )
    assert (back.status, back.review_note) == ("returned", "请补充园区批复文件")
    messages = supervision.inbox(db, reporter).items
    assert [(m.kind, m.body) for m in messages] == [("report.returned", "请补充园区批复文件")]
    assert supervision.inbox(db, actor(db, "reporter2")).total == 0
    read = supervision.mark_read(db, reporter, messages[0].id)
    assert read.read_at is not None
    assert supervision.inbox(db, reporter, unread=True).total == 0
    with pytest.raises(NotFound):
        supervision.mark_read(db, actor(db, "reporter2"), messages[0].id)
    events = audit.list_events(db, supervisor, action="report.returned").items
    assert [e.entity_id for e in events] == [str(report.id)]


def test_reminder_issue_reply_close(db, plan, at):
    plan_id, own, _other = plan
    supervisor, reporter = actor(db, "supervisor"), actor(db, "reporter")
    with pytest.raises(Forbidden):
        supervision.issue_reminder(db, actor(db, "planner"), own.id, "请加快进度")
    with pytest.raises(Invalid, match="已过"):
        supervision.issue_reminder(db, supervisor, own.id, "请加快进度", reply_by=date(2026, 1, 1))
    reminder = supervision.issue_reminder(
        db, supervisor, own.id, "请加快园区建设进度", "说明滞后原因", reply_by=date(2026, 3, 15)
    )
    assert [m.kind for m in supervision.inbox(db, reporter).items] == ["reminder.issued"]
    assert supervision.list_reminders(db, actor(db, "reporter2")).total == 0
    with pytest.raises(Forbidden):
        supervision.reply_reminder(db, actor(db, "reporter2"), reminder.id, 1, "不是我们的")
    answered = supervision.reply_reminder(db, reporter, reminder.id, 1, "已加派人手,月底完成")
    assert answered.status == "answered"
    assert [m.kind for m in supervision.inbox(db, supervisor).items] == ["reminder.answered"]
    board = supervision.board(db, supervisor, plan_id, rules=RULES)
    assert {r.task_id: r.open_reminders for g in board.groups for r in g.rows}[own.id] == 1
    closed = supervision.close_reminder(db, supervisor, reminder.id, answered.version, "已落实")
    assert (closed.status, closed.close_note) == ("closed", "已落实")
    with pytest.raises(Invalid):
        supervision.close_reminder(db, supervisor, reminder.id, closed.version)
    assert supervision.list_reminders(db, reporter, plan_id=plan_id, status="closed").total == 1
    actions = [e.action for e in audit.list_events(db, supervisor, entity="reminder").items]
    assert actions == ["reminder.closed", "reminder.answered", "reminder.issue"]


def test_email_address_is_checked(db, plan):
    reporter = actor(db, "reporter")
    with pytest.raises(Invalid):
        supervision.set_email(db, reporter, "not an address")
    assert supervision.set_email(db, reporter, " fgw@example.org ") == "fgw@example.org"
    assert supervision.get_email(db, reporter) == "fgw@example.org"
    assert supervision.set_email(db, reporter, "") is None
    assert supervision.get_email(db, reporter) is None


def test_scorecards_count_on_time_returned_and_overdue(db, plan, at):
    plan_id, own, _other = plan
    reporter, supervisor = actor(db, "reporter"), actor(db, "supervisor")
    at.set("2026-04-10")  # within 15 days of the end of Q1
    first = supervision.write_report(
        db, reporter, own.id, "2026-Q1", "进展", percent=50, submit=True
    )
    supervision.review_report(db, supervisor, first.id, first.version, "return", "数据不全")
    at.set("2026-05-20")  # Q1 report resubmitted late
    again = tasks.get_report(db, reporter, first.id)
    supervision.update_report(db, reporter, first.id, again.version, status="submitted")
    at.set("2026-07-05")
    cards = {c.department: c for c in scorecards.scorecards(db, supervisor, plan_id, rules=RULES)}
    fgw = cards["市发展改革委"]
    assert (fgw.tasks, fgw.overdue, fgw.reports, fgw.reports_on_time, fgw.returned) == (
        1,
        1,
        1,
        0,
        1,
    )
    assert cards["市工业和信息化局"].overdue == 0
    mine = scorecards.scorecards(db, reporter, plan_id, rules=RULES)
    assert [c.department for c in mine] == ["市发展改革委"]
    book = load_workbook(io.BytesIO(scorecards.scorecards_xlsx(list(cards.values()), "考评")))
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    assert {r[0]: r[5] for r in rows}["市发展改革委"] == 1


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2026-Q1", date(2026, 3, 31)),
        ("2026Q4", date(2026, 12, 31)),
        ("2026-H1", date(2026, 6, 30)),
        ("2026-02", date(2026, 2, 28)),
        ("2026", date(2026, 12, 31)),
        ("2026-13", None),
        ("上半年", None),
    ],
)
def test_period_end(period: str, end: date | None) -> None:
    assert scorecards.period_end(period) == end


def test_submitted_report_with_evidence_tells_the_reviewers(db, plan, tmp_path):
    _plan_id, own, _other = plan
    reporter, store = actor(db, "reporter"), tmp_path / "evidence"
    with pytest.raises(Invalid, match="不符"):
        supervision.submit_report(
            db,
            reporter,
            own.id,
            "2026-Q1",
            "进展",
            file=("批复.pdf", b"GIF89a" + b"\0" * 40),
            evidence_dir=store,
        )
    assert tasks.list_reports(db, reporter).total == 0  # a refused file stores nothing
    report = supervision.submit_report(
        db,
        reporter,
        own.id,
        "2026-Q1",
        "园区完成规划",
        percent=30,
        file=("批复.pdf", b"%PDF-1.7\n"),
        evidence_dir=store,
    )
    assert report.status == "submitted"
    assert [a.filename for a in tasks.list_attachments(db, reporter, report.id)] == ["批复.pdf"]
    [message] = supervision.inbox(db, actor(db, "supervisor")).items
    assert (message.kind, message.body) == ("report.submitted", "园区完成规划")
    assert message.link.endswith(f"#report-{report.id}")
    assert supervision.inbox(db, actor(db, "planner")).total == 0  # planners do not review
