"""对标对表 of stored plans: the national sample and a parent region's plan as upper plans,
people's verdicts stored and learned from, gaps turned into tasks and indicators."""

from __future__ import annotations

from typing import Any

import pytest
from district_world import PLANNER, REPORTER, VIEWER, district_world

from fixtures import OUTLINE
from luoshi.errors import Conflict, Forbidden, Invalid
from luoshi.services import SYSTEM, alignment, audit, plans


def test_a_plan_without_parent_region_is_aligned_with_the_national_sample(sqlite_db, plan_id):
    view = alignment.align_plan(sqlite_db, VIEWER, plan_id)
    assert view.upper_ref == "national-15th"
    matches = {m["upper"]["title"]: m["lower"] for m in view.result["matches"]}
    assert matches["高质量发展取得显著成效"][0]["title"] == "推动经济发展取得新成效"
    assert matches["科技自立自强水平大幅提高"][0]["title"] == "推动科技自立自强迈上新台阶"
    # The small plan says nothing about defence: that national part is a gap of the matrix.
    gap_titles = {r["title"] for r in view.matrix["rows"] if r["id"] in view.matrix["gaps"]}
    assert any("国防" in t for t in gap_titles)
    # Every filled cell carries the pair behind its score and the reason.
    for cells, pairs in zip(view.matrix["cells"], view.matrix["pairs"], strict=True):
        for score, pair in zip(cells, pairs, strict=True):
            assert (score is None) == (pair is None)
            if pair is not None:
                assert pair["score"] == score and pair["reason"]


def test_a_district_plan_is_aligned_with_its_citys_plan_and_shows_exactly_the_missing_indicator(
    db, tmp_path
):
    city, district = district_world(db, tmp_path)
    view = alignment.align_plan(db, SYSTEM, district)
    assert view.upper_ref == f"plan:{city}"
    ind = view.result["indicators"]
    assert [m["upper"]["code"] for m in ind["missing"]] == ["T02"]
    assert [(p["upper"]["code"], p["lower"]["code"]) for p in ind["pairs"]] == [("T01", "Q-01")]
    assert ind["pairs"][0]["target_status"] == "meets"  # 84 ≥ 83
    # The city's goal and task each find the district's counterpart.
    firsts = {m["upper"]["id"]: m["lower"][0]["id"] for m in view.result["matches"] if m["lower"]}
    assert firsts["1.1"] == "1.1"
    assert firsts["2.1"] == "2.1"


def test_rejected_pairs_disappear_and_confirmed_ones_come_first_in_later_runs(sqlite_db, plan_id):
    before = alignment.align_plan(sqlite_db, PLANNER, plan_id)
    listed = next(m for m in before.result["matches"] if m["lower"])
    upper_id, lower_id = listed["upper"]["id"], listed["lower"][0]["id"]
    alignment.record_verdict(
        sqlite_db, PLANNER, plan_id, "national-15th", kind="node", upper_key=upper_id,
        lower_key=lower_id, verdict="reject",
    )  # fmt: skip
    after = alignment.align_plan(sqlite_db, PLANNER, plan_id)
    lows = next(m["lower"] for m in after.result["matches"] if m["upper"]["id"] == upper_id)
    assert lower_id not in [low["id"] for low in lows]

    # A pair nothing proposed, confirmed by a person, is listed first from then on.
    unlisted = next(m for m in after.result["matches"] if not m["lower"])
    alignment.record_verdict(
        sqlite_db, PLANNER, plan_id, "national-15th", kind="node",
        upper_key=unlisted["upper"]["id"], lower_key="2.1", verdict="confirm",
    )  # fmt: skip
    again = alignment.align_plan(sqlite_db, PLANNER, plan_id)
    lows = next(m["lower"] for m in again.result["matches"] if m["upper"] == unlisted["upper"])
    assert lows[0]["id"] == "2.1" and lows[0]["confirmed"] is True
    # The verdicts survive as rows, and each one is in the audit log.
    stored = alignment.verdicts(sqlite_db, VIEWER, plan_id, "national-15th")
    assert [(v.verdict, v.lower_key) for v in stored] == [("reject", lower_id), ("confirm", "2.1")]
    actions = [e.action for e in audit.list_events(sqlite_db, SYSTEM, plan_id=plan_id).items]
    assert {"alignment.reject", "alignment.confirm"} <= set(actions)


def test_a_new_verdict_on_the_same_pair_replaces_the_old_one(sqlite_db, plan_id):
    for verdict in ("confirm", "reject"):
        alignment.record_verdict(
            sqlite_db, PLANNER, plan_id, "national-15th", kind="node", upper_key="n-g1",
            lower_key="1.1", verdict=verdict,
        )  # fmt: skip
    stored = alignment.verdicts(sqlite_db, PLANNER, plan_id, "national-15th")
    assert [(v.verdict, v.version) for v in stored] == [("reject", 2)]


