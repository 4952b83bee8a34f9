"""The pages as a browser sees them (HTML over HTTP), against a fresh SQLite database."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from fixtures import ACCOUNTS, login

NAV = re.compile(r'<ul class="nav">(.*?)</ul>', re.S)
HREF = re.compile(r'href="([^"]+)"')
WHO = re.compile(r'<div class="who">\s*<span>(.*?)</span>', re.S)


def page_login(client: Any, role: str) -> None:
    """Sign in through the HTML form, as a browser does."""
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    username, password = ACCOUNTS[role]
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_pages_need_sign_in(client: Any, plan_id: int) -> None:
    r = client.get(f"/plans/{plan_id}/outline?q=x", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/login?next=/plans/{plan_id}/outline%3Fq%3Dx"


def test_wrong_password_is_refused_with_a_message(client: Any) -> None:
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "planner", "password": "nope", "csrf_token": token})
    assert r.status_code == 401
    assert "用户名或密码不正确" in r.text


def test_sign_in_without_csrf_token_is_refused(client: Any) -> None:
    client.get("/login")
    r = client.post("/login", data={"username": "planner", "password": ACCOUNTS["planner"][1]})
    assert r.status_code == 403


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_is_one_click_from_the_overview(client: Any, plan_id: int, role: str) -> None:
    page_login(client, role)
    overview = client.get(f"/plans/{plan_id}")
    assert overview.status_code == 200
    links = HREF.findall(NAV.search(overview.text).group(1))
    assert f"/plans/{plan_id}/outline" in links and f"/plans/{plan_id}/indicators" in links
    for link in links:
        assert client.get(link).status_code == 200, link
    assert ("/audit" in links) == (role in ("admin", "supervisor"))
    assert (f"/plans/{plan_id}/import" in links) == (role in ("admin", "planner"))


def test_edit_a_title_inline_and_a_stale_edit_loses_nothing(client: Any, plan_id: int) -> None:
    page_login(client, "planner")
    outline = client.get(f"/plans/{plan_id}/outline").text
    node_id = re.search(r'id="node-(\d+)"[^>]*>\s*<div class="node-body"', outline).group(1)
    form = client.get(f"/plans/{plan_id}/outline/nodes/{node_id}/edit").text
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_of(form)}
    data = {"version": version, "title": "新的标题", "text": "正文"}
    r = client.post(f"/plans/{plan_id}/outline/nodes/{node_id}", data=data, headers=headers)
    assert r.status_code == 200 and "新的标题" in r.text
    assert 'id="messages" hx-swap-oob="innerHTML"' in r.text  # "saved" is announced
    stale = client.post(
        f"/plans/{plan_id}/outline/nodes/{node_id}", data={**data, "title": "旧"}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.headers["HX-Retarget"] == "#messages"
    assert "新的标题" in client.get(f"/plans/{plan_id}/outline").text


def test_bad_observations_list_every_row_and_store_nothing(client: Any, plan_id: int) -> None:
    page_login(client, "planner")
    before = client.get(f"/plans/{plan_id}/indicators").text
    token = csrf_of(client.get(f"/plans/{plan_id}/import").text)
    bad = b"code,year,value\nT01,2027,abc\nZZZ,2027,1\nT02,2027,2.6\n"
    r = client.post(
        f"/plans/{plan_id}/import/observations",
        files={"file": ("obs.csv", io.BytesIO(bad), "text/csv")},
        data={"csrf_token": token},
    )
    assert r.status_code == 422
    problems = re.search(r'id="problems-observations"(.*?)</table>', r.text, re.S).group(1)
    assert "第 2 行" in problems and "第 3 行" in problems and "第 4 行" not in problems
    assert client.get(f"/plans/{plan_id}/indicators").text.count("2027") == before.count("2027")


def publish_outline(client: Any, plan_id: int) -> None:
    """Publish the plan's outline through its form, as a signed-in planner."""
    outline = client.get(f"/plans/{plan_id}/outline").text
    version = re.search(r'/publish">.*?name="version" value="(\d+)"', outline, re.S).group(1)
    r = client.post(
        f"/plans/{plan_id}/publish",
        data={"csrf_token": csrf_of(outline), "version": version},
        follow_redirects=False,
    )
    assert r.status_code == 303


