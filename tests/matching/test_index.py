"""BM25 over thesaurus-expanded terms finds documents that share no literal word."""

from __future__ import annotations

import numpy as np

from luoshi.matching.index import TermIndex, expand_terms
from luoshi.matching.text import default_segmenter
from luoshi.matching.thesaurus import default_thesaurus


def _index() -> TermIndex:
    seg = default_segmenter()
    docs = {
        "环境": "生态环境保护,水污染防治,大气污染防治",
        "住建": "城市更新,老旧小区改造,建筑业",
        "公安": "社会治安,扫黑除恶,道路交通安全",
    }
    bags = [dict.fromkeys(seg.terms(text), 1.0) for text in docs.values()]
    return TermIndex.build(list(docs), bags, default_thesaurus())


def test_expanded_query_finds_the_field_document() -> None:
    hits = _index().search(default_segmenter().terms("打好碧水保卫战,治理黑臭水体"), k=3)
    assert hits[0].key == "环境"
    assert "水污染防治" in hits[0].matched


def test_no_shared_term_gives_no_hit() -> None:
    assert _index().search(["没有的词"]) == []


def test_batch_scores_equal_single_scores() -> None:
    index = _index()
    seg = default_segmenter()
    queries = [seg.terms(t) for t in ["城中村改造", "", "电信网络诈骗", "碧水保卫战"]]
    batch = index.scores_many(queries)
    single = np.stack([index.scores(q) for q in queries])
    assert np.allclose(batch, single)
    assert batch[1].sum() == 0


def test_expand_terms_keeps_the_best_weight() -> None:
    expanded = expand_terms(["碧水保卫战", "水污染防治"], default_thesaurus())
    assert expanded["水污染防治"] == 1.0
