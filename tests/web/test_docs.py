"""docs/settings.md documents every setting (regenerate it: python tests/web/test_docs.py)."""

from __future__ import annotations

from pathlib import Path

from luoshi.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"


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


def test_every_setting_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"`LUOSHI_{n.upper()}`" not in text]
    assert missing == [], f"undocumented settings {missing}: run python tests/web/test_docs.py"


def test_every_setting_has_help():
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN)
    _, tail = rest.split(END)
    DOC.write_text(f"{head}{BEGIN}\n{settings_table()}\n{END}{tail}", encoding="utf-8")
    print(f"wrote {DOC}")
