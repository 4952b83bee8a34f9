"""API test fixtures: `planner`, the API client signed in as the planner (see tests/fixtures.py)."""

from __future__ import annotations

import pytest

from fixtures import TestClient, login


@pytest.fixture
def planner(api_client: TestClient, plan_id: int) -> TestClient:
    """`api_client` signed in as the planner, with the sample plan stored."""
    login(api_client, "planner")
    return api_client
