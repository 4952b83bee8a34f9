"""An upload that cannot be read is named as the user named it, never by its temporary path."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from fixtures import login

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _no_temporary_path(text: str) -> None:
    assert "luoshi-upload-" not in text and "/tmp" not in text, text


def test_a_png_uploaded_as_a_plan_is_named_on_the_page(client: Any) -> None:
    login(client, "planner")
    token = csrf_of(client.get("/import").text)
    r = client.post(
        "/import/plan",
        files={"file": ("bad.png", io.BytesIO(PNG), "image/png")},
        data={"csrf_token": token},
    )
    assert r.status_code == 422
    assert "bad.png: 这不是文本文件" in r.text
    _no_temporary_path(r.text)


@pytest.mark.parametrize("name", ["bad.png", "bad.docx", "bad.pdf", "dir/bad.txt"])
def test_an_unreadable_plan_is_named_in_the_api_error(client: Any, name: str) -> None:
    login(client, "planner")
    r = client.post(
        "/api/v1/plans/import", files={"file": (name, io.BytesIO(PNG), "application/octet-stream")}
    )
    body = r.json()
    assert r.status_code == 422 and body["ok"] is False, body
    assert body["error"].startswith(name.rsplit("/", 1)[-1] + ": "), body
    _no_temporary_path(r.text)


@pytest.mark.parametrize("table", ["indicators", "observations"])
@pytest.mark.parametrize("name", ["bad.png", "bad.xlsx", "bad.csv"])
def test_an_unreadable_table_is_named(client: Any, plan_id: int, table: str, name: str) -> None:
    login(client, "planner")
    token = csrf_of(client.get(f"/plans/{plan_id}/import").text)
    page = client.post(
        f"/plans/{plan_id}/import/{table}",
        files={"file": (name, io.BytesIO(PNG), "application/octet-stream")},
        data={"csrf_token": token},
    )
    assert page.status_code == 422 and name in page.text
    _no_temporary_path(page.text)
    api = client.post(
        f"/api/v1/plans/{plan_id}/{table}/import",
        files={"file": (name, io.BytesIO(PNG), "application/octet-stream")},
    )
    assert api.status_code == 422 and api.json()["errors"][0]["file"] == name
    _no_temporary_path(api.text)


def test_an_empty_upload_is_shown_on_the_import_page(client: Any, plan_id: int) -> None:
    login(client, "planner")
    token = csrf_of(client.get(f"/plans/{plan_id}/import").text)
    r = client.post(
        f"/plans/{plan_id}/import/indicators",
        files={"file": ("empty.csv", io.BytesIO(b""), "text/csv")},
        data={"csrf_token": token},
    )
    assert r.status_code == 422 and "empty.csv: 文件为空" in r.text
    assert f'action="/plans/{plan_id}/import/indicators"' in r.text  # the form, to try again