def test_a_gap_becomes_a_task_of_the_lower_plan_and_is_no_longer_a_gap(sqlite_db, plan_id):
    before = alignment.align_plan(sqlite_db, PLANNER, plan_id)
    gap = next(n for n in before.result["uncovered"] if n["role"] == "task")
    node = alignment.add_task_from_upper(sqlite_db, PLANNER, plan_id, "national-15th", gap["id"])
    assert node.title == gap["title"]
    outline = plans.outline(sqlite_db, PLANNER, plan_id).items
    assert node.id in [n.id for n in outline]
    after = alignment.align_plan(sqlite_db, PLANNER, plan_id)
    assert gap["id"] not in [n["id"] for n in after.result["uncovered"]]
    lows = next(m["lower"] for m in after.result["matches"] if m["upper"]["id"] == gap["id"])
    assert lows[0]["id"] == node.path
    events = audit.list_events(sqlite_db, SYSTEM, plan_id=plan_id, action="node.add").items
    assert events and gap["title"] in events[0].summary
    # A second click (a stale page) adds nothing.
    with pytest.raises(Conflict, match="已由本级"):
        alignment.add_task_from_upper(sqlite_db, PLANNER, plan_id, "national-15th", gap["id"])
    assert len(plans.outline(sqlite_db, PLANNER, plan_id).items) == len(outline)


def test_a_task_goes_under_the_heading_that_takes_up_the_upper_parent(sqlite_db, plan_id):
    view = alignment.align_plan(sqlite_db, PLANNER, plan_id)
    # A national main goal the city leaves out goes among the city's main goals (part 1),
    # with the kind its new siblings have.
    goal = next(n for n in view.result["uncovered"] if n["role"] == "goal")
    node = alignment.add_task_from_upper(sqlite_db, PLANNER, plan_id, "national-15th", goal["id"])
    by_id = {n.id: n for n in plans.outline(sqlite_db, PLANNER, plan_id).items}
    assert node.parent_id is not None
    assert (by_id[node.parent_id].path, node.kind, node.path) == ("1", "item", "1.3")


def test_a_missing_upper_indicator_becomes_a_local_target_with_the_proposed_arithmetic(
    sqlite_db, plan_id
):
    target = alignment.add_indicator_from_upper(sqlite_db, PLANNER, plan_id, "national-15th", "N02")
    assert (target.kind, target.target) == ("avg_rate_at_least", 7.0)
    assert "7%" in (target.target_text or "")
    assert target.indicator.code != "N02"  # the plan's own indicator: its data stays its own
    assert target.indicator.name == "全社会研发经费投入增长"
    after = alignment.align_plan(sqlite_db, PLANNER, plan_id)
    assert "N02" not in [m["upper"]["code"] for m in after.result["indicators"]["missing"]]
    with pytest.raises(Invalid, match="N02"):
        alignment.add_indicator_from_upper(sqlite_db, PLANNER, plan_id, "national-15th", "N02")


@pytest.mark.parametrize(
    ("upper", "message"),
    [("national-14th", "未知的上级规划"), ("plan:x", "未知的上级规划"), ("plan:999", "999")],
)
def test_an_unknown_upper_plan_is_refused_by_name(sqlite_db, plan_id, upper, message):
    with pytest.raises(Exception, match=message):
        alignment.align_plan(sqlite_db, VIEWER, plan_id, upper)


def test_a_plan_is_not_aligned_with_itself(sqlite_db, plan_id):
    with pytest.raises(Invalid, match="自身"):
        alignment.align_plan(sqlite_db, VIEWER, plan_id, f"plan:{plan_id}")


def test_only_planners_review_pairs_or_add_from_gaps(sqlite_db, plan_id):
    alignment.align_plan(sqlite_db, REPORTER, plan_id)  # everyone may look
    with pytest.raises(Forbidden):
        alignment.record_verdict(
            sqlite_db, VIEWER, plan_id, "national-15th", kind="node", upper_key="n-g1",
            lower_key="1.1", verdict="confirm",
        )  # fmt: skip
    with pytest.raises(Forbidden):
        alignment.add_task_from_upper(sqlite_db, REPORTER, plan_id, "national-15th", "n-p15")
    with pytest.raises(Forbidden):
        alignment.add_indicator_from_upper(sqlite_db, VIEWER, plan_id, "national-15th", "N02")


@pytest.mark.parametrize(
    ("kind", "upper_key", "lower_key", "verdict", "message"),
    [
        ("node", "n-g1", "1.1", "maybe", "未知的判断"),
        ("pair", "n-g1", "1.1", "confirm", "未知的类别"),
        ("node", "n-nope", "1.1", "confirm", "n-nope"),
        ("node", "n-g1", "9.9", "confirm", r"9\.9"),
        ("node", "n-g1", "2.1.1", "confirm", r"2\.1\.1"),  # a measure folds into its item
        ("indicator", "N02", "T9", "confirm", "T9"),
    ],
)
def test_a_bad_verdict_names_what_is_wrong_and_stores_nothing(
    sqlite_db, plan_id, kind, upper_key, lower_key, verdict, message
):
    with pytest.raises(Exception, match=message):
        alignment.record_verdict(
            sqlite_db, PLANNER, plan_id, "national-15th", kind=kind, upper_key=upper_key,
            lower_key=lower_key, verdict=verdict,
        )  # fmt: skip
    assert alignment.verdicts(sqlite_db, PLANNER, plan_id, "national-15th") == []


def test_a_task_is_added_only_to_a_draft_and_only_under_a_node_of_the_plan(sqlite_db, plan_id):
    with pytest.raises(Invalid, match=r"9\.9"):
        alignment.add_task_from_upper(
            sqlite_db, PLANNER, plan_id, "national-15th", "n-p15", parent_path="9.9"
        )
    assert len(plans.outline(sqlite_db, PLANNER, plan_id).items) == len(_paths(OUTLINE))


def _paths(outline: dict[str, Any]) -> list[str]:
    out = []
    stack = list(outline["children"])
    while stack:
        node = stack.pop()
        out.append(node["id"])
        stack.extend(node.get("children") or [])
    return out
