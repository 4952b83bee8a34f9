"""The fonts of a Chinese official document, by role, and the open fonts that stand in for them.

GB/T 9704-2012 sets the title in 小标宋, the body in 仿宋, first-level headings in 黑体 and
second-level headings in 楷体. A .docx names the customary fonts (Word and WPS use them where
installed); a PDF must embed real font files, so each role also lists open fonts of the same
style, found through the system's fontconfig. Debian/Ubuntu: `apt-get install fonts-noto-cjk
fonts-arphic-ukai`. Noto Serif/Sans CJK are required; AR PL UKai (a 楷体) is optional and the
serif stands in for it when missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from luoshi.errors import ConfigError

# Latin letters and digits in official documents are customarily set in Times New Roman.
LATIN_FONT = "Times New Roman"


@dataclass(frozen=True)
class FontRole:
    """One typographic role: the font Word should use and the open fonts a PDF embeds."""

    key: str
    customary: str  # eastAsia font name written into the .docx
    open_fonts: tuple[str, ...]  # fontconfig family names, first found wins
    required: str  # the open font that must exist; the others are optional upgrades
    package: str  # Debian package that provides `required`


ROLES: dict[str, FontRole] = {
    role.key: role
    for role in (
        FontRole(
            "title", "方正小标宋简体", ("Noto Serif CJK SC",), "Noto Serif CJK SC", "fonts-noto-cjk"
        ),
        FontRole("body", "仿宋", ("Noto Serif CJK SC",), "Noto Serif CJK SC", "fonts-noto-cjk"),
        FontRole("heading1", "黑体", ("Noto Sans CJK SC",), "Noto Sans CJK SC", "fonts-noto-cjk"),
        FontRole(
            "heading2",
            "楷体",
            ("AR PL UKai CN", "Noto Serif CJK SC"),
            "Noto Serif CJK SC",
            "fonts-noto-cjk",
        ),
        FontRole("table", "仿宋", ("Noto Serif CJK SC",), "Noto Serif CJK SC", "fonts-noto-cjk"),
    )
}


@cache
def _installed(family: str) -> bool:
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return False
    return True


def require_open_fonts() -> None:
    """Raise ConfigError naming every required CJK font that is not installed."""
    missing = sorted({r.required for r in ROLES.values() if not _installed(r.required)})
    if missing:
        packages = sorted({r.package for r in ROLES.values() if r.required in missing})
        raise ConfigError(
            f"缺少中文字体 {', '.join(missing)}，无法生成PDF和图表。请安装: "
            f"apt-get install {' '.join(packages)} (Debian/Ubuntu)；"
            "若刚安装，请删除 ~/.cache/matplotlib 后重试。"
            f"Missing CJK font {', '.join(missing)}.",
            where="fonts",
        )


def open_families(role: str) -> tuple[str, ...]:
    """The installed open fonts for a role, best first (the required one always included)."""
    r = ROLES[role]
    found = tuple(f for f in r.open_fonts if _installed(f))
    return found or (r.required,)


def css_stack(role: str, customary: bool = True) -> str:
    """A CSS font-family value: the customary font first (for screens), then the open fonts."""
    r = ROLES[role]
    names = ((r.customary,) if customary else ()) + (
        r.open_fonts if customary else open_families(role)
    )
    generic = "sans-serif" if "Sans" in r.required else "serif"
    return ", ".join(f'"{n}"' for n in names) + f", {generic}"
