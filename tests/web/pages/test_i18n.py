"""The interface text: both catalogs complete, every key a template uses present."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luoshi.web.i18n import LANGUAGES, catalog, normalize_language, translate

TEMPLATES = Path(__file__).parents[3] / "src" / "luoshi" / "web" / "templates"
# t('key') in templates; keys built at run time (t('nav.' ~ key)) are checked by their prefix.
USE = re.compile(r"""\bt\(\s*'([a-z_.]+)'\s*[,)]""")
PREFIX = re.compile(r"""\bt\(\s*'([a-z_.]+\.)'\s*~""")


def used_keys() -> tuple[set[str], set[str]]:
    keys: set[str] = set()
    prefixes: set[str] = set()
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text("utf-8")
        keys.update(USE.findall(text))
        prefixes.update(PREFIX.findall(text))
    return keys, prefixes


def test_catalogs_have_the_same_keys() -> None:
    zh, en = set(catalog("zh")), set(catalog("en"))
    assert zh - en == set(), "missing in en.yaml"
    assert en - zh == set(), "missing in zh.yaml"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_used_by_a_template_exists(language: str) -> None:
    keys, prefixes = used_keys()
    assert keys, "no t('…') calls found: the pattern is out of date"
    assert sorted(keys - set(catalog(language))) == []
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in catalog(language)), prefix


@pytest.mark.parametrize(
    ("cookie", "language"),
    [(None, "zh"), ("", "zh"), ("en", "en"), ("EN-us", "en"), ("zh-CN", "zh"), ("fr", "zh")],
)
def test_language_choice(cookie: str | None, language: str) -> None:
    assert normalize_language(cookie) == language


@pytest.mark.parametrize(
    ("language", "key", "values", "text"),
    [
        ("zh", "nav.overview", {}, "总览"),
        ("en", "nav.overview", {}, "Overview"),
        ("en", "import.ok_rows", {"n": 3}, "Imported 3 rows."),
        ("en", "no.such.key", {}, "no.such.key"),
    ],
)
def test_translate(language: str, key: str, values: dict[str, object], text: str) -> None:
    assert translate(language, key, **values) == text
