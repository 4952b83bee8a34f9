"""Segmentation keeps policy terms whole and drops words that carry no subject."""

from __future__ import annotations

import pytest

from luoshi.matching.text import Segmenter, default_segmenter, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("打好 碧水保卫战(2026年)", "打好 碧水保卫战(2026年)"),
        ("推進經濟發展", "推进经济发展"),
        ("  多个\n\t空白  ", "多个 空白"),
        ("PM2.5", "PM2.5"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("坚决打好碧水保卫战", "碧水保卫战"),
        ("持续深化“放管服”改革", "放管服"),
        ("推动“高效办成一件事”迭代升级", "高效办成一件事"),
        ("推进煤炭消费减量替代", "煤炭消费减量替代"),
        ("强化PM2.5和臭氧协同控制", "PM2.5"),
    ],
)
def test_policy_terms_stay_whole(text: str, whole: str) -> None:
    assert whole in default_segmenter().terms(text)


def test_terms_drop_generic_verbs_and_keep_parts_of_long_words() -> None:
    terms = default_segmenter().terms("加快推进高端装备制造产业集群建设")
    assert "加快" not in terms and "推进" not in terms and "建设" not in terms
    assert {"装备", "制造", "高端装备制造", "产业集群"} <= set(terms)


def test_own_segmenter_learns_words_without_touching_the_default() -> None:
    own = Segmenter(words=["浑南科技城"])
    assert "浑南科技城" in own.terms("建设浑南科技城")
    assert "浑南科技城" not in default_segmenter().terms("建设浑南科技城")


def test_parts_of_a_long_word_weigh_less_than_the_word() -> None:
    weighted = dict(default_segmenter().weighted_terms("推进精神卫生服务"))
    assert weighted["精神卫生"] == 1.0
    assert weighted["精神"] < 1.0
