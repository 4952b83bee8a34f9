"""E-mail delivery of inbox messages, against a local SMTP sink (aiosmtpd) on a free port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from fixtures import import_sample_plan
from luoshi.services import SYSTEM, accounts, supervision, tasks
from luoshi.services.mailer import Mailer
from luoshi.services.permissions import Actor


class Sink:
    """Keeps every message the server receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


def actor(db, username):
    user = next(u for u in accounts.list_users(db, SYSTEM).items if u.username == username)
    return Actor(user.id, user.username, user.role, user.department_id)


def test_reminder_is_mailed_to_those_who_gave_an_address(sqlite_db, tmp_path, smtp):
    sink, port = smtp
    db = sqlite_db
    plan_id = import_sample_plan(db, tmp_path)
    task = tasks.assign_task(db, SYSTEM, plan_id, "2.1.1", "fgw")
    supervision.set_email(db, actor(db, "reporter"), "fgw@example.org")
    mailer = Mailer("127.0.0.1", port, "luoshi@example.org", starttls=False)
    supervision.issue_reminder(
        db, actor(db, "supervisor"), task.id, "请报送园区进展", "本周五前答复", mailer=mailer
    )
    assert [to for to, _ in sink.messages] == [["fgw@example.org"]]
    mail = message_from_bytes(sink.messages[0][1])
    assert str(make_header(decode_header(mail["Subject"]))) == "督办单 reminder:请报送园区进展"
    assert "本周五前答复" in mail.get_payload(decode=True).decode("utf-8")
    [message] = supervision.inbox(db, actor(db, "reporter")).items
    assert message.email_status == "sent"


def test_a_mail_server_that_is_down_keeps_the_change_and_marks_the_message(sqlite_db, tmp_path):
    db = sqlite_db
    plan_id = import_sample_plan(db, tmp_path)
    task = tasks.assign_task(db, SYSTEM, plan_id, "2.1.1", "fgw")
    supervision.set_email(db, actor(db, "reporter"), "fgw@example.org")
    nobody = Mailer("127.0.0.1", free_port(), "luoshi@example.org", starttls=False)
    reminder = supervision.issue_reminder(
        db, actor(db, "supervisor"), task.id, "请报送进展", mailer=nobody
    )
    assert supervision.get_reminder(db, actor(db, "reporter"), reminder.id).status == "open"
    [message] = supervision.inbox(db, actor(db, "reporter")).items
    assert message.email_status == "failed"
