"""Hostile requests get a 4xx that names the bad field, never a 500 (found by fuzzing the API)."""

from __future__ import annotations

import pytest

from fixtures import TestClient, login

HUGE = 10**20  # beyond the 64-bit integers SQLite and PostgreSQL keep


def int_parameters(client: TestClient) -> list[tuple[str, str, str, str]]:
    """(method, path, "path"/"query", name) of every integer parameter in the API's schema."""
    schema = client.get("/api/v1/openapi.json").json()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                types = [param["schema"], *param["schema"].get("anyOf", [])]
                if any(t.get("type") == "integer" for t in types):
                    found.append((method, path, param["in"], param["name"]))
    return found


@pytest.fixture
def admin(api_client: TestClient, plan_id: int) -> TestClient:
    login(api_client, "admin")
    return api_client


def test_every_integer_parameter_refuses_a_number_too_big_for_the_database(admin):
    params = int_parameters(admin)
    assert len(params) > 50  # the schema still lists them
    refused = 0
    for method, path, where, name in params:
        url = path.replace("{node_path}", "1")
        for other in ("plan_id", "node_id", "task_id", "report_id", "user_id"):
            url = url.replace("{" + other + "}", "1") if other != name else url
        query = {}
        if where == "path":
            url = url.replace("{" + name + "}", str(HUGE))
        else:
            query[name] = str(HUGE)
        url = url.replace("{", "").replace("}", "")  # any id left over: any number will do
        kwargs = {"json": {}} if method in ("post", "put", "patch") else {}
        response = admin.request(method, url, params=query, **kwargs)
        assert response.status_code < 500, (method, url, query, response.text)
        if response.status_code == 422 and name in response.json()["error"]:
            refused += 1
    assert refused > len(params) // 2


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/plans?offset=10000000000000000000", "offset"),
        ("/api/v1/nodes/99999999999999999999", "node_id"),
        ("/api/v1/tasks?plan_id=-99999999999999999999", "plan_id"),
        ("/api/v1/plans/1/rollup?year=99999999999999999999", "year"),
    ],
)
def test_a_huge_number_is_refused_naming_the_field(admin, url, field):
    response = admin.get(url)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]


def test_a_huge_number_in_a_body_is_refused_naming_the_field(admin, plan_id):
    node = admin.get(f"/api/v1/plans/{plan_id}/outline", params={"kind": "item"}).json()["items"][0]
    response = admin.post(
        f"/api/v1/nodes/{node['id']}/move",
        json={"parent_id": HUGE, "position": HUGE},
        headers={"If-Match": f'"{node["version"]}"'},
    )
    assert response.status_code == 422, response.text
    assert "parent_id" in response.json()["error"]
    assert admin.get(f"/api/v1/nodes/{node['id']}").json()["version"] == node["version"]


@pytest.mark.parametrize(
    ("headers", "query", "field"),
    [
        ({"If-Match": '"' + "9" * 5000 + '"'}, {}, "If-Match"),  # past int()'s 4300 digits
        ({}, {"version": str(HUGE)}, "version"),
    ],
)
def test_an_impossible_version_is_refused_naming_it(admin, plan_id, headers, query, field):
    node = admin.get(f"/api/v1/plans/{plan_id}/outline", params={"kind": "item"}).json()["items"][0]
    url = f"/api/v1/nodes/{node['id']}"
    response = admin.patch(url, json={"title": "改"}, headers=headers, params=query)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]
    assert admin.get(url).json()["title"] == node["title"]


def test_if_match_takes_ascii_digits_only(admin, plan_id):
    # "²" is a digit to str.isdigit() and a latin-1 header byte, but int() refuses it.
    node = admin.get(f"/api/v1/plans/{plan_id}/outline", params={"kind": "item"}).json()["items"][0]
    url = f"/api/v1/nodes/{node['id']}"
    sup = admin.patch(url, json={"title": "改"}, headers={"If-Match": '"²"'.encode("latin-1")})
    assert sup.status_code == 422 and "If-Match" in sup.json()["error"]
    weak = admin.patch(url, json={"title": "改"}, headers={"If-Match": f'W/"{node["version"]}"'})
    assert weak.status_code == 200 and weak.json()["title"] == "改"