def turn_public_on(client: Any, plan_id: int) -> str:
    """Turn the plan's public page on through its toggle; the indicators page after it."""
    page = client.get(f"/plans/{plan_id}/indicators").text
    version = re.search(r'action="/plans/\d+/public">.*?name="version" value="(\d+)"', page, re.S)
    r = client.post(
        f"/plans/{plan_id}/public",
        data={"csrf_token": csrf_of(page), "version": version.group(1), "public": "true"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return client.get(f"/plans/{plan_id}/indicators").text


def test_public_page_is_off_until_a_planner_turns_it_on(client: Any, plan_id: int) -> None:
    assert client.get(f"/public/plans/{plan_id}").status_code == 404
    page_login(client, "planner")
    publish_outline(client, plan_id)
    client.cookies.pop("luoshi_plan", None)
    assert client.get(f"/public/plans/{plan_id}").status_code == 404  # published, still off
    turn_public_on(client, plan_id)
    client.cookies.clear()
    public = client.get(f"/public/plans/{plan_id}")
    assert public.status_code == 200 and "常住人口城镇化率" in public.text
    assert 'class="nav"' not in public.text  # nothing to navigate to for the public


def test_language_switch_is_kept_in_a_cookie(client: Any, plan_id: int) -> None:
    login(client, "viewer")
    assert "总览" in client.get(f"/plans/{plan_id}").text
    client.get(f"/lang/en?next=/plans/{plan_id}")
    english = client.get(f"/plans/{plan_id}").text
    assert '<html lang="en">' in english and "Overview" in english


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_language_switch_never_redirects_off_site(client: Any, next_url: str) -> None:
    r = client.get("/lang/en", params={"next": next_url}, follow_redirects=False)
    assert r.headers["location"] == "/"


@pytest.mark.parametrize(
    ("table", "header"), [("indicators", "指标名称"), ("observations", "年份")]
)
def test_excel_templates_have_the_headers_and_the_plan_codes(
    client: Any, plan_id: int, table: str, header: str
) -> None:
    login(client, "planner")
    r = client.get(f"/import/templates/{table}.xlsx?plan={plan_id}")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    first = book.worksheets[0]
    assert header in [c.value for c in first[1]]
    codes = [row[0] for row in book["指标代码"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["T01", "T02"]


VENDOR = Path(__file__).parents[3] / "src" / "luoshi" / "web" / "static" / "vendor"
ASSET = re.compile(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("path", ["/login", "/plans/{plan}", "/plans/{plan}/indicators/1"])
def test_pages_load_only_bundled_assets(client: Any, plan_id: int, path: str) -> None:
    login(client, "planner")
    html = client.get(path.format(plan=plan_id)).text
    assets = ASSET.findall(html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize("library", ["htmx", "echarts"])
def test_vendored_libraries_ship_with_their_licence(library: str) -> None:
    assert list(VENDOR.glob(f"{library}-*.min.js"))
    assert (VENDOR / f"{library}-LICENSE.txt").read_text("utf-8").strip()


def test_target_form_lists_bad_fields_and_saves_good_ones(client: Any, plan_id: int) -> None:
    page_login(client, "planner")
    page = client.get(f"/plans/{plan_id}/indicators/1").text
    version = re.search(r'id="edit-target".*?name="version" value="(\d+)"', page, re.S).group(1)
    form = {
        "csrf_token": csrf_of(page),
        "version": version,
        "kind": "level",
        "attribute": "binding",
        "base_year": "2025",
        "target_year": "2030",
        "base_value": "80.5",
        "target": "八十五",
        "target_high": "abc",
    }
    bad = client.post(f"/plans/{plan_id}/indicators/1", data=form)
    assert bad.status_code == 422
    assert "target: “八十五”" in bad.text and "target_high: “abc”" in bad.text
    assert 'value="83.0"' in bad.text  # the stored target is unchanged
    good = client.post(
        f"/plans/{plan_id}/indicators/1",
        data={**form, "target": "85", "target_high": ""},
        follow_redirects=False,
    )
    assert good.status_code == 303
    saved = client.get(good.headers["location"]).text
    assert 'value="85.0"' in saved and "约束性" in saved


def test_language_link_comes_back_to_the_same_view(client: Any, plan_id: int) -> None:
    login(client, "viewer")
    page = client.get(f"/plans/{plan_id}/indicators?status=lagging").text
    link = re.search(r'href="(/lang/en\?next=[^"]+)"', page).group(1).replace("&amp;", "&")
    r = client.get(link, follow_redirects=False)
    assert r.headers["location"] == f"/plans/{plan_id}/indicators?status=lagging"


def test_overview_is_rendered_per_user_and_follows_changes(app: Any, plan_id: int) -> None:
    """The overview's HTML is reused, but never across users or languages, nor after a change."""
    with TestClient(app) as planner, TestClient(app) as viewer:
        login(planner, "planner")
        login(viewer, "viewer")
        first = planner.get(f"/plans/{plan_id}").text
        assert planner.get(f"/plans/{plan_id}").text == first  # the same page again
        seen = viewer.get(f"/plans/{plan_id}").text
        assert csrf_of(seen) != csrf_of(first)  # each gets their own CSRF token
        assert WHO.search(first)[1] != WHO.search(seen)[1]  # and their own name and role

        viewer.cookies.set("luoshi_lang", "en")
        assert 'lang="en"' in viewer.get(f"/plans/{plan_id}").text

        plan = planner.get(f"/api/v1/plans/{plan_id}")
        r = planner.patch(
            f"/api/v1/plans/{plan_id}",
            json={"title": "改过的规划名称"},
            headers={"If-Match": plan.headers["ETag"]},
        )
        assert r.status_code == 200, r.text
        assert "改过的规划名称" in planner.get(f"/plans/{plan_id}").text
        assert "改过的规划名称" in viewer.get(f"/plans/{plan_id}").text


def test_task_list_shows_the_boards_signal_and_links_each_task(
    client: Any, sqlite_db: Any, plan_id: int
) -> None:
    from datetime import date

    from luoshi.services import SYSTEM, tasks

    late = tasks.assign_task(sqlite_db, SYSTEM, plan_id, "1.1", "gxj", due_date=date(2020, 6, 30))
    done = tasks.assign_task(sqlite_db, SYSTEM, plan_id, "1.2", "kjj")
    tasks.update_task(sqlite_db, SYSTEM, done.id, done.version, status="done")
    page_login(client, "planner")
    html = client.get(f"/plans/{plan_id}/tasks").text
    rows = dict(re.findall(r'data-task="(\d+)" data-signal="(\w+)"', html))
    # The record of the late task is still "open"; the list says what the board says.
    assert rows == {str(late.id): "overdue", str(done.id): "done"}
    assert "逾期" in html and "进行中" not in html
    link = f'href="/plans/{plan_id}/supervision/tasks/{late.id}"'
    assert link in html
    assert client.get(link[6:-1]).status_code == 200


def test_indicator_page_shows_the_revised_base_the_judgement_uses(
    client: Any, sqlite_db: Any, plan_id: int, tmp_path: Path
) -> None:
    from luoshi.services import SYSTEM, indicators

    # A base-year observation revises T01's planned base 80.5 (METHOD.md §3).
    revision = tmp_path / "revision.csv"
    revision.write_text("code,year,value\nT01,2025,80.9\n", encoding="utf-8")
    indicators.import_observations(sqlite_db, SYSTEM, revision, plan_id=plan_id)
    target = next(
        t
        for t in indicators.list_targets(sqlite_db, SYSTEM, plan_id).items
        if t.indicator.code == "T01"
    )
    page_login(client, "planner")
    html = client.get(f"/plans/{plan_id}/indicators/{target.id}").text
    base = re.search(r'<dd id="base-value">(.*?)</dd>', html, re.S).group(1)
    assert "80.9" in base and "修订值" in base and "80.5" in base
    # Without a revision the planned base stands alone.
    other = next(
        t
        for t in indicators.list_targets(sqlite_db, SYSTEM, plan_id).items
        if t.indicator.code == "T02"
    )
    html = client.get(f"/plans/{plan_id}/indicators/{other.id}").text
    base = re.search(r'<dd id="base-value">(.*?)</dd>', html, re.S).group(1)
    assert "2.5" in base and "修订值" not in base
    # A level target's chart draws the projection; its verdict is in words, not 是/否.
    assert "观测值、目标路径与预测" in html
    assert re.search(r"按当前速度预测</dt><dd>[^<]*· (可实现目标|难以实现目标)</dd>", html)


def test_status_reasons_follow_the_interface_language(
    client: Any, sqlite_db: Any, plan_id: int
) -> None:
    from luoshi.services import SYSTEM, indicators

    # An indicator attached from the library, its target not filled in yet.
    indicators.load_library(sqlite_db, SYSTEM)
    indicators.attach_indicator(sqlite_db, SYSTEM, plan_id, "GDP_GROWTH", "1")
    page_login(client, "viewer")
    chinese = client.get(f"/plans/{plan_id}/indicators").text
    reasons = re.findall(r'<div class="small muted reason">(.*?)</div>', chinese)
    assert reasons[:2] and all("完成进度" in r for r in reasons[:2])
    assert reasons[2] == "目标未填写完整，无法评估"
    client.get(f"/lang/en?next=/plans/{plan_id}")
    english = client.get(f"/plans/{plan_id}/indicators").text
    reasons = re.findall(r'<div class="small muted reason">(.*?)</div>', english)
    # T01: 81.0 in 2026 against base 80.5 and target 83 by 2030.
    t01 = "81% in 2026 (base 80.5%, target 83%); achievement 20%"
    assert any(r.startswith(t01) for r in reasons)
    assert not any(re.search(r"[\u4e00-\u9fff]", r) for r in reasons)
    assert "the target is not filled in, so it cannot be judged" in reasons


def test_a_final_report_before_the_plans_end_is_explained_on_the_page(
    client: Any, plan_id: int
) -> None:
    page_login(client, "planner")
    r = client.get(f"/plans/{plan_id}/reports?year=2026&kind=final")
    assert r.status_code == 200  # the page with its year and kind choices, not an error page
    refused = re.search(r'id="report-refused">(.*?)</div>', r.text).group(1)
    assert "2026—2030" in refused and "annual" in refused
    assert "reports/generate" not in r.text and 'id="r-kind"' in r.text
    annual = client.get(f"/plans/{plan_id}/reports?year=2026&kind=annual").text
    assert 'id="report-preview"' in annual and "report-refused" not in annual


def test_an_unheaded_level_says_so_in_the_outline(client: Any, sqlite_db: Any) -> None:
    from luoshi.documents import parse_text
    from luoshi.services import SYSTEM, plans

    # An excerpt that starts at (三) of a part whose heading it does not include.
    outline = parse_text(
        "（三）推进产业升级。加快建设先进制造业集群。\n二、保障和改善民生\n（一）促进就业。"
    )
    plan_id = plans.import_plan(
        sqlite_db, SYSTEM, outline.to_dict(), title="节选", start_year=2026, end_year=2030
    ).plan_id
    page_login(client, "planner")
    html = client.get(f"/plans/{plan_id}/outline").text
    heads = re.findall(r'<span class="title">(.*?)</span>(.*?)\n', html)
    assert heads[0][0] == "一、" and "原文此处无标题" in heads[0][1]
    assert all("原文此处无标题" not in rest for title, rest in heads[1:])


def test_allocation_page_counts_measures_with_a_lead_apart_from_confirmed_ones(
    client: Any, sqlite_db: Any, plan_id: int
) -> None:
    from luoshi.services import SYSTEM, tasks

    tasks.assign_task(sqlite_db, SYSTEM, plan_id, "2.1.1", "gxj")  # assigned, not confirmed here
    page_login(client, "planner")
    html = client.get(f"/plans/{plan_id}/allocation").text
    help_text = re.search(r"共 (\d+) 项举措，已分工 (\d+) 项，其中经本页确认 (\d+) 项", html)
    assert help_text is not None and help_text.groups()[1:] == ("1", "0")


@pytest.mark.parametrize(
    ("role", "words"), [("planner", "预览、编辑、生成"), ("viewer", "预览、下载")]
)
def test_the_overviews_report_link_offers_what_the_role_may_do(
    client: Any, plan_id: int, role: str, words: str
) -> None:
    page_login(client, role)
    html = client.get(f"/plans/{plan_id}").text
    assert f"2026年评估报告：{words}</a>" in html


def test_the_warning_lights_have_a_legend(client: Any, plan_id: int) -> None:
    page_login(client, "viewer")
    html = client.get(f"/plans/{plan_id}/indicators").text
    legend = re.search(r'<span id="warning-legend"[^>]*>(.*?)</span></p>', html, re.S).group(1)
    for colour, words in (("green", "绿灯"), ("yellow", "黄灯"), ("red", "红灯")):
        assert f'class="warn warn-{colour}"' in legend and words in legend
