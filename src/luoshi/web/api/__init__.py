"""The JSON API (/api/v1): one router module per resource."""

from fastapi import APIRouter

from luoshi.web.api import (
    audit,
    auth,
    catalog,
    indicators,
    nodes,
    plans,
    supervision,
    tasks,
    users,
)

PREFIX = "/api/v1"
MODULES = (auth, plans, nodes, indicators, catalog, tasks, users, audit, supervision)

router = APIRouter()
for module in MODULES:
    router.include_router(module.router)
