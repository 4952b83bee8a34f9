"""Database, app and sign-in fixtures shared by tests/storage, tests/services and tests/web.

Import them in a conftest with `from fixtures import *`. Everything goes through the same
service functions production uses.

    db            a fresh, migrated database with the demo departments and accounts;
                  parametrized over SQLite and PostgreSQL (PostgreSQL required under CI=true)
    sqlite_db     the same, SQLite only (fast; what page tests want)
    settings      Settings for a test app (env=test, its own data folder)
    app           create_app(settings) on `sqlite_db`
    client        a TestClient of `app`; `login(client, "planner")` signs it in
    api_client    a TestClient of the API alone (create_app(..., pages=False))
    plan_id       the small outline below imported as a plan (2026–2030) with an indicator table
    ACCOUNTS      role → (username, password) of the demo accounts
    ERROR_KEYS    the keys of the API's one JSON error shape
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from luoshi.services import SYSTEM, accounts, catalog, indicators, plans
from luoshi.settings import Settings
from luoshi.storage import Database, upgrade
from luoshi.storage.models import Base

with warnings.catch_warnings():
    # Starlette asks for the httpx2 fork; httpx (pinned) works and is what we test with.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient


def _root_conftest() -> Any:
    """tests/conftest.py (every conftest is a module named "conftest", so load it by path)."""
    spec = importlib.util.spec_from_file_location(
        "luoshi_root_conftest", Path(__file__).with_name("conftest.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


require_or_skip = _root_conftest().require_or_skip
PG_BASE = os.environ.get("LUOSHI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECRET = "test-secret-key-0123456789-abcdefghijklmnop"
PASSWORD = "demo-pass-123"
DEPARTMENTS = [
    {"code": "fgw", "name": "市发展改革委", "short_name": "发改委"},
    {"code": "gxj", "name": "市工业和信息化局", "short_name": "工信局"},
    {"code": "kjj", "name": "市科技局", "short_name": "科技局"},
]
# role → (username, password, department code)
ACCOUNTS: dict[str, tuple[str, str]] = {
    "admin": ("admin", PASSWORD),
    "planner": ("planner", PASSWORD),
    "supervisor": ("supervisor", PASSWORD),
    "reporter": ("reporter", PASSWORD),
    "viewer": ("viewer", PASSWORD),
}
OTHER_REPORTER = ("reporter2", PASSWORD)  # a reporter of another department (gxj)
ERROR_KEYS = {"ok", "error", "errors", "status"}  # every JSON error of the API has these keys

OUTLINE: dict[str, Any] = {
    "title": "测试市“十五五”规划纲要",
    "children": [
        {
            "id": "1",
            "kind": "part",
            "marker": "一、",
            "title": "主要目标",
            "text": "",
            "span": [0, 100],
            "targets": [],
            "children": [
                {
                    "id": "1.1",
                    "kind": "item",
                    "marker": "一是",
                    "title": "推动经济发展取得新成效",
                    "text": "经济增速高于全国平均水平。城镇化率达到83%。",
                    "span": [10, 40],
                    "targets": [{"text": "城镇化率达到83%", "kind": "level", "value": 83}],
                    "children": [],
                },
                {
                    "id": "1.2",
                    "kind": "item",
                    "marker": "二是",
                    "title": "推动科技自立自强迈上新台阶",
                    "text": "研发投入强度提高。",
                    "span": [40, 60],
                    "targets": [],
                    "children": [],
                },
            ],
        },
        {
            "id": "2",
            "kind": "part",
            "marker": "二、",
            "title": "重点任务",
            "text": "",
            "span": [100, 300],
            "targets": [],
            "children": [
                {
                    "id": "2.1",
                    "kind": "item",
                    "marker": "一是",
                    "title": "巩固提升优势支柱产业",
                    "text": "做强新材料产业。加快发展高端装备。",
                    "span": [110, 150],
                    "targets": [],
                    "children": [
                        {
                            "id": "2.1.1",
                            "kind": "measure",
                            "marker": None,
                            "title": "做强新材料产业",
                            "text": "做强新材料产业。建设新材料产业园。",
                            "span": [110, 130],
                            "targets": [],
                            "children": [],
                        },
                        {
                            "id": "2.1.2",
                            "kind": "measure",
                            "marker": None,
                            "title": "加快发展高端装备",
                            "text": "加快发展高端装备。",
                            "span": [130, 150],
                            "targets": [],
                            "children": [],
                        },
                    ],
                }
            ],
        },
    ],
}

INDICATORS_CSV = """\
code,name,category,unit,attribute,direction,base_year,base_value,target_year,kind,target
T01,常住人口城镇化率,经济发展,%,expected,up,2025,80.5,2030,level,83
T02,研发经费投入强度,创新驱动,%,binding,up,2025,2.5,2030,level,3.2
"""
OBSERVATIONS_CSV = """code,year,value
T01,2026,81.0
T02,2026,2.55
"""


def seed(db: Database) -> None:
    """Demo departments and one account per role (plus a second reporter), via the services."""
    catalog.import_departments(db, SYSTEM, DEPARTMENTS, "tests")
    for role, (username, password) in ACCOUNTS.items():
        dept = "fgw" if role == "reporter" else None
        accounts.add_user(db, SYSTEM, username, password, role, department_code=dept)
    accounts.add_user(db, SYSTEM, OTHER_REPORTER[0], PASSWORD, "reporter", department_code="gxj")


def _pg_available() -> bool:
    try:
        engine = create_engine(PG_BASE, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated and seeded SQLite file, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    seed(db)
    with db.engine.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_seeded() -> Iterator[tuple[str, dict[str, list[dict[str, Any]]]]]:
    """A PostgreSQL schema of its own for this test session, migrated and seeded once.

    Yields its URL and the seeded rows, which each test restores instead of seeding again
    (argon2 hashing is deliberately slow).
    """
    require_or_skip(_pg_available(), "PostgreSQL at 127.0.0.1:5432")
    schema = f"luoshi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_BASE)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    db = Database(url)
    upgrade(db)
    seed(db)
    with db.engine.connect() as c:
        rows = {
            t.name: [dict(r._mapping) for r in c.execute(t.select().order_by(*t.primary_key))]
            for t in Base.metadata.sorted_tables
            if t.name in SEEDED
        }
    db.dispose()
    yield url, rows
    with admin.begin() as c:
        c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


SEEDED = ("departments", "users", "data_revision")


def _fresh_sqlite(template: Path, tmp_path: Path) -> Database:
    path = tmp_path / "luoshi.sqlite3"
    shutil.copy(template, path)
    return Database(f"sqlite:///{path}")


def _fresh_pg(url: str, rows: dict[str, list[dict[str, Any]]]) -> Database:
    db = Database(url)
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name != "roles"]
    with db.engine.begin() as c:
        for table in tables:
            c.execute(table.delete())
        for table in reversed(tables):
            if rows.get(table.name):
                c.execute(table.insert(), rows[table.name])
        for table in tables:
            if "id" in table.c:
                c.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh seeded database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        database = _fresh_sqlite(request.getfixturevalue("sqlite_template"), tmp_path)
    else:
        database = _fresh_pg(*request.getfixturevalue("pg_seeded"))
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh seeded SQLite database."""
    database = _fresh_sqlite(sqlite_template, tmp_path)
    yield database
    database.dispose()


