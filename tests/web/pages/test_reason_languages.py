"""Generated reasons (allocation "Why", alignment pairs) follow the interface language: the
English page words them in English and keeps only the quoted Chinese terms, duties and names."""

from __future__ import annotations

import html as markup
import re
from typing import Any

from test_pages import page_login

from luoshi.matching.catalog import bundled_catalog

CJK = re.compile(r"[\u4e00-\u9fff]")
# Quoted text (task terms, duties, a similar task) and unit names stay as written.
QUOTED = re.compile(r"“[^”]*”")


def _without_names(text: str) -> str:
    """The text without the catalog's unit names (longest first)."""
    names = sorted((u.name for u in bundled_catalog("municipal").units), key=len, reverse=True)
    for name in names:
        text = text.replace(name, "")
    return text


def _reasons(page: str) -> list[str]:
    return [markup.unescape(r) for r in re.findall(r'<p class="reason">(.*?)</p>', page, re.S)]


def test_allocation_reasons_follow_the_interface_language(client: Any, plan_id: int) -> None:
    page_login(client, "planner")
    chinese = _reasons(client.get(f"/plans/{plan_id}/allocation").text)
    assert chinese and all("匹配“" in r for r in chinese if r.startswith("牵头"))
    client.get(f"/lang/en?next=/plans/{plan_id}/allocation")
    english = _reasons(client.get(f"/plans/{plan_id}/allocation").text)
    assert len(english) == len(chinese)
    led = [r for r in english if r.startswith("lead ")]
    assert led and all(": matches “" in r for r in led)
    assert any(", under the duty “" in r for r in led)
    for reason in english:
        outside = _without_names(QUOTED.sub("", reason))
        assert not CJK.search(outside), reason
        for word in ("匹配", "对应职责", "牵头", "配合", "参照"):
            assert word not in outside
    # The quoted terms are the Chinese reason's, unchanged.
    for zh, en in zip(chinese, english, strict=True):
        assert QUOTED.findall(zh) == QUOTED.findall(en)


# Where the alignment page shows generated text: the matrix tooltip (after the score), the
# pairs table and the indicator tables (reasons, target comparisons, proposals).
ALIGNMENT_TEXT = re.compile(
    r'(?:<td class="small">|<div class="small muted">|<div class="small">[^<:]*:'
    r"|</?br>[^<]* \d\.\d\d · )([^<]*)<"
)


def _alignment_texts(page: str) -> list[str]:
    return [markup.unescape(t).strip() for t in ALIGNMENT_TEXT.findall(page) if t.strip()]


def _chinese_wording() -> set[str]:
    """The fixed Chinese words of the alignment sentences (runs of 3+ characters between
    placeholders and punctuation), plus the short structural words."""
    from luoshi.matching.align import REASON_WORDING
    from luoshi.matching.align_indicators import WORDING

    templates = [*REASON_WORDING["zh"].values(), *WORDING["zh"].values()]
    runs = {r for t in templates for r in re.findall(r"[\u4e00-\u9fff]{3,}", QUOTED.sub("", t))}
    return runs | {"同为", "共同要点", "对应", "上级", "下级", "本地"}


def test_alignment_reasons_follow_the_interface_language(client: Any, plan_id: int) -> None:
    page_login(client, "planner")
    url = f"/plans/{plan_id}/alignment"
    chinese = _alignment_texts(client.get(url).text)
    assert any("共同要点:" in t for t in chinese)
    assert any(t.startswith("上级要求年均增长") for t in chinese)  # a proposed target
    client.get(f"/lang/en?next={url}")
    english = _alignment_texts(client.get(url).text)
    assert len(english) == len(chinese)
    assert any(t.startswith("shared terms: ") for t in english)
    assert any(t.startswith("The upper plan wants average growth") for t in english)
    words = _chinese_wording()
    for text in english:
        outside = QUOTED.sub("", text)
        found = [w for w in words if w in outside]
        assert not found, (found, text)
    for zh, en in zip(chinese, english, strict=True):
        assert QUOTED.findall(zh) == QUOTED.findall(en)
