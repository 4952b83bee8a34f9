"""The JSON API (/api/v1): one router module per resource."""

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

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


class ErrorBody(BaseModel):
    """Every API error (luoshi.web.errors): one line for a person, and the bad fields or cells."""

    ok: bool = False
    error: str
    errors: list[Any] = []
    status: int


# The errors any operation may answer with, all in the one shape above (OpenAPI).
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": words}
    for code, words in (
        (400, "请求有误 bad request"),
        (401, "请先登录 not signed in"),
        (403, "无权操作 not allowed for this role or department"),
        (404, "不存在 not found"),
        (409, "版本已变化或重复 stale version or duplicate"),
        (422, "内容不合要求,逐项说明 invalid fields or cells, each named"),
        (429, "尝试次数过多 too many attempts"),
    )
}

router = APIRouter(responses=ERRORS)
for module in MODULES:
    router.include_router(module.router)
