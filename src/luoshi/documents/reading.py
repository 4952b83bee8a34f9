"""Bytes → text: find out what a file is and decode it without asking the user.

Planning offices receive plans as Word files, PDFs printed from Word, web pages saved as text,
and plain text in whatever encoding the sender's system used (GB18030/GBK on Chinese Windows,
UTF-16 from Notepad's "Unicode", UTF-8 with or without BOM, Big5 for traditional text). The
file's first bytes decide the reader (not its name); text encodings are tried from the most
certain (BOM) to the least (statistical guess by charset-normalizer).
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from luoshi.documents import layout, markup
from luoshi.documents.chinese import is_traditional, to_simplified
from luoshi.documents.model import SourceText
from luoshi.errors import DocumentError

MAX_BYTES = 64 * 1024 * 1024
"""Largest file read (64 MB): a full 纲要 as .docx or .pdf is a few MB."""

SHORT_BYTES = 64
"""Below this size a text that reads as both GB18030 and Big5 is taken as GB18030 (too short
for a statistical guess; mainland documents are the common case)."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters other than tab, newline, carriage return and form feed mean binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")

# Characters ordinary text is made of: CJK, CJK punctuation, full-width forms, ASCII, Latin-1.
_TEXTLIKE = re.compile(
    r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\x20-\x7e\s\u00a0-\u00ff]"
)

_SUFFIX_FORMAT = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def read_document(path: str | Path) -> SourceText:
    """Read a .txt/.md/.html/.docx/.pdf file into cleaned text; DocumentError names the problem."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(
                f"文件过大({size // 1048576} MB,上限 {MAX_BYTES // 1048576} MB) file too large",
                where=name,
            )
        data = path.read_bytes()
    except IsADirectoryError:
        raise DocumentError("这是一个目录,不是文件 is a directory", where=name) from None
    except FileNotFoundError:
        raise DocumentError("文件不存在 file not found", where=name) from None
    except PermissionError:
        raise DocumentError("没有读取权限 permission denied", where=name) from None
    except OSError as exc:
        raise DocumentError(f"无法读取 cannot read ({exc.strerror})", where=name) from None
    return read_bytes(data, name, suffix=path.suffix.lower())


def read_bytes(data: bytes, name: str, suffix: str = ".txt") -> SourceText:
    """Read a document held in memory; `name` is used in messages and as the source."""
    if not data.strip():
        raise DocumentError("文件为空 empty file", where=name)
    if data.startswith(b"%PDF"):
        from luoshi.documents.pdf import read_pdf

        return _finish(layout.join_pages(read_pdf(data, name)), name, "pdf", None)
    if data.startswith(b"PK\x03\x04"):
        from luoshi.documents.docx import read_docx

        text, rows = read_docx(data, name)
        return _finish(text, name, "docx", None, rows)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(
            "旧版 Word(.doc)或 Excel 文件无法读取,请另存为 .docx old .doc format, save as .docx",
            where=name,
        )
    text, encoding = decode(data, name)
    fmt = _SUFFIX_FORMAT.get(suffix) or markup.sniff(text)
    if fmt == "html":
        text = markup.html_to_text(text)
    elif fmt == "markdown":
        text = markup.markdown_to_text(text)
    return _finish(layout.clean(text), name, fmt, encoding)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode text bytes, detecting the encoding: returns (text, encoding name)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding), name), encoding + " (BOM)"
            except UnicodeDecodeError as exc:
                raise _bad_bytes(name, encoding, exc) from None
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    if len(data) % 2 == 0:
        for encoding in ("utf-16-le", "utf-16-be"):
            text = _try(data, encoding)
            if text is not None and _textlike(text) >= 0.95:
                return _checked(text, name), encoding
    if b"\x00" in data:
        raise DocumentError("这不是文本文件(含二进制数据) not a text file: binary data", where=name)
    gb = _try(data, "gb18030")
    big5 = _try(data, "big5")
    if gb is not None and (big5 is None or len(data) < SHORT_BYTES):
        return _checked(gb, name), "gb18030"
    guess = from_bytes(data[:200_000]).best()
    if guess is not None and guess.encoding:
        text = _try(data, guess.encoding)
        if text is not None and _textlike(text) >= 0.9:
            return _checked(text, name), guess.encoding
    if gb is not None:
        return _checked(gb, name), "gb18030"
    raise DocumentError(
        "无法识别文本编码(支持 UTF-8、UTF-16、GB18030/GBK、Big5) unknown text encoding", where=name
    )


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _textlike(text: str) -> float:
    sample = text[:20_000]
    if not sample:
        return 0.0
    return len(_TEXTLIKE.findall(sample)) / len(sample)


def _checked(text: str, name: str) -> str:
    sample = text[:100_000]
    bad = len(_CONTROL.findall(sample))
    if bad and bad * 100 > len(sample):
        raise DocumentError("这不是文本文件(含二进制数据) not a text file: binary data", where=name)
    return _CONTROL.sub("", text) if bad or "\x00" in text else text


def _bad_bytes(name: str, encoding: str, exc: UnicodeDecodeError) -> DocumentError:
    return DocumentError(
        f"按 {encoding} 解码失败,第 {exc.start} 字节 cannot decode byte {exc.start} as {encoding}",
        where=name,
    )


def _finish(
    text: str,
    name: str,
    fmt: str,
    encoding: str | None,
    rows: tuple[dict[str, object], ...] = (),
) -> SourceText:
    if not text.strip():
        raise DocumentError("文件中没有可读的文字 no readable text in the file", where=name)
    simplified = to_simplified(text)
    return SourceText(
        text=text,
        source=name,
        format=fmt,
        encoding=encoding,
        traditional=is_traditional(text, simplified),
        indicator_rows=rows,
        simplified=simplified,
    )
