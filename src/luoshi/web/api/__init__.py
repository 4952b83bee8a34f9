"""The JSON API (/api/v1): one router module per resource."""

from fastapi import APIRouter

from luoshi.web.api import (
    alignment,
    audit,
    auth,
    catalog,
    indicators,
    nodes,
    plans,
    projects,
    regions,
    reports,
    supervision,
    tasks,
    users,
)

PREFIX = "/api/v1"
MODULES = (
    auth,
    plans,
    nodes,
    projects,
    indicators,
    catalog,
    tasks,
    users,
    audit,
    alignment,
    regions,
    supervision,
    reports,
)

router = APIRouter()
for module in MODULES:
    router.include_router(module.router)
