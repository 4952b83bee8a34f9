"""The alignment and roll-up endpoints as a client sees them."""

from __future__ import annotations

import pytest

from fixtures import ERROR_KEYS, login


def test_alignment_json_has_matches_gaps_matrix_and_indicators(planner, plan_id):
    r = planner.get(f"/api/v1/plans/{plan_id}/alignment")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["upper_ref"] == "national-15th"
    result = body["result"]
    assert {"matches", "uncovered", "unanchored", "summary", "indicators"} <= set(result)
    first = next(m for m in result["matches"] if m["lower"])
    assert {"id", "kind", "title"} <= set(first["upper"])
    assert {"id", "kind", "title", "score", "reason"} <= set(first["lower"][0])
    matrix = body["matrix"]
    assert len(matrix["cells"]) == len(matrix["rows"]) == len(matrix["pairs"])
    assert body["choices"][0]["ref"] == "national-15th"
    missing = {m["upper"]["code"]: m["proposal"] for m in result["indicators"]["missing"]}
    assert "1 − (1 − 17%)^(1/5) = 3.66%" in missing["N08"]["arithmetic"]


def test_a_planner_confirms_a_pair_and_turns_a_gap_into_a_task(planner, plan_id):
    gap = planner.get(f"/api/v1/plans/{plan_id}/alignment").json()["result"]["uncovered"][0]
    made = planner.post(
        f"/api/v1/plans/{plan_id}/alignment/tasks",
        json={"upper": "national-15th", "upper_id": gap["id"]},
    )
    assert made.status_code == 201, made.text
    node = made.json()
    assert node["title"] == gap["title"]
    paths = [n["path"] for n in planner.get(f"/api/v1/plans/{plan_id}/outline").json()["items"]]
    assert node["path"] in paths
    verdicts = planner.get(f"/api/v1/plans/{plan_id}/alignment/verdicts").json()
    assert [(v["upper_key"], v["lower_key"], v["verdict"]) for v in verdicts] == [
        (gap["id"], node["path"], "confirm")
    ]
    r = planner.post(
        f"/api/v1/plans/{plan_id}/alignment/verdicts",
        json={"upper": "national-15th", "upper_key": gap["id"], "lower_key": node["path"],
              "verdict": "reject"},
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["verdict"] == "reject"


def test_a_missing_indicator_is_added_with_its_proposed_target(planner, plan_id):
    r = planner.post(
        f"/api/v1/plans/{plan_id}/alignment/indicators",
        json={"upper": "national-15th", "upper_code": "N08"},
    )
    assert r.status_code == 201, r.text
    assert (r.json()["kind"], r.json()["target"]) == ("cumulative_reduction", 17.0)


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/alignment?upper=nowhere", None, 422),
        ("post", "/alignment/verdicts", {"upper": "national-15th", "upper_key": "n-g1",
                                         "lower_key": "1.1", "verdict": "maybe"}, 422),
        ("post", "/alignment/tasks", {"upper": "national-15th", "upper_id": "n-nope"}, 404),
        ("post", "/alignment/indicators", {"upper": "national-15th", "upper_code": "N99"}, 422),
        ("get", "/rollup/ranking?code=T99", None, 422),
    ],
)  # fmt: skip
def test_bad_requests_get_the_one_error_shape(planner, plan_id, method, path, body, status):
    url = f"/api/v1/plans/{plan_id}{path}"
    r = planner.get(url) if method == "get" else planner.post(url, json=body)
    assert r.status_code == status, r.text
    assert set(r.json()) == ERROR_KEYS


def test_viewers_read_but_do_not_review(api_client, plan_id):
    login(api_client, "viewer")
    assert api_client.get(f"/api/v1/plans/{plan_id}/alignment").status_code == 200
    r = api_client.post(
        f"/api/v1/plans/{plan_id}/alignment/verdicts",
        json={"upper": "national-15th", "upper_key": "n-g1", "lower_key": "1.1",
              "verdict": "confirm"},
    )  # fmt: skip
    assert r.status_code == 403


def test_region_of_a_plan_and_its_rollup(api_client, plan_id):
    login(api_client, "admin")
    assert (
        api_client.post(
            "/api/v1/regions", json={"code": "C7", "name": "某市", "level": "city"}
        ).status_code
        == 201
    )
    version = api_client.get(f"/api/v1/plans/{plan_id}").json()["version"]
    r = api_client.put(
        f"/api/v1/plans/{plan_id}/region", json={"region_code": "C7"},
        headers={"If-Match": f'"{version}"'},
    )  # fmt: skip
    assert r.status_code == 200, r.text
    tree = api_client.get("/api/v1/regions/tree").json()
    assert [(n["region"]["code"], [p["id"] for p in n["plans"]]) for n in tree] == [
        ("C7", [plan_id])
    ]
    rollup = api_client.get(f"/api/v1/plans/{plan_id}/rollup").json()
    assert rollup["region"]["code"] == "C7" and rollup["districts"] == []
    assert [c["code"] for c in rollup["columns"]] == ["T01", "T02"]
