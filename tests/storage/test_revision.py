"""The data revision: what every cached result of the web service is keyed by."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from fixtures import PASSWORD, make_settings
from luoshi.errors import Conflict
from luoshi.services import SYSTEM, accounts, plans
from luoshi.storage import Database
from luoshi.storage.models import OutlineNode

OUTLINE = {
    "id": "",
    "kind": "document",
    "children": [{"id": "1", "kind": "part", "title": "总体要求"}],
}


def test_a_change_of_data_gives_a_new_revision(db: Database) -> None:
    before = db.revision()
    plans.import_plan(db, SYSTEM, OUTLINE, title="规划")
    after = db.revision()
    assert after != before
    plans.import_plan(db, SYSTEM, OUTLINE, title="另一规划")
    assert db.revision() not in (before, after)


def test_signing_in_and_out_leaves_the_revision(db: Database, tmp_path) -> None:
    settings = make_settings(tmp_path, db.url)
    before = db.revision()
    token, _actor = accounts.login(db, settings, "planner", PASSWORD)
    assert accounts.resolve_session(db, token) is not None
    accounts.logout(db, token)
    assert db.revision() == before


def test_a_refused_change_leaves_the_revision(db: Database) -> None:
    before = db.revision()
    with pytest.raises(Conflict):  # the name is taken: nothing is stored
        accounts.add_user(db, SYSTEM, "planner", PASSWORD, "planner")
    assert db.revision() == before


def test_a_statement_that_changes_data_gives_a_new_revision(db: Database) -> None:
    """Not only rows changed through the ORM: a bulk DELETE in a write transaction counts."""
    plans.import_plan(db, SYSTEM, OUTLINE, title="规划")
    before = db.revision()
    with db.write() as s:
        s.execute(delete(OutlineNode).where(OutlineNode.parent_id.is_not(None)))
    assert db.revision() != before
