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
