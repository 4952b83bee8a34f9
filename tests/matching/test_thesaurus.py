"""The thesaurus climbs from slogans to fields, and refuses malformed files clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.errors import DataError
from luoshi.matching.thesaurus import default_thesaurus, load_thesaurus


def test_bundled_thesaurus_is_large_and_consistent() -> None:
    thesaurus = default_thesaurus()
    assert len(thesaurus) >= 250 and len(thesaurus.terms()) >= 2000
    synonyms = [s for concept in thesaurus.concepts.values() for s in concept.synonyms]
    assert len(synonyms) == len(set(synonyms)), "a synonym stands for one concept only"
    assert not set(synonyms) & set(thesaurus.concepts), "a concept is no synonym of another"
    for concept in thesaurus.concepts.values():
        for up in concept.broader:
            assert thesaurus.canonical(up) in thesaurus.concepts, f"{concept.term} → {up}"


@pytest.mark.parametrize(
    ("term", "reaches"),
    [
        ("碧水保卫战", ["水污染防治", "生态环境"]),
        ("黑臭水体", ["水污染防治", "生态环境"]),
        ("专精特新", ["中小企业", "工业和信息化"]),
        ("老旧小区", ["城市更新", "住房城乡建设"]),
        ("免申即享", ["惠企政策", "营商环境"]),
        ("扫黑除恶", ["社会治安", "公安"]),
    ],
)
def test_expand_reaches_the_field(term: str, reaches: list[str]) -> None:
    expanded = dict(default_thesaurus().expand(term))
    weights = [expanded[r] for r in reaches]
    assert all(0 < w <= 1 for w in weights) and weights[-1] < 1
    assert weights == sorted(weights, reverse=True)


def test_synonym_stands_for_its_concept() -> None:
    assert default_thesaurus().canonical("治水") == "水污染防治"
    assert default_thesaurus().canonical("没有的词") == "没有的词"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- a\n- b\n", "映射"),
        ("水: {broader: 3}\n", "水.broader 应为词语列表"),
        ("水: {narrower: [x]}\n", "未知字段"),
        ("水: [unclosed\n", "无法读取"),
    ],
)
def test_bad_thesaurus_file_names_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_thesaurus(path)
    assert str(path) in str(info.value) and message in str(info.value)
