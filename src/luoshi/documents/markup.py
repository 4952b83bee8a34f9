"""Markdown and HTML copies of a plan → the text the outline reads.

Government web pages and the Markdown copies people make of them carry front matter, image
links, link syntax, inline HTML and layout tags. What carries meaning is kept in one small
convention shared with the .docx reader: a heading line starts with `#` marks (one per level),
and a bold run-in headline is wrapped in `**…**`. Everything else becomes plain lines.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_FRONT_MATTER = re.compile(r"\A\ufeff?(?:---|\+\+\+)\n.*?\n(?:---|\+\+\+|\.\.\.)\n", re.S)
# Bounded repeats: an unclosed "[" must not make the scan quadratic.
_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,1000}\)")
_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\n]{0,1000}\)")
_BREAK_TAG = re.compile(r"<br\s*/?>|</?p\b[^>]*>|</?div\b[^>]*>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,200}>")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M)
_QUOTE = re.compile(r"^\s*>\s?", re.M)
_BULLET = re.compile(r"^\s*[-*+]\s+(?!\*)", re.M)
_HEADING = re.compile(r"^#{1,6}\s", re.M)

_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "table", "section", "article", "ul", "ol", "hr"}
_BLOCK_TAGS |= {"blockquote", "pre", "title", "header", "footer", "dd", "dt"}
_SKIP_TAGS = {"script", "style", "head", "nav", "noscript", "template"}


def sniff(text: str) -> str:
    """'html', 'markdown' or 'text', from the look of the first lines."""
    head = text[:4000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head):
        return "html"
    if _HEADING.search(text[:20000]) or _FRONT_MATTER.match(text):
        return "markdown"
    return "text"


def markdown_to_text(text: str) -> str:
    """Markdown → lines, keeping `#` heading marks and `**bold**` headlines."""
    text = _FRONT_MATTER.sub("", text, count=1)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _BREAK_TAG.sub("\n", text)
    text = _TAG.sub("", text)
    text = _RULE.sub("", text)
    text = _QUOTE.sub("", text)
    return _BULLET.sub("", text)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n" + "#" * int(tag[1]) + " ")
        elif tag in {"strong", "b"}:
            self.parts.append("**")
        elif tag in {"td", "th"}:
            self.parts.append(" | ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in {"strong", "b"}:
            self.parts.append("**")
        elif tag in _BLOCK_TAGS or re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data.replace("\n", " ") if data.strip() else data)


def html_to_text(text: str) -> str:
    """HTML → lines, headings as `#` lines, bold as `**…**`, scripts and styles dropped."""
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    out = "".join(parser.parts)
    return "\n".join(re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in out.split("\n"))
