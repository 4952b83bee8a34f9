"""--help is bilingual everywhere, lists the choices, and every written file is announced alike."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "luoshi" / "data" / "samples"
IND, OBS = SAMPLES / "city-indicators.csv", SAMPLES / "city-observations.csv"
SPEECH = SAMPLES / "city-15th-fyp-speech.txt"
COMMANDS = [
    (),
    ("align",),
    ("assign",),
    ("db",),
    ("db", "current"),
    ("db", "upgrade"),
    ("demo",),
    ("evaluate",),
    ("import",),
    ("import", "indicators"),
    ("import", "observations"),
    ("import", "plan"),
    ("parse",),
    ("report",),
    ("serve",),
    ("user",),
    ("user", "add"),
]
WRITTEN = re.compile(r"^已写入 written: (?P<file>.+) \(\d+ (B|KB)\)$")


@pytest.fixture
def help_of(run_luoshi: Callable[..., Any], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLUMNS", "200")  # one line an option, so a line holds its whole help
    return lambda *command: run_luoshi(*command, "--help")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "luoshi")
def test_the_help_option_is_bilingual(help_of, command: tuple[str, ...]) -> None:
    code, out, _ = help_of(*command)
    assert code == 0
    line = next(line for line in out.splitlines() if "--help" in line)
    assert "显示帮助并退出 Show this message and exit." in line


def test_every_command_line_in_the_list_is_bilingual(help_of) -> None:
    out = help_of().out + help_of("db").out + help_of("import").out + help_of("user").out
    rows = [line for line in out.splitlines() if re.match(r"^│ [a-z]+ ", line)]
    assert len(rows) >= 15
    for row in rows:
        assert re.search(r"[\u4e00-\u9fff]", row) and re.search(r"\b[A-Z][a-z]+\b", row), row


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("evaluate", ["[fyp|sdg|both]", "[json|table|xlsx]"]),
        ("report", ["[docx|pdf|html]", "[annual|midterm|final]", "output format"]),
        ("parse", ["[json|markdown|xlsx]"]),
        ("align", ["[json|markdown|xlsx]"]),
        ("assign", ["[json|xlsx|docx]"]),
    ],
)
def test_choices_are_listed_in_both_languages(help_of, command: str, shown: list[str]) -> None:
    out = help_of(command).out
    assert "<str>" not in next(line for line in out.splitlines() if "--format" in line)
    for text in [*shown, "输出格式"]:
        assert text in out


def test_every_written_file_is_announced_in_one_bilingual_line(
    run_luoshi: Callable[..., Any], tmp_path: Path
) -> None:
    tables = ("--indicators", IND, "--observations", OBS, "--year", "2026")
    runs = [
        ("parse", SPEECH, "-o", tmp_path / "p.xlsx"),
        ("parse", SPEECH, "-o", tmp_path / "p.md"),
        ("evaluate", *tables, "-o", tmp_path / "e.xlsx"),
        ("evaluate", *tables, "-o", tmp_path / "e.txt"),
        ("assign", SPEECH, "-o", tmp_path / "a.docx"),
        ("align", "national-15th", "city-speech", "-o", tmp_path / "al.md"),
        ("report", *tables, "-o", tmp_path / "r.html"),
    ]
    for args in runs:
        code, out, err = run_luoshi(*args)
        assert code == 0, err
        assert out == ""
        match = WRITTEN.match(err.strip())
        assert match and match["file"] == str(args[-1]), err
        assert Path(match["file"]).stat().st_size > 0
