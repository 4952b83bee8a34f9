"""Interface language: one lookup function for every page, catalogs kept as data.

Chinese (zh) is the default; English (en) is available. The catalogs are YAML files in
luoshi/data/i18n/ (nested keys, flattened to dotted names). The user's choice lives in a cookie,
so no state is kept in a process and every worker answers the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES: tuple[str, ...] = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_COOKIE = "luoshi_lang"
# The value of <html lang> for each interface language.
HTML_LANG: Mapping[str, str] = {"zh": "zh-CN", "en": "en"}


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalog(language: str) -> dict[str, str]:
    """The message catalog of one language as a flat mapping of dotted keys to text."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown interface language: {language!r}")
    text = resources.files("luoshi").joinpath("data", "i18n", f"{language}.yaml").read_text("utf-8")
    return _flatten(yaml.safe_load(text) or {})


def normalize_language(value: str | None) -> str:
    """The supported language a cookie or header value asks for, else the default."""
    if value:
        short = value.strip().lower()[:2]
        if short in LANGUAGES:
            return short
    return DEFAULT_LANGUAGE


def translate(language: str, key: str, /, **values: object) -> str:
    """The text of `key` in `language`, with `{name}` fields filled; the key itself if missing.

    >>> translate("en", "nav.overview")
    'Overview'
    """
    text = catalog(language).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text
