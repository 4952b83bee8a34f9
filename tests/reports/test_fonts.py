"""Font roles: a missing required CJK font stops PDF and chart output with its name."""

from __future__ import annotations

import pytest

from luoshi.errors import ConfigError
from luoshi.reports import fonts, render
from luoshi.reports.model import Report


def test_every_role_names_a_customary_and_a_required_open_font() -> None:
    for role in fonts.ROLES.values():
        assert role.customary and role.required in role.open_fonts


def test_missing_font_is_named_before_anything_is_drawn(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "_installed", lambda family: family != "Noto Sans CJK SC")
    for fmt in ("pdf", "docx"):
        with pytest.raises(ConfigError, match=r"缺少中文字体 Noto Sans CJK SC，.*fonts-noto-cjk"):
            render(report, fmt)


def test_pdf_css_names_only_installed_open_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_installed", lambda family: family != "AR PL UKai CN")
    assert fonts.css_stack("heading2", customary=False) == '"Noto Serif CJK SC", serif'
    assert fonts.css_stack("heading2").startswith('"楷体", "AR PL UKai CN"')
