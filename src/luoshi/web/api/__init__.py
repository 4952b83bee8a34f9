"""The JSON API (/api/v1): one router module per resource."""

from fastapi import APIRouter

from luoshi.web.api import audit, auth, catalog, indicators, nodes, plans, tasks, users

router = APIRouter()
for module in (auth, plans, nodes, indicators, catalog, tasks, users, audit):
    router.include_router(module.router)
