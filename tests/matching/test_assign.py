"""Suggestions: the right unit leads, the reason says why, and corrections are learned."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.errors import DataError
from luoshi.matching.assign import Suggester
from luoshi.matching.catalog import bundled_catalog
from luoshi.matching.feedback import FeedbackMemory


@cache
def _municipal() -> Suggester:
    """One suggester without memory, shared by the tests that do not teach it."""
    return Suggester(bundled_catalog("municipal"))


@pytest.fixture
def suggester() -> Suggester:
    return _municipal()


@pytest.mark.parametrize(
    ("task", "lead", "reason_has"),
    [
        ("打好碧水保卫战,推进城市黑臭水体治理。", "市生态环境局", "水污染防治"),
        ("推进城中村改造和城市危旧房改造。", "市住房城乡建设局", "城中村改造"),
        ("推动“高效办成一件事”迭代升级。", "市营商环境建设局", "政务服务"),
        ("严厉打击电信网络诈骗犯罪。", "市公安局", "社会治安"),
        ("新增国家级专精特新“小巨人”企业。", "市工业和信息化局", "中小企业"),
        ("推進國資國企改革。", "市国资委", "国企改革"),
    ],
)
def test_lead_and_reason(suggester: Suggester, task: str, lead: str, reason_has: str) -> None:
    suggestion = suggester.suggest(task)
    assert suggestion.lead[0].unit == lead
    assert reason_has in suggestion.reason and lead in suggestion.reason


def test_json_form(suggester: Suggester) -> None:
    data = suggester.suggest("完善社会救助体系,做好困难群众帮扶。").to_dict()
    assert list(data) == ["task", "lead", "cooperate", "reason", "reason_en", "candidates"]
    assert data["lead"][0]["unit"] == "市民政局"
    scores = [r["score"] for r in data["lead"] + data["cooperate"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert data["candidates"][0] == data["lead"][0] and len(data["candidates"]) <= 5
    json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("task", ["", "同志们,让我们一起努力!", "12345 abc"])
def test_text_without_subject_gets_no_lead(suggester: Suggester, task: str) -> None:
    suggestion = suggester.suggest(task)
    if suggestion.lead:  # a stray match is allowed, but then it is weak and explained
        assert suggestion.reason.startswith("牵头")
    else:
        assert suggestion.ranking() == [] and "未找到" in suggestion.reason


def test_context_breaks_a_tie_toward_the_heading() -> None:
    suggester = Suggester(bundled_catalog("municipal"))
    task = "建设一批示范项目。"
    with_context = suggester.suggest(task, context="深入实施乡村振兴战略,建设宜居宜业和美乡村")
    assert with_context.lead[0].unit == "市农业农村局"


def test_a_correction_improves_similar_tasks_only() -> None:
    suggester = Suggester(bundled_catalog("municipal"))
    similar = "加快冷链物流设施建设,完善城乡冷链物流网络。"
    unrelated = "打好净土保卫战,加强土壤污染风险管控。"
    before = suggester.suggest(similar).lead[0].unit
    assert before != "市商务局"  # the catalog alone leans to transport here
    suggester.learn("发展冷链物流,建设骨干冷链物流基地。", ["市商务局"], ["市交通运输局"])
    after = suggester.suggest(similar)
    assert after.lead[0].unit == "市商务局"
    assert "参照已确认的相似任务" in after.reason
    assert suggester.suggest(unrelated).lead[0].unit == "市生态环境局"
    assert "参照" not in suggester.suggest(unrelated).reason


def test_learn_refuses_unknown_units_and_resolves_aliases() -> None:
    suggester = Suggester(bundled_catalog("municipal"))
    with pytest.raises(DataError, match="市宇宙局"):
        suggester.learn("任务", ["市宇宙局"])
    decision = suggester.learn("任务", ["市发改委"], ["市工信局"])
    assert decision.lead == ("市发展改革委",) and decision.cooperate == ("市工业和信息化局",)


def test_memory_round_trip(tmp_path: Path) -> None:
    memory = FeedbackMemory()
    memory.record("甲任务", ["市财政局"], ["市审计局"])
    memory.record("乙任务", ["市民政局"])
    memory.record("甲任务", ["市审计局"])  # a later decision on the same task replaces it
    path = tmp_path / "feedback.json"
    memory.save(path)
    again = FeedbackMemory.load(path)
    assert again.to_dict() == memory.to_dict()
    assert [d.task for d in again] == ["乙任务", "甲任务"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "无法读取"),
        ('{"format": "other"}', "不是分工反馈文件"),
        (
            '{"format": "luoshi.assign-feedback/1", "decisions": [{"task": "x", "lead": []}]}',
            "第1条",
        ),
    ],
)
def test_bad_memory_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "feedback.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        FeedbackMemory.load(path)


def test_memory_from_another_catalog_is_ignored_not_fatal() -> None:
    memory = FeedbackMemory()
    memory.record("深入打好蓝天保卫战", ["生态环境部"])
    suggestion = Suggester(bundled_catalog("municipal"), memory).suggest("深入打好蓝天保卫战")
    assert suggestion.lead[0].unit == "市生态环境局"


def test_the_most_similar_of_many_decisions_decides() -> None:
    suggester = Suggester(bundled_catalog("municipal"))
    for i in range(300):
        suggester.memory.record(f"第{i}项 推进老旧小区改造", ["市住房城乡建设局"])
    suggester.learn("发展冷链物流,建设冷链物流基地。", ["市商务局"])
    similar = suggester.suggest("完善冷链物流网络。")
    assert similar.lead[0].unit == "市商务局"
    assert "冷链" in similar.reason.split("参照")[1]


@given(st.text(max_size=200))
@settings(max_examples=150, deadline=None)
def test_any_text_gets_a_well_formed_suggestion(text: str) -> None:
    suggestion = _municipal().suggest(text)
    ranking = suggestion.ranking()
    assert len(ranking) == len(set(ranking)) <= 5
    assert all(r.score > 0 for r in suggestion.candidates)
    assert suggestion.reason
    json.dumps(suggestion.to_dict(), ensure_ascii=False)
