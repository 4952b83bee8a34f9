"""Every supported format and encoding reads into the same outline; bad files say what is wrong."""

from __future__ import annotations

import codecs
from pathlib import Path

import opencc
import pytest
from document_builders import SAMPLE, write_docx, write_pdf, write_scanned_pdf

from luoshi.documents import parse_file, read_document, to_simplified
from luoshi.documents.export import to_markdown
from luoshi.errors import DocumentError

TEXT = SAMPLE.read_text("utf-8")
SECTION_TITLES = [
    "对标对表“十五五”主要目标,科学谋划我市高质量发展的实践路径",
    "聚焦建设现代化产业体系,筑牢我市全面振兴的“四梁八柱”",
]

ENCODINGS = [
    # (how the bytes are made, the encoding luoshi reports)
    (lambda t: t.encode("utf-8"), "utf-8"),
    (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8 (BOM)"),
    (lambda t: t.encode("utf-16"), "utf-16-le (BOM)"),
    (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16-be (BOM)"),
    (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    (lambda t: t.encode("gb18030"), "gb18030"),
    (lambda t: t.replace("“", '"').replace("”", '"').encode("gbk"), "gb18030"),
]


@pytest.mark.parametrize(
    ("encode", "reported"), ENCODINGS, ids=[e[1] + str(i) for i, e in enumerate(ENCODINGS)]
)
def test_text_in_every_encoding_gives_the_same_outline(
    tmp_path: Path, encode, reported: str
) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(encode(TEXT))
    source = read_document(path)
    assert source.encoding == reported
    outline = parse_file(path)
    sections = [n.title for n in outline.walk() if n.kind == "section"]
    assert len(sections) == 10
    assert sections[0].replace('"', "“", 1).replace('"', "”", 1) == SECTION_TITLES[0]
    assert outline.counts()["item"] == 25


@pytest.mark.parametrize("encoding", ["utf-8", "big5"])
def test_traditional_text_keeps_its_characters_and_matches_on_simplified(
    tmp_path: Path, encoding: str
) -> None:
    traditional = opencc.OpenCC("s2t").convert(TEXT)
    path = tmp_path / "plan-tw.txt"
    path.write_bytes(traditional.encode(encoding, errors="replace"))
    outline = parse_file(path)
    assert outline.traditional
    sections = [n for n in outline.walk() if n.kind == "section"]
    assert len(sections) == 10
    assert outline.counts()["item"] == 25
    first = sections[1].title or ""
    assert "聚焦建設現代化產業體系" in first  # the original characters are kept
    assert to_simplified(first).startswith("聚焦建设现代化产业体系")
    assert outline.counts()["measure"] >= 60
    assert any(t.kind == "rate_above" for _, t in outline.targets())


def test_to_simplified_keeps_offsets() -> None:
    for text in ["經濟發展取得新成效", "臺灣的「十五五」規劃", "乾隆皇帝", "後來"]:
        simple = to_simplified(text)
        assert len(simple) == len(text)
    assert to_simplified("經濟發展") == "经济发展"


@pytest.mark.parametrize(
    "text",
    [
        "全面覆盖城乡,及时回覆群众来信",  # 回覆 is a phrase rule; 覆盖 stays
        "深入瞭解企业需求\n沈默的大多数\n藉口",  # phrase rules on separate lines
        "經濟發展\n经济发展\n规划纲要",  # a traditional line among simplified ones
        "英哩、衹得、甦醒、毛坏",
        "第一章\n" + "後來發展\n" * 40 + "经济",  # many lines to convert
    ],
)
def test_to_simplified_converts_only_what_opencc_would(text: str) -> None:
    assert to_simplified(text) == opencc.OpenCC("t2s").convert(text)


def test_docx_numbering_headings_bold_leads_and_indicator_table(tmp_path: Path) -> None:
    outline = parse_file(write_docx(tmp_path / "plan.docx"))
    assert outline.format == "docx"
    assert outline.title == "某市“十五五”规划纲要(摘要)"
    parts = outline.children
    assert [(p.marker, p.title) for p in parts] == [("一、", "主要目标"), ("二、", "重点任务")]
    sections = parts[1].children
    assert [(s.marker, s.title, s.kind) for s in sections] == [
        ("(一)", "建设现代化产业体系", "section"),
        ("(二)", "扩大有效投资", "section"),
    ]
    assert [m.title for m in sections[0].children] == ["做强先进制造业", "培育新兴产业"]
    assert all(m.kind == "measure" for m in sections[0].children)
    assert [(i.marker, i.title) for i in sections[1].children] == [
        ("1.", "聚焦关键领域投入"),
        ("2.", "强化要素保障"),
    ]
    kinds = {t.kind for _, t in outline.targets()}
    assert {"avg_rate_at_least", "level"} <= kinds
    rows = {r["name"]: r for r in outline.indicators}
    assert set(rows) == {"地区生产总值增长", "单位地区生产总值能耗降低", "常住人口城镇化率"}
    gdp = rows["地区生产总值增长"]
    assert (gdp["kind"], gdp["target"], gdp["base_year"], gdp["base_value"]) == (
        "avg_rate_at_least",
        5.0,
        2025,
        5.5,
    )
    energy = rows["单位地区生产总值能耗降低"]
    assert (energy["kind"], energy["target"], energy["attribute"]) == (
        "cumulative_reduction",
        13.5,
        "binding",
    )
    urban = rows["常住人口城镇化率"]
    assert (urban["kind"], urban["target"], urban["target_year"], urban["direction"]) == (
        "level",
        65.0,
        2030,
        "up",
    )
    assert "地铁三号线 | 浑南区" in outline.children[1].text
    markdown = to_markdown(outline)
    assert "| I02 | 单位地区生产总值能耗降低 | % | binding | 2025 | 2030 [13.5] |" in markdown


def test_pdf_text_layer_without_headers_page_numbers_or_broken_lines(tmp_path: Path) -> None:
    pages = [
        [
            "二、紧扣我市振兴发展关键任务,以全会精神指引推进中国式现代化我市",
            "实践",
            "学习贯彻全会精神,核心在落实,关键看行动。我们必须将宏伟蓝图转化为务实举",
            "措和显著成效。",
            "(一)聚焦建设现代化产业体系,筑牢我市全面振兴的“四梁八柱”。全会强调坚持把",
            "发展经济的着力点放在实体经济上。一是巩固提升优势支柱产业,打造“大国重器”",
        ],
        [
            "脊梁。坚定不移实施“制造强市”战略。做强做大高端装备制造产业集群。聚焦航空",
            "、机床、机器人等优势领域,支持头部企业提升核心竞争力。做强新材料产业。依托",
            "金属所等技术优势,发展高端金属材料等。二是培育壮大战略性新兴产业,开辟振兴发",
            "展的“新航道”。到2030年常住人口城镇化率达到65%。",
        ],
        [
            "三、坚持和加强党的全面领导",
            "实现宏伟蓝图,关键在党。",
        ],
    ]
    outline = parse_file(write_pdf(tmp_path / "plan.pdf", pages))
    assert outline.format == "pdf"
    assert "某市人民政府文件" not in outline.children[0].text
    assert "- 2 -" not in outline.children[0].text
    part = outline.children[0]
    assert part.title == "紧扣我市振兴发展关键任务,以全会精神指引推进中国式现代化我市实践"
    section = part.children[0]
    assert section.title == "聚焦建设现代化产业体系,筑牢我市全面振兴的“四梁八柱”"
    items = [c for c in section.children if c.kind == "item"]
    assert [i.title for i in items] == [
        "巩固提升优势支柱产业,打造“大国重器”脊梁",
        "培育壮大战略性新兴产业,开辟振兴发展的“新航道”",
    ]
    assert [m.title for m in items[0].children][:3] == [
        "坚定不移实施“制造强市”战略",
        "做强做大高端装备制造产业集群",
        "做强新材料产业",
    ]
    assert [t.value for t in items[1].targets] == [65.0]
    assert [p.marker for p in outline.children] == ["二、", "三、"]


BAD_FILES = [
    ("empty.txt", b"", "文件为空"),
    ("blank.txt", b" \n\t\n", "文件为空"),
    ("binary.txt", bytes(range(256)) * 8, "不是文本文件"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".doc"),
    ("broken.docx", b"PK\x03\x04" + b"\0" * 100, "Word"),
    ("broken.pdf", b"%PDF-1.4\n garbage", "PDF"),
]


@pytest.mark.parametrize(("name", "data", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_name_the_file_and_the_problem(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert caught.value.where == str(path)
    assert words in caught.value.message


def test_scanned_pdf_says_it_has_no_text_layer(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="没有文字层"):
        read_document(write_scanned_pdf(tmp_path / "scan.pdf"))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="文件不存在"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match="目录"):
        read_document(tmp_path)
