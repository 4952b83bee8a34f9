"""The docs cover every setting, permission and service function.

Regenerate with `python tests/web/test_service_docs.py`: docs/settings.md holds the table of
Settings fields, docs/security.md the permission table and docs/services.md the list of service
functions, each generated from the code between marker comments.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import luoshi.services
from luoshi.services.permissions import PERMISSIONS, ROLE_NAMES
from luoshi.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"
DOC = DOCS / "settings.md"
SECURITY = DOCS / "security.md"
SERVICES = DOCS / "services.md"
REGENERATE = "run python tests/web/test_service_docs.py"


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


def service_functions() -> dict[str, list[tuple[str, str, str]]]:
    """Public functions of every luoshi.services module: {module: [(name, signature, doc)]}."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for info in pkgutil.iter_modules(luoshi.services.__path__):
        module = importlib.import_module(f"luoshi.services.{info.name}")
        rows = []
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            doc = (inspect.getdoc(fn) or "").split("\n")[0]
            rows.append((name, str(inspect.signature(fn)), doc))
        if rows:
            found[module.__name__] = rows
    return found


def services_list() -> str:
    """The Markdown list of service functions, one section per module."""
    parts = []
    for module, rows in service_functions().items():
        doc = (inspect.getdoc(importlib.import_module(module)) or "").split("\n")[0]
        lines = [f"### {module}", "", doc, ""] if doc else [f"### {module}", ""]
        lines += [f"- `{name}{sig}`  \n  {line}" for name, sig, line in rows]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def regenerate(path: Path, name: str, table: str) -> None:
    """Replace the table between `<!-- name:begin -->` and `<!-- name:end -->` in `path`."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    head, rest = path.read_text(encoding="utf-8").split(begin)
    _, tail = rest.split(end)
    path.write_text(f"{head}{begin}\n{table}\n{end}{tail}", encoding="utf-8")


def test_every_permission_is_documented():
    text = SECURITY.read_text(encoding="utf-8")
    missing = [p.action for p in PERMISSIONS if f"`{p.action}`" not in text]
    assert missing == [], (
        f"undocumented actions {missing}: run python tests/web/test_service_docs.py"
    )


def test_every_setting_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [n for n in Settings.model_fields if f"`LUOSHI_{n.upper()}`" not in text]
    assert missing == [], (
        f"undocumented settings {missing}: run python tests/web/test_service_docs.py"
    )


def test_every_service_function_is_documented():
    text = SERVICES.read_text(encoding="utf-8")
    missing = [
        f"{module}.{name}"
        for module, rows in service_functions().items()
        for name, _, _ in rows
        if f"`{name}(" not in text
    ]
    assert missing == [], f"undocumented {missing}: {REGENERATE}"


def test_every_setting_has_help():
    assert [n for n, f in Settings.model_fields.items() if not f.description] == []


if __name__ == "__main__":
    regenerate(DOC, "settings", settings_table())
    regenerate(SECURITY, "permissions", permissions_table())
    regenerate(SERVICES, "services", services_list())
    print(f"wrote {DOC}, {SECURITY} and {SERVICES}")
