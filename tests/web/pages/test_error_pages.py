"""Error pages speak to a person in the page language; the API keeps its one error shape."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fixtures import login

ALERT = re.compile(r'<p role="alert">(.*?)</p>', re.S)
TECHNICAL = ("Input should be", "Field required", "query.", "body.", "path.", "invalid request")


def _alert(html: str) -> str:
    text = ALERT.search(html).group(1).strip()
    assert not any(word in text for word in TECHNICAL), text
    return text


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh", "参数 year 应为整数。"), ("en", "year must be a whole number.")],
)
def test_a_bad_query_parameter_is_named_in_words(
    client: Any, plan_id: int, language: str, expected: str
) -> None:
    login(client, "viewer")
    client.cookies.set("luoshi_lang", language)
    r = client.get(f"/plans/{plan_id}?year=abc")
    assert r.status_code == 422
    assert _alert(r.text) == expected
    assert 'href="/plans"' in r.text


@pytest.mark.parametrize(
    ("language", "expected", "back"),
    [("zh", "页面不存在。", "返回规划列表"), ("en", "Page not found.", "Back to the plans list")],
)
@pytest.mark.parametrize("path", ["/nosuchpage", "/plans/abc"])
def test_an_unknown_page_is_not_found(
    client: Any, language: str, expected: str, back: str, path: str
) -> None:
    login(client, "viewer")
    client.cookies.set("luoshi_lang", language)
    r = client.get(path)
    assert r.status_code == 404
    assert _alert(r.text) == expected
    assert f'<a href="/plans">{back}</a>' in r.text


def test_an_empty_form_names_the_missing_fields(client: Any, plan_id: int) -> None:
    login(client, "planner")
    token = csrf_of(client.get(f"/plans/{plan_id}/outline").text)
    r = client.post(f"/plans/{plan_id}/publish", data={"csrf_token": token})
    assert r.status_code == 422 and _alert(r.text) == "请填写“版本号”。"
    r = client.post("/import/plan", data={"csrf_token": token})
    assert r.status_code == 422 and _alert(r.text) == "请选择要上传的文件。"
    client.cookies.set("luoshi_lang", "en")
    r = client.post(f"/plans/{plan_id}/publish", data={"csrf_token": token, "version": "x"})
    assert r.status_code == 422 and _alert(r.text) == "“Version” must be a whole number."


def test_an_htmx_request_gets_the_same_words(client: Any, plan_id: int) -> None:
    login(client, "planner")
    token = csrf_of(client.get(f"/plans/{plan_id}/outline").text)
    r = client.post(
        f"/plans/{plan_id}/publish", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 422 and "请填写“版本号”。" in r.text
    assert r.headers["HX-Retarget"] == "#messages"


def test_the_api_keeps_its_error_shape(client: Any, plan_id: int) -> None:
    login(client, "viewer")
    r = client.get(f"/api/v1/plans/{plan_id}/outline", params={"limit": "abc"})
    body = r.json()
    assert r.status_code == 422 and body["ok"] is False and body["status"] == 422
    assert body["error"].startswith("请求无效 invalid request: query.limit: ")
    assert body["errors"][0]["loc"] == ["query", "limit"] and set(body["errors"][0]) == {
        "loc",
        "message",
    }
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.json() == {
        "ok": False,
        "error": "Not Found",
        "errors": [],
        "status": 404,
    }


def test_a_mistyped_address_keeps_the_signed_in_menu(client: Any, plan_id: int) -> None:
    login(client, "viewer")
    r = client.get(f"/plans/{plan_id}/nope")
    assert r.status_code == 404
    nav = re.search(r'<ul class="nav">(.*?)</ul>', r.text, re.S)
    assert nav is not None and f'href="/plans/{plan_id}/indicators"' in nav.group(1)
    client.cookies.clear()  # signed out: no menu, and no one's name
    r = client.get(f"/plans/{plan_id}/nope")
    assert r.status_code == 404 and '<ul class="nav">' not in r.text
