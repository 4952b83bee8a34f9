"""Whatever it is given, intake ends with an outline or one DocumentError: no crash, no hang."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from document_builders import SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from luoshi.documents import Outline, parse_bytes, parse_text
from luoshi.errors import DocumentError

TEXT = SAMPLE.read_text("utf-8")
# Characters plans are made of, so random text reaches the ladder and target rules.
ALPHABET = st.sampled_from(
    list("一二三四五六七八九十是、。,，;；:：()（）【】[]“”——-#*>|0123456789.%年第章节篇专栏")
    + list("达到增长以上以内左右累计降低约束性高于同步提高控制在全国平均水平\n \t\u3000")
    + list("经濟發展做强产业推动建设①②③")
)
SECONDS_PER_DOCUMENT = 5.0

PROFILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(outline: Outline, text_length: int) -> None:
    ids = [n.id for n in outline.walk()]
    assert len(ids) == len(set(ids))
    for node in outline.walk():
        assert 0 <= node.span[0] <= node.span[1] <= outline.chars
        for target in node.targets:
            assert node.span[0] <= target.span[0] <= target.span[1] <= node.span[1]
    assert Outline.from_dict(outline.to_dict()).to_dict() == outline.to_dict()


@PROFILE
@given(st.text(alphabet=ALPHABET, max_size=3000))
def test_random_plan_like_text(text: str) -> None:
    started = time.perf_counter()
    outline = parse_text(text)
    assert time.perf_counter() - started < SECONDS_PER_DOCUMENT
    _check(outline, len(text))


@PROFILE
@given(st.text(max_size=2000))
def test_random_unicode_text(text: str) -> None:
    _check(parse_text(text), len(text))


@PROFILE
@given(
    st.lists(
        st.tuples(st.integers(0, len(TEXT)), st.integers(0, 400), st.text(ALPHABET, max_size=20)),
        min_size=1,
        max_size=30,
    )
)
def test_mangled_real_text(edits: list[tuple[int, int, str]]) -> None:
    text = TEXT
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut :]
    started = time.perf_counter()
    outline = parse_text(text)
    assert time.perf_counter() - started < SECONDS_PER_DOCUMENT
    _check(outline, len(text))


@PROFILE
@given(st.binary(max_size=4000), st.sampled_from(["x.txt", "x.md", "x.html", "x.docx", "x.pdf"]))
def test_random_bytes_give_an_outline_or_a_document_error(data: bytes, name: str) -> None:
    try:
        outline = parse_bytes(data, name)
    except DocumentError as exc:
        assert exc.where == name
        assert exc.message and "\n" not in exc.message
    else:
        _check(outline, len(data))


@pytest.mark.parametrize("prefix", [b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"])
@settings(max_examples=25, deadline=None)
@given(tail=st.binary(max_size=3000))
def test_random_bytes_behind_real_file_signatures(prefix: bytes, tail: bytes) -> None:
    try:
        parse_bytes(prefix + tail, "upload")
    except DocumentError as exc:
        assert exc.where == "upload"


def test_huge_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from luoshi.documents import reading

    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    with pytest.raises(DocumentError, match="文件过大"):
        reading.read_document(path)


# Inputs built to make a careless regex backtrack (quadratic or worse): each must stay fast.
HOSTILE = {
    "unclosed-links.md": "# 标题\n" + "[" * 50_000,
    "unclosed-images.md": "# 标题\n" + "![" * 50_000,
    "toc-spaces.txt": "目录\n第一章" + " " * 50_000 + "x\n正文。",
    "toc-digits.txt": "目录\n" + "1" * 50_000 + "\n正文。",
    "unclosed-tags.html": "<html><body>" + "<" * 50_000,
    "shi-run.txt": "一是" * 50_000,
    "markers-run.txt": "(一)" * 50_000,
    "digits-run.txt": "达到" + "1" * 50_000 + "%",
    "one-long-line.txt": "一、" + "经济" * 200_000,
    "front-matter.md": "---\n" + "a: b\n" * 50_000,
    "with-run.txt": "与" * 50_000 + "同步",
    "above-run.txt": "高于全国" * 50_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_finishes_quickly(name: str) -> None:
    started = time.perf_counter()
    with contextlib.suppress(DocumentError):
        parse_bytes(HOSTILE[name].encode("utf-8"), name)
    assert time.perf_counter() - started < SECONDS_PER_DOCUMENT
