"""The JSON API as a client sees it: one error shape, versions, CSRF, cookies, uploads."""

from __future__ import annotations

import threading

from fixtures import (
    ERROR_KEYS,
    INDICATORS_CSV,
    TestClient,
    import_sample_plan,
    login,
    make_settings,
)
from luoshi.web.app import create_app


def first_item(client, plan_id):
    return client.get(f"/api/v1/plans/{plan_id}/outline", params={"kind": "item"}).json()["items"][
        0
    ]


def test_errors_have_one_shape(api_client, plan_id):
    cases = [
        (api_client.get("/api/v1/plans"), 401),
        (api_client.get("/api/v1/no-such-thing"), 404),
    ]
    login(api_client, "viewer")
    node = first_item(api_client, plan_id)
    cases += [
        (api_client.patch(f"/api/v1/nodes/{node['id']}", json={"title": "x"}), 422),
        (api_client.get("/api/v1/nodes/999999"), 404),
        (api_client.get("/api/v1/users"), 403),
        (api_client.get(f"/api/v1/plans/{plan_id}/outline", params={"limit": 0}), 422),
    ]
    for response, status in cases:
        body = response.json()
        assert response.status_code == status, body
        assert set(body) == ERROR_KEYS and body["ok"] is False and body["status"] == status
        assert body["error"]


def test_stale_if_match_gets_409_and_changes_nothing(planner, plan_id):
    node = first_item(planner, plan_id)
    url = f"/api/v1/nodes/{node['id']}"
    etag = planner.get(url).headers["ETag"]
    assert etag == f'"{node["version"]}"'
    ok = planner.patch(url, json={"title": "新标题"}, headers={"If-Match": etag})
    assert ok.status_code == 200 and ok.headers["ETag"] == f'"{node["version"] + 1}"'
    stale = planner.patch(url, json={"title": "被覆盖?"}, headers={"If-Match": etag})
    assert stale.status_code == 409
    assert "版本" in stale.json()["error"]
    assert planner.get(url).json()["title"] == "新标题"


def test_state_changes_need_the_csrf_token(planner, plan_id):
    node = first_item(planner, plan_id)
    url = f"/api/v1/nodes/{node['id']}"
    token = planner.headers.pop("X-CSRF-Token")
    missing = planner.patch(url, json={"title": "x"}, headers={"If-Match": '"1"'})
    wrong = planner.patch(
        url, json={"title": "x"}, headers={"If-Match": '"1"', "X-CSRF-Token": token[:-2] + "00"}
    )
    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert "CSRF" in missing.json()["error"]
    assert planner.get(url).json()["title"] == node["title"]


def test_sign_in_needs_the_csrf_nonce(api_client):
    bare = api_client.post("/api/v1/auth/login", json={"username": "planner", "password": "x"})
    assert bare.status_code == 403


def test_session_cookie_flags(settings, sqlite_db):
    app = create_app(settings, db=sqlite_db, pages=False)
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        with TestClient(app, base_url=base) as client:
            token = client.get("/api/v1/auth/session").json()["csrf_token"]
            r = client.post(
                "/api/v1/auth/login",
                json={"username": "planner", "password": "demo-pass-123"},
                headers={"X-CSRF-Token": token},
            )
            cookie = r.headers["set-cookie"].lower()
            assert "luoshi_session=" in cookie and "httponly" in cookie
            assert "samesite=lax" in cookie
            assert ("secure" in cookie) is secure


def test_logout_ends_the_session_everywhere(planner):
    token = planner.cookies["luoshi_session"]
    assert planner.get("/api/v1/users/me").status_code == 200
    assert planner.post("/api/v1/auth/logout").status_code == 204
    replay = TestClient(planner.app)
    replay.cookies.set("luoshi_session", token)
    assert replay.get("/api/v1/users/me").status_code == 401


def test_bad_upload_lists_every_bad_row_and_stores_nothing(planner, plan_id):
    url = f"/api/v1/plans/{plan_id}/indicators"
    before = planner.get(url).json()["total"]
    bad = INDICATORS_CSV + "X1,缺基期年,经济发展,%,expected,up,,1,2030,level,2\n"
    bad += "X2,类型错,经济发展,%,expected,up,2025,1,2030,wrong_kind,2\n"
    r = planner.post(f"{url}/import", files={"file": ("指标.csv", bad.encode("utf-8"), "text/csv")})
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert sorted({e["row"] for e in errors}) == [4, 5]
    assert {e["file"] for e in errors} == {"指标.csv"}
    assert planner.get(url).json()["total"] == before