def make_settings(tmp_path: Path, url: str, **overrides: Any) -> Settings:
    """Settings of a test app."""
    values: dict[str, Any] = {
        "env": "test",
        "secret_key": SECRET,
        "data_dir": tmp_path / "data",
        "database_url": url,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(tmp_path: Path, sqlite_db: Database) -> Settings:
    """Settings of the test app, pointing at `sqlite_db`."""
    return make_settings(tmp_path, sqlite_db.url)


@pytest.fixture
def app(settings: Settings, sqlite_db: Database) -> Any:
    """The web app on a fresh SQLite database."""
    from luoshi.web.app import create_app

    return create_app(settings, db=sqlite_db)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    """A test client of `app` (not signed in)."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def api_client(settings: Settings, sqlite_db: Database) -> Iterator[TestClient]:
    """A test client of the API alone (no pages) on a fresh SQLite database."""
    from luoshi.web.app import create_app

    with TestClient(create_app(settings, db=sqlite_db, pages=False)) as c:
        yield c


def login(client: TestClient, role_or_username: str, password: str = PASSWORD) -> dict[str, Any]:
    """Sign `client` in (by role name or username) and set its CSRF header; returns the body."""
    username = ACCOUNTS.get(role_or_username, (role_or_username, password))[0]
    token = client.get("/api/v1/auth/session").json()["csrf_token"]
    r = client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": password},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    client.headers["X-CSRF-Token"] = body["csrf_token"]
    return body


def import_sample_plan(db: Database, tmp_path: Path) -> int:
    """Import OUTLINE as a plan with a two-row indicator table and 2026 observations."""
    result = plans.import_plan(
        db, SYSTEM, OUTLINE, title=OUTLINE["title"], start_year=2026, end_year=2030
    )
    assert result.plan_id is not None
    table = tmp_path / "indicators.csv"
    table.write_text(INDICATORS_CSV, encoding="utf-8")
    indicators.import_indicators(db, SYSTEM, result.plan_id, table)
    obs = tmp_path / "observations.csv"
    obs.write_text(OBSERVATIONS_CSV, encoding="utf-8")
    indicators.import_observations(db, SYSTEM, obs, plan_id=result.plan_id)
    return result.plan_id


@pytest.fixture
def plan_id(sqlite_db: Database, tmp_path: Path) -> int:
    """The sample plan in `sqlite_db`."""
    return import_sample_plan(sqlite_db, tmp_path)
