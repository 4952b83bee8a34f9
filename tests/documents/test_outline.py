"""The numbering ladder and the habits of real documents, one small text per case."""

from __future__ import annotations

from pathlib import Path

import pytest
from document_builders import PLAN_TEXT, wrap

from luoshi.documents import Node, Outline, SourceText, parse_file, parse_source, parse_text


def shape(nodes: list[Node], kinds: set[str] | None = None) -> list:
    """(marker, title, kind, children) of each node: what a reader sees of the outline."""
    out = []
    for n in nodes:
        if kinds and n.kind not in kinds:
            continue
        out.append((n.marker, n.title, n.kind, shape(n.children, kinds)))
    return out


MID_LADDER = """\
(三)优化营商环境。
1. 深化放管服改革。推动高效办成一件事。
2. 保护经营主体权益。
二、主要任务
(一)建设现代化产业体系。
"""

SKIPPED_LEVELS = """\
一、总体要求
1. 指导思想。坚持稳中求进工作总基调。
2. 基本原则。
二、主要任务
(1)做强先进制造业。
(2)培育新兴产业。
"""

MIXED_BRACKETS = """\
一、重点任务
(一)稳定经济增长。
（二）扩大有效需求。
(三)深化改革开放。
(1)国资国企改革。
（2）要素市场化改革。
"""

CASES = [
    (
        "mid-ladder start gets an implicit part with a null title",
        MID_LADDER,
        [
            (
                "一、",
                None,
                "part",
                [
                    (
                        "(三)",
                        "优化营商环境",
                        "section",
                        [
                            ("1.", "深化放管服改革", "item", []),
                            ("2.", "保护经营主体权益", "item", []),
                        ],
                    )
                ],
            ),
            ("二、", "主要任务", "part", [("(一)", "建设现代化产业体系", "section", [])]),
        ],
    ),
    (
        "skipped levels keep the levels that are there",
        SKIPPED_LEVELS,
        [
            (
                "一、",
                "总体要求",
                "part",
                [("1.", "指导思想", "item", []), ("2.", "基本原则", "item", [])],
            ),
            (
                "二、",
                "主要任务",
                "part",
                [("(1)", "做强先进制造业", "item", []), ("(2)", "培育新兴产业", "item", [])],
            ),
        ],
    ),
    (
        "full- and half-width brackets are one rung",
        MIXED_BRACKETS,
        [
            (
                "一、",
                "重点任务",
                "part",
                [
                    ("(一)", "稳定经济增长", "section", []),
                    ("（二）", "扩大有效需求", "section", []),
                    (
                        "(三)",
                        "深化改革开放",
                        "section",
                        [
                            ("(1)", "国资国企改革", "item", []),
                            ("（2）", "要素市场化改革", "item", []),
                        ],
                    ),
                ],
            )
        ],
    ),
    (
        "dash paragraphs are items titled by their first sentence",
        "一、主要目标\n——经济发展取得新成效。地区生产总值年均增长6%左右。\n"
        "——改革开放迈出新步伐。营商环境持续优化。\n二、重点任务\n",
        [
            (
                "一、",
                "主要目标",
                "part",
                [
                    ("——", "经济发展取得新成效", "item", []),
                    ("——", "改革开放迈出新步伐", "item", []),
                ],
            ),
            ("二、", "重点任务", "part", []),
        ],
    ),
    (
        "一是…二是… one per paragraph are siblings",
        "(一)稳定经济增长\n一是扩大有效投资。加大重点领域投入。\n二是促进消费扩容。培育消费热点。\n"
        "(二)深化改革\n",
        [
            (
                "(一)",
                "稳定经济增长",
                "section",
                [("一是", "扩大有效投资", "item", []), ("二是", "促进消费扩容", "item", [])],
            ),
            ("(二)", "深化改革", "section", []),
        ],
    ),
    (
        "a title ends at a colon close to its marker",
        "一、总体要求\n1.指导思想:高举伟大旗帜,坚持稳中求进。\n2.主要目标：到2030年城镇化率达到65%。\n",
        [
            (
                "一、",
                "总体要求",
                "part",
                [("1.", "指导思想", "item", []), ("2.", "主要目标", "item", [])],
            )
        ],
    ),
    (
        "an enumeration like 二、三产业 is not a heading",
        "一、总体要求\n推动一、二、三产业融合发展。\n二、三产业协同发展水平明显提升。\n二、主要任务\n",
        [("一、", "总体要求", "part", []), ("二、", "主要任务", "part", [])],
    ),
    (
        "a 专栏 box holds its numbered lines and (一) closes it",
        "第五章 建设现代化产业体系\n(一)做强制造业。\n专栏1 重大工程\n1.地铁三号线工程。\n"
        "2.浑南科技城。\n(二)发展服务业。\n",
        [
            (
                "第五章",
                "建设现代化产业体系",
                "chapter",
                [
                    (
                        "(一)",
                        "做强制造业",
                        "section",
                        [
                            (
                                "专栏1",
                                "重大工程",
                                "paragraph",
                                [
                                    ("1.", "地铁三号线工程", "item", []),
                                    ("2.", "浑南科技城", "item", []),
                                ],
                            )
                        ],
                    ),
                    ("(二)", "发展服务业", "section", []),
                ],
            )
        ],
    ),
]