def test_empty_and_huge_uploads_are_refused(tmp_path, sqlite_db):
    app = create_app(make_settings(tmp_path, sqlite_db.url, max_upload_mb=1), db=sqlite_db)
    with TestClient(app) as client:
        login(client, "planner")
        empty = client.post("/api/v1/plans/import", files={"file": ("a.txt", b"", "text/plain")})
        huge = client.post(
            "/api/v1/plans/import",
            files={"file": ("a.txt", b"x" * ((1 << 20) + 10), "text/plain")},
        )
    assert (empty.status_code, huge.status_code) == (422, 422)
    assert "a.txt" in huge.json()["error"]


def test_import_plan_document_through_the_api(planner):
    text = "一、总体要求\n(一)推动高质量发展\n一是做强制造业。建设产业园。二是扩大消费。\n"
    r = planner.post(
        "/api/v1/plans/import",
        files={"file": ("计划.txt", text.encode("gb18030"), "text/plain")},
        data={"title": "测试计划", "start_year": "2026", "end_year": "2030"},
    )
    assert r.status_code == 201, r.text
    plan = r.json()["plan_id"]
    outline = planner.get(f"/api/v1/plans/{plan}/outline").json()
    assert outline["total"] >= 3
    assert planner.get(f"/api/v1/plans/{plan}").json()["title"] == "测试计划"


def test_pagination_and_filters(planner, plan_id):
    page = planner.get(f"/api/v1/plans/{plan_id}/outline", params={"limit": 2, "offset": 1})
    body = page.json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (7, 2, 1, 2)
    measures = planner.get(f"/api/v1/plans/{plan_id}/outline", params={"kind": "measure"})
    assert [n["path"] for n in measures.json()["items"]] == ["2.1.1", "2.1.2"]


def test_sign_in_is_rate_limited(tmp_path, sqlite_db):
    app = create_app(make_settings(tmp_path, sqlite_db.url, login_max_failures=2), db=sqlite_db)
    with TestClient(app) as client:
        token = client.get("/api/v1/auth/session").json()["csrf_token"]
        codes = [
            client.post(
                "/api/v1/auth/login",
                json={"username": "viewer", "password": "wrong-password"},
                headers={"X-CSRF-Token": token},
            ).status_code
            for _ in range(3)
        ]
    assert codes == [401, 401, 429]


def test_public_plan_is_readable_without_sign_in(planner, plan_id):
    plan = planner.get(f"/api/v1/plans/{plan_id}").json()
    anonymous = TestClient(planner.app)
    assert anonymous.get(f"/api/v1/plans/{plan_id}/indicators").status_code == 401
    planner.post(f"/api/v1/plans/{plan_id}/publish", headers={"If-Match": f'"{plan["version"]}"'})
    plan = planner.get(f"/api/v1/plans/{plan_id}").json()
    r = planner.patch(
        f"/api/v1/plans/{plan_id}",
        json={"public": True},
        headers={"If-Match": f'"{plan["version"]}"'},
    )
    assert r.status_code == 200, r.text
    assert anonymous.get(f"/api/v1/plans/{plan_id}/indicators").json()["total"] == 2
    assert anonymous.get(f"/api/v1/plans/{plan_id}/outline").status_code == 401


def test_openapi_lists_every_resource(api_client):
    paths = api_client.get("/api/v1/openapi.json").json()["paths"]
    for prefix in ("/api/v1/plans", "/api/v1/nodes", "/api/v1/tasks", "/api/v1/audit"):
        assert any(p.startswith(prefix) for p in paths)
    assert api_client.get("/api/docs").status_code == 200


