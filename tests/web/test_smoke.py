from fixtures import login


def test_login_and_outline(api_client, plan_id):
    client = api_client
    login(client, "planner")
    r = client.get(f"/api/v1/plans/{plan_id}/outline")
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 7