@pytest.mark.parametrize(("why", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_ladder_cases(why: str, text: str, expected: list) -> None:
    outline = parse_text(text)
    assert shape(outline.children, {"part", "chapter", "section", "item", "paragraph"}) == expected


def test_plan_layout_chapters_sections_and_paragraph_measures() -> None:
    outline = parse_text(PLAN_TEXT)
    assert outline.title == "某市国民经济和社会发展第十五个五年规划纲要"
    chapters = outline.children
    assert [(c.marker, c.title, c.kind) for c in chapters] == [
        ("第一章", "发展环境", "chapter"),
        ("第二章", "建设现代化产业体系", "chapter"),
        ("第三章", "增进民生福祉", "chapter"),
    ]
    first, second = chapters[1].children
    assert (first.marker, first.title, first.kind) == ("第一节", "推进新型工业化", "section")
    assert [(m.kind, m.title) for m in first.children] == [
        ("measure", "做强先进制造业"),
        ("measure", "培育新兴产业"),
    ]
    assert [t.value for t in first.children[0].targets] == [32.0]
    assert [(i.marker, i.kind) for i in second.children] == [("一、", "item"), ("二、", "item")]
    assert [i.marker for i in second.children[0].children] == ["(一)", "(二)"]
    kinds = [t.kind for t in chapters[2].targets]
    assert kinds == ["rate_in_step", "at_most", "cumulative_reduction"]
    assert chapters[2].targets[2].binding
    assert [n.id for n in outline.walk()][:4] == ["1", "2", "2.1", "2.1.1"]


MARKDOWN = """\
---
title: 某市“十五五”规划纲要
date: 2026-01-10
---

# 某市“十五五”规划纲要

![封面](cover.png)

## 目录

- [第一章 总体要求](#ch1)
- [第二章 重点任务](#ch2)

## 第一章 总体要求

到2030年,常住人口城镇化率达到65%。

## 第二章 重点任务

### 第一节 推进新型工业化

**加快推进新型工业化**。实施制造业重点产业链高质量发展行动,推进[智能制造](https://example.org)。

**做强新材料产业**。发展高端金属材料。
"""

HTML = """<!DOCTYPE html><html><head><title>x</title><style>p{color:red}</style></head><body>
<nav>首页 | 政策</nav>
<h1>某市“十五五”规划纲要</h1>
<h2>第一章 总体要求</h2><p>到2030年,常住人口城镇化率达到65%。</p>
<h2>第二章 重点任务</h2>
<h3>第一节 推进新型工业化</h3>
<p><strong>加快推进新型工业化</strong>。实施制造业重点产业链高质量发展行动。</p>
<p><strong>做强新材料产业</strong>。发展高端金属材料。</p>
<script>var a = "第三章 假标题";</script>
</body></html>"""


@pytest.mark.parametrize(("name", "content"), [("plan.md", MARKDOWN), ("plan.html", HTML)])
def test_web_copies_read_each_heading_once(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    outline = parse_file(path)
    assert outline.title == "某市“十五五”规划纲要"
    chapters = outline.children
    assert [(c.marker, c.title) for c in chapters] == [
        ("第一章", "总体要求"),
        ("第二章", "重点任务"),
    ]
    section = chapters[1].children[0]
    assert (section.marker, section.title) == ("第一节", "推进新型工业化")
    assert [m.title for m in section.children] == ["加快推进新型工业化", "做强新材料产业"]
    assert [t.value for t in chapters[0].targets] == [65.0]
    assert "cover.png" not in outline.children[0].text


def test_hard_wrapped_text_with_page_numbers_keeps_headings_and_sentences(sample_text: str) -> None:
    lines = wrap(sample_text, 37)
    pasted: list[str] = []
    for i in range(0, len(lines), 30):  # a page of 30 lines, a running head and a page number
        pasted += ["某市委办公厅文件", *lines[i : i + 30], f"- {i // 30 + 1} -"]
    wrapped = parse_text("\n".join(pasted))
    original = parse_text(sample_text)
    assert _titles(wrapped) == _titles(original)
    assert "某市委办公厅文件" not in wrapped.children[1].text


def _titles(outline: Outline) -> list[tuple[str, str | None]]:
    return [(n.kind, n.title) for n in outline.walk() if n.kind != "measure"]


def test_progress_is_reported_while_a_long_document_is_outlined(sample_text: str) -> None:
    path_text = sample_text * 40  # about 700 KB
    seen: list[tuple[int, int]] = []
    outline = parse_source(
        SourceText(text=path_text, source="long.txt", format="text"),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(seen) >= 3
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1] == (len(path_text), len(path_text))
    assert outline.chars == len(path_text)