def test_two_clients_same_version_exactly_one_wins(db, tmp_path):
    """On SQLite and PostgreSQL: one 200, one 409, and the audit log shows one change."""
    plan_id = import_sample_plan(db, tmp_path)
    app = create_app(make_settings(tmp_path, db.url), db=db, pages=False)
    with TestClient(app) as a, TestClient(app) as b, TestClient(app) as supervisor:
        login(a, "planner")
        login(b, "admin")
        login(supervisor, "supervisor")
        node = first_item(a, plan_id)
        barrier = threading.Barrier(2)
        codes: dict[str, int] = {}

        def edit(name: str, client: TestClient) -> None:
            barrier.wait()
            codes[name] = client.patch(
                f"/api/v1/nodes/{node['id']}",
                json={"title": name},
                headers={"If-Match": f'"{node["version"]}"'},
            ).status_code

        threads = [threading.Thread(target=edit, args=x) for x in (("a", a), ("b", b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(codes.values()) == [200, 409]
        events = supervisor.get(
            "/api/v1/audit", params={"entity": "node", "entity_id": node["id"]}
        ).json()["items"]
        winner = next(n for n, c in codes.items() if c == 200)
        assert [e["after"]["title"] for e in events] == [winner]


def test_oversized_bodies_are_refused_before_reading(tmp_path, sqlite_db):
    app = create_app(make_settings(tmp_path, sqlite_db.url, max_upload_mb=1), db=sqlite_db)
    with TestClient(app) as client:
        login(client, "planner")
        declared = client.post(
            "/api/v1/plans/import", files={"file": ("a.txt", b"x" * (3 << 20), "text/plain")}
        )

        def chunks():
            for _ in range(4):
                yield b"y" * (1 << 20)

        streamed = client.put(
            "/api/v1/observations",
            content=chunks(),
            headers={"Content-Type": "application/json"},
        )
    for response in (declared, streamed):
        assert response.status_code == 413
        assert set(response.json()) == ERROR_KEYS


def test_overlong_values_get_422_on_both_databases(db, tmp_path):
    plan_id = import_sample_plan(db, tmp_path)
    app = create_app(make_settings(tmp_path, db.url), db=db, pages=False)
    with TestClient(app) as client:
        token = client.get("/api/v1/auth/session").json()["csrf_token"]
        long_name = client.post(
            "/api/v1/auth/login",
            json={"username": "x" * 5000, "password": "y"},
            headers={"X-CSRF-Token": token},
        )
        assert long_name.status_code == 422
        login(client, "planner")
        node = first_item(client, plan_id)
        r = client.patch(
            f"/api/v1/nodes/{node['id']}",
            json={"kind": "k" * 500},
            headers={"If-Match": f'"{node["version"]}"'},
        )
        assert r.status_code == 422, r.text
        assert client.get(f"/api/v1/nodes/{node['id']}").json()["kind"] == node["kind"]


def test_reporter_sees_only_its_departments_tasks(api_client, sqlite_db, plan_id):
    from luoshi.services import SYSTEM, tasks

    own = tasks.assign_task(sqlite_db, SYSTEM, plan_id, "2.1.1", "fgw")
    other = tasks.assign_task(sqlite_db, SYSTEM, plan_id, "2.1.2", "gxj")
    login(api_client, "reporter")
    listed = api_client.get("/api/v1/tasks").json()
    assert [t["id"] for t in listed["items"]] == [own.id]
    assert api_client.get(f"/api/v1/tasks/{other.id}").status_code == 403
    report = api_client.post(
        f"/api/v1/tasks/{other.id}/reports", json={"period": "2026", "text": "x"}
    )
    assert report.status_code == 403


def test_audit_log_filters(planner, plan_id, sqlite_db):
    node = first_item(planner, plan_id)
    planner.patch(
        f"/api/v1/nodes/{node['id']}", json={"title": "审计"}, headers={"If-Match": '"1"'}
    )
    login(planner, "supervisor")
    edits = planner.get("/api/v1/audit", params={"action": "node.update"}).json()
    assert edits["total"] == 1
    event = edits["items"][0]
    assert (event["actor_name"], event["after"]["title"]) == ("planner", "审计")
    by_plan = planner.get("/api/v1/audit", params={"plan_id": plan_id, "limit": 2}).json()
    assert by_plan["total"] >= 3 and len(by_plan["items"]) == 2


def test_openapi_documents_the_error_shape_the_api_answers_with(api_client, plan_id):
    schema = api_client.get("/api/v1/openapi.json").json()
    body = schema["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"ok", "error", "errors", "status"}
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    patch = schema["paths"]["/api/v1/nodes/{node_id}"]["patch"]["responses"]
    for code in ("401", "403", "404", "409", "422"):
        assert patch[code]["content"]["application/json"]["schema"] == ref, code
    # And that is what a real error looks like.
    answer = api_client.patch("/api/v1/nodes/1", json={"title": "x"}).json()
    assert set(answer) == set(body["properties"]) and answer["status"] in (401, 403)
