"""Evidence files: the kind is read from the content, the extension must agree, access is scoped."""

from __future__ import annotations

import io

import pytest
from docx import Document

from fixtures import import_sample_plan
from luoshi.errors import Forbidden, Invalid
from luoshi.services import SYSTEM, accounts, evidence, supervision, tasks
from luoshi.services.permissions import Actor

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def docx_bytes() -> bytes:
    doc = Document()
    doc.add_paragraph("园区批复")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("批复.pdf", b"%PDF-1.7\n%...", "application/pdf"),
        ("现场.PNG", PNG, "image/png"),
        ("台账.csv", "项目,进度\n园区,40%\n".encode(), "text/csv"),
        ("说明.txt", "进展说明".encode("gb18030"), "text/plain"),
        ("方案.docx", docx_bytes(), evidence.DOCX),
    ],
)
def test_accepted_kinds(name: str, data: bytes, kind: str) -> None:
    assert evidence.check_file(name, data) == kind


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("空.pdf", b"", "为空"),
        ("图.pdf", PNG, "不符"),  # a picture renamed .pdf
        ("run.pdf", b"MZ\x90\x00" + b"\0" * 200, "不支持"),  # an executable
        ("page.txt", b"<html><script>alert(1)</script></html>", "网页"),
        ("x.html", b"<html></html>", "不符"),
        ("a.sh", b"#!/bin/sh\nrm -rf /\n", "不符"),
        ("blob.txt", bytes(range(256)) * 4, "不支持"),
    ],
)
def test_refused_files_name_the_problem(name: str, data: bytes, problem: str) -> None:
    with pytest.raises(Invalid, match=problem) as info:
        evidence.check_file(name, data)
    assert name in str(info.value)


def actor(db, username):
    user = next(u for u in accounts.list_users(db, SYSTEM).items if u.username == username)
    return Actor(user.id, user.username, user.role, user.department_id)


def test_stored_outside_and_read_only_by_those_allowed(sqlite_db, tmp_path):
    db = sqlite_db
    plan_id = import_sample_plan(db, tmp_path)
    task = tasks.assign_task(db, SYSTEM, plan_id, "2.1.1", "fgw")
    reporter = actor(db, "reporter")
    report = supervision.write_report(db, reporter, task.id, "2026-Q1", "进展")
    store = tmp_path / "evidence"
    with pytest.raises(Invalid):
        supervision.add_attachment(db, reporter, report.id, "x.pdf", "application/pdf", PNG, store)
    att = supervision.add_attachment(db, reporter, report.id, "现场.png", "text/html", PNG, store)
    assert att.content_type == "image/png"  # the browser's claim is ignored
    assert evidence.stored_path(store, att.sha256).read_bytes() == PNG
    view, data = evidence.read_attachment(db, actor(db, "supervisor"), att.id, store)
    assert (view.filename, data) == ("现场.png", PNG)
    with pytest.raises(Forbidden):
        evidence.read_attachment(db, actor(db, "reporter2"), att.id, store)
