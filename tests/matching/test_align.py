"""Plan alignment: the speech against the national sample, a district plan against the speech,
structure, gaps and feedback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from align_labels import goal_hits, load_labels, task_score

from luoshi.documents import parse_file, parse_text
from luoshi.errors import LuoshiError
from luoshi.matching.align import Alignment, align, align_plans, plan_nodes
from luoshi.matching.align_feedback import AlignFeedback
from luoshi.matching.align_samples import load_plan

LABELS = load_labels()


@pytest.fixture(scope="module")
def speech_alignment() -> Alignment:
    return align_plans(load_plan("national-15th"), load_plan("city-speech"))


@pytest.mark.parametrize(("lower_goal", "national_goal"), sorted(LABELS["goals"].items()))
def test_each_speech_goal_aligns_to_its_national_goal(
    speech_alignment: Alignment, lower_goal: str, national_goal: str
) -> None:
    assert goal_hits(speech_alignment, LABELS["goals"])[lower_goal] == national_goal


def test_task_level_precision_and_recall_meet_the_goal(speech_alignment: Alignment) -> None:
    score = task_score(speech_alignment, LABELS["tasks"])
    print(
        f"\nalign task level: precision {score.precision:.3f} ({score.correct}/{score.predicted}), "
        f"recall {score.recall:.3f} ({score.found}/{score.labelled}); "
        f"wrong {list(score.wrong)}; missed {list(score.missed)}"
    )
    assert score.precision >= 0.85
    assert score.recall >= 0.85


def test_json_has_one_match_per_upper_node_best_first(speech_alignment: Alignment) -> None:
    data = speech_alignment.to_dict()
    assert [m["upper"]["id"] for m in data["matches"]] == [n.id for n in speech_alignment.upper]
    for match in data["matches"]:
        assert {"id", "kind", "title"} <= set(match["upper"])
        for low in match["lower"]:
            assert {"id", "kind", "title", "score", "reason"} <= set(low)
            assert low["reason"]
        same_role = [
            low["score"] for low in match["lower"] if low["role"] == match["upper"]["role"]
        ]
        if match["upper"]["role"] == "task":
            assert same_role == sorted(same_role, reverse=True)
    uncovered = {n["id"] for n in data["uncovered"]}
    assert all(not m["lower"] for m in data["matches"] if m["upper"]["id"] in uncovered)


def test_speech_growth_target_meets_national_gdp_indicator(speech_alignment: Alignment) -> None:
    ind = speech_alignment.indicators
    assert ind is not None
    pair = next(p for p in ind["pairs"] if p["upper"]["code"] == "N01")
    assert pair["lower"]["kind"] == "rate_above"
    assert pair["target_status"] == "meets"
    missing = {g["upper"]["code"] for g in ind["missing"]}
    assert "N01" not in missing and "N08" in missing


UPPER_TEXT = """一、主要目标
(一)生态环境质量持续改善。空气质量优良天数比例提高,重点流域水质改善。
(二)就业更加充分。城镇调查失业率控制在合理水平,职业技能培训广泛开展。
二、重点任务
(一)推进国防动员和后备力量建设。加强国防教育,巩固军政军民团结。
(二)打好污染防治攻坚战。深入开展大气污染防治,加强重点流域水污染治理。
(三)促进高质量充分就业。强化就业优先政策,开展职业技能培训。
"""

LOWER_TEXT = """一、发展目标
(一)推动就业质量提升。城镇调查失业率保持低位,职业技能培训覆盖重点群体。
(二)推动生态环境持续改善。空气质量优良天数比例稳步提高,重点流域水质改善。
二、主要任务
(一)深入打好污染防治攻坚战。开展大气污染防治,治理重点流域水污染。
(二)着力稳定和扩大就业。落实就业优先政策,大规模开展职业技能培训。
(三)建设月球车测试基地。引进深空探测装备企业,举办航天科普活动。
"""


@pytest.fixture(scope="module")
def small() -> Alignment:
    return align(parse_text(UPPER_TEXT, "upper.txt"), parse_text(LOWER_TEXT, "lower.txt"))


def _titles(nodes) -> list[str]:
    return [n.title for n in nodes]


def test_goals_pair_with_goals_and_tasks_with_tasks(small: Alignment) -> None:
    best = {n.title: (small.matches[n.id] or [None])[0] for n in small.upper}
    assert best["生态环境质量持续改善"].node.title == "推动生态环境持续改善"
    assert best["就业更加充分"].node.title == "推动就业质量提升"
    assert best["打好污染防治攻坚战"].node.title == "深入打好污染防治攻坚战"
    assert best["促进高质量充分就业"].node.title == "着力稳定和扩大就业"


def test_uncovered_and_unanchored_name_exactly_the_gaps(small: Alignment) -> None:
    assert _titles(small.uncovered) == ["推进国防动员和后备力量建设"]
    assert _titles(small.unanchored) == ["建设月球车测试基地"]


def test_summary_counts_add_up_to_the_upper_items(small: Alignment, speech_alignment) -> None:
    for result in (small, speech_alignment):
        s = result.to_dict()["summary"]
        assert s["covered"] + s["covered_below"] + s["uncovered_nodes"] == s["upper_nodes"]
        assert s["uncovered_nodes"] >= s["uncovered"] == len(result.uncovered)
    # The gap 推进国防动员和后备力量建设 is one item with nothing below it in this plan.
    assert small.to_dict()["summary"]["uncovered_nodes"] == 1


def test_roles_come_from_goal_headings() -> None:
    nodes = {n.title: n.role for n in plan_nodes(parse_text(UPPER_TEXT, "u.txt"))}
    assert nodes["生态环境质量持续改善"] == "goal"
    assert nodes["打好污染防治攻坚战"] == "task"


def test_rejected_pair_disappears_and_confirmed_pair_comes_first() -> None:
    upper, lower = parse_text(UPPER_TEXT, "u.txt"), parse_text(LOWER_TEXT, "l.txt")
    before = align(upper, lower)
    up = next(n for n in before.upper if n.title == "打好污染防治攻坚战")
    right = next(n for n in before.lower if n.title == "深入打好污染防治攻坚战")
    odd = next(n for n in before.lower if n.title == "建设月球车测试基地")
    feedback = AlignFeedback()
    feedback.reject(up, right)
    feedback.confirm(up, odd)
    after = align(upper, lower, AlignFeedback.from_dict(feedback.to_dict()))
    listed = after.matches[up.id]
    assert listed[0].node.title == "建设月球车测试基地" and listed[0].confirmed
    assert "已由人工确认" in listed[0].reason
    assert "深入打好污染防治攻坚战" not in [m.node.title for m in listed]


def test_feedback_generalises_to_similar_titles_in_another_plan() -> None:
    upper = parse_text("一、重点任务\n(一)加强国防教育。开展全民国防教育。\n", "u.txt")
    lower = parse_text("一、主要任务\n(一)办好航天科普活动。举办航天科普活动。\n", "l.txt")
    plain = align(upper, lower)
    up, low = plain.upper[-1], plain.lower[-1]
    assert plain.matches[up.id] == []
    feedback = AlignFeedback()
    feedback.confirm(up, low)
    # A re-worded pair in another plan: no shared words, but titles close to the confirmed pair.
    upper2 = parse_text("一、重点任务\n(一)加强全民国防教育。开展国防教育进校园。\n", "u2.txt")
    lower2 = parse_text("一、主要任务\n(一)办好青少年航天科普活动。组织科普讲座。\n", "l2.txt")
    taught = align(upper2, lower2, feedback)
    assert [m.node.title for m in taught.matches[taught.upper[-1].id]] == ["办好青少年航天科普活动"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"verdicts": [{"upper_title": "a", "lower_title": "b", "verdict": "maybe"}]}, "maybe"),
        ({"verdicts": [{"upper_title": "a", "verdict": "confirm"}]}, "lower_title"),
    ],
)
def test_bad_feedback_is_refused_with_its_place(data: dict, message: str) -> None:
    with pytest.raises(LuoshiError, match=message) as info:
        AlignFeedback.from_dict(data)
    assert "第1条" in str(info.value)


def test_too_large_a_pair_of_plans_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    import luoshi.matching.align as module

    monkeypatch.setattr(module, "MAX_PAIRS", 10)
    with pytest.raises(LuoshiError, match="规划过大") as info:
        align(parse_text(UPPER_TEXT, "u.txt"), parse_text(LOWER_TEXT, "l.txt"))
    assert "7 × 7 个节点对,上限 10" in str(info.value)


def test_national_sample_is_sourced_and_well_formed() -> None:
    from luoshi.indicators import KINDS
    from luoshi.matching.align_samples import sample_path

    raw = yaml.safe_load(sample_path("national-15th").read_text(encoding="utf-8"))
    sources = {s["id"] for s in raw["sources"]}
    assert all(s["urls"] for s in raw["sources"])

    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(n.get("children") or [])

    for node in walk(raw["children"]):
        assert set(node.get("confirmed", [])) <= sources, node["id"]
        assert node.get("confirmed") or node.get("recalled"), node["id"]
    plan = load_plan("national-15th")
    goals = [n for n in plan_nodes(plan.outline) if n.role == "goal" and n.kind == "item"]
    assert len(goals) == 7
    assert {r["kind"] for r in plan.indicators} <= set(KINDS)


DISTRICT = Path(__file__).parents[1] / "data" / "align"


@pytest.fixture(scope="module")
def district_alignment() -> tuple[Alignment, dict]:
    labels = yaml.safe_load((DISTRICT / "district-vs-city.yaml").read_text(encoding="utf-8"))
    city = load_plan("city-speech").outline
    return align(city, parse_file(DISTRICT / "district-plan.txt")), labels


def test_district_plan_in_its_own_wording_aligns_with_the_city(district_alignment) -> None:
    result, labels = district_alignment
    upper = {n.id: n.title for n in result.upper}
    anchors = result.anchors()
    best = {n.title: upper[anchors[n.id][0][0]] for n in result.lower if n.id in anchors}
    for district, city in labels["goals"].items():
        assert best[district] == city
    for district, cities in labels["tasks"].items():
        title = next(t for t in best if t.startswith(district))
        assert any(best[title].startswith(c) for c in cities), (district, best[title])
    assert [n.title for n in result.unanchored] == labels["unanchored"]


def _invariants(result: Alignment) -> None:
    by_id = {n.id: n for n in result.lower}

    def line(node_id: str) -> set[str]:
        ids, node = set(), by_id[node_id]
        while node.parent in by_id:
            node = by_id[node.parent]
            ids.add(node.id)
        return ids

    for lows in result.matches.values():
        ids = [m.node.id for m in lows]
        assert len(ids) == len(set(ids))
        assert all(not (line(i) & set(ids)) for i in ids)  # one per line of descent
        assert all(0.0 <= m.score <= 1.0 for m in lows)
    listed = {m.node.id for lows in result.matches.values() for m in lows}
    for node in result.unanchored:
        assert node.id not in listed and not (line(node.id) & listed)
    for node in result.uncovered:
        assert not result.matches[node.id]


def test_result_invariants(speech_alignment: Alignment, district_alignment) -> None:
    _invariants(speech_alignment)
    _invariants(district_alignment[0])


def test_coverage_matrix_shows_the_gap_row_and_where_each_task_lands(speech_alignment) -> None:
    top = speech_alignment.matrix()
    assert top["gaps"] == ["n-p14"]  # 国防和军队现代化: nothing in the speech takes it up
    sections = speech_alignment.matrix(upper_depth=0, lower_depth=1)
    columns = [c["title"] for c in sections["columns"]]
    rows = {r["id"]: cells for r, cells in zip(sections["rows"], sections["cells"], strict=True)}
    green = rows["n-p12"]
    best = max((v, k) for k, v in enumerate(green) if v is not None)[1]
    assert columns[best].startswith("聚焦绿色低碳转型")
    assert all(v is None for v in rows["n-p14"])
