"""The docs cover every setting and every permission (regenerate: python tests/web/test_docs.py).

docs/settings.md holds the table of Settings fields, docs/security.md the permission table;
both tables are generated from the code between marker comments.
"""

from __future__ import annotations

from pathlib import Path

from luoshi.services.permissions import PERMISSIONS, ROLE_NAMES
from luoshi.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"
DOC = DOCS / "settings.md"
SECURITY = DOCS / "security.md"


def settings_table() -> str:
    """The Markdown table of every setting: variable, default, meaning."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = "" if field.default is None else f"`{field.default}`"
        if name == "secret_key":
            default = "placeholder (development only)"
        help_text = (field.description or "").replace("|", "\\|")
        lines.append(f"| `LUOSHI_{name.upper()}` | {default} | {help_text} |")
    return "\n".join(lines)


def permissions_table() -> str:
    """The Markdown table of the permission table: action × role."""
    lines = [
        "| action | " + " | ".join(ROLE_NAMES) + " |",
        "|---|" + "---|" * len(ROLE_NAMES),
    ]
    for p in PERMISSIONS:
        cells = [
            ("own dept." if p.scope == "department" and r == "reporter" else "✓")
            if r in p.roles
            else ""
            for r in ROLE_NAMES
        ]
        lines.append(f"| `{p.action}` — {p.help} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def regenerate(path: Path, name: str, table: str) -> None:
    """Replace the table between `<!-- name:begin -->` and `<!-- name:end -->` in `path`."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    head, rest = path.read_text(encoding="utf-8").split(begin)
    _, tail = rest.split(end)
    path.write_text(f"{head}{begin}\n{table}\n{end}{tail}", encoding="utf-8")


def test_every_permission_is_documented():
    text = SECURITY.read_text(encoding="utf-8")
    missing = [p.action for p in PERMISSIONS if f"`{p.action}`" not in text]
    assert missing == [], f"undocumented actions {missing}: run python tests/web/test_docs.py"


def test_every_setting_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"`LUOSHI_{n.upper()}`" not in text]
    assert missing == [], f"undocumented settings {missing}: run python tests/web/test_docs.py"


def test_every_setting_has_help():
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []


if __name__ == "__main__":
    regenerate(DOC, "settings", settings_table())
    regenerate(SECURITY, "permissions", permissions_table())
    print(f"wrote {DOC} and {SECURITY}")
