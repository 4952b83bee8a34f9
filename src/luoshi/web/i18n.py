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


def _is_one(count: object) -> bool:
    try:
        return float(str(count)) == 1
    except ValueError:
        return False


def translate(language: str, key: str, /, **values: object) -> str:
    """The text of `key` in `language`, with `{name}` fields filled; the key itself if missing.

    A count `n` of exactly 1 picks the singular form `<key>_one` where the catalog has one
    (English "1 event", "2 events"; Chinese gives both forms the same text).

    >>> translate("en", "nav.overview")
    'Overview'
    >>> translate("en", "audit.count", n=1), translate("en", "audit.count", n=2)
    ('1 event', '2 events')
    """
    if "n" in values and _is_one(values["n"]):
        singular = f"{key}_one"
        text = catalog(language).get(singular) or catalog(DEFAULT_LANGUAGE).get(singular)
        if text:
            return text.format(**values)
    text = catalog(language).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def label(language: str, table: str, code: str) -> str:
    """The label of `code` in one of the catalog's label tables (e.g. "audit.actions"), else
    the code itself: data written before a label existed still shows."""
    return catalog(language).get(f"{table}.{code}") or code


def labels(language: str, table: str) -> dict[str, str]:
    """Every code of a label table with its label, in the catalog's order."""
    prefix = f"{table}."
    return {k[len(prefix) :]: v for k, v in catalog(language).items() if k.startswith(prefix)}
