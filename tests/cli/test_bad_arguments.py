"""A missing file or an implausible year is one bilingual line and exit status 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "luoshi" / "data" / "samples"
IND, OBS = SAMPLES / "city-indicators.csv", SAMPLES / "city-observations.csv"
SPEECH = SAMPLES / "city-15th-fyp-speech.txt"


@pytest.fixture
def run(run_luoshi: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from luoshi.settings import get_settings

    monkeypatch.setenv("LUOSHI_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    get_settings.cache_clear()
    yield run_luoshi
    get_settings.cache_clear()


def one_line(code: int, err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1, err
    assert "Traceback" not in err and "Usage:" not in err
    return lines[0]


@pytest.mark.parametrize("what", ["plan", "indicators", "observations"])
def test_import_of_a_missing_file_or_a_folder(run, tmp_path: Path, what: str) -> None:
    plan = ["--plan", "1"] if what == "indicators" else []
    missing = tmp_path / "missing.csv"
    code, _, err = run("import", what, missing, *plan)
    line = one_line(code, err)
    assert str(missing) in line and "文件不存在 file not found" in line
    code, _, err = run("import", what, tmp_path, *plan)
    line = one_line(code, err)
    assert str(tmp_path) in line and "这是一个目录,不是文件 is a directory" in line


@pytest.mark.parametrize("year", ["0", "-5", "20266", "1948", "2101", "二〇二六"])
def test_an_implausible_year_is_refused(run, tmp_path: Path, year: str) -> None:
    evaluate = ("evaluate", "--indicators", IND, "--observations", OBS, "--year", year)
    out = tmp_path / "r.docx"
    report = ("report", "--indicators", IND, "--observations", OBS, "--year", year, "-o", out)
    start = ("import", "plan", SPEECH, "--start-year", year)
    for args, option in ((evaluate, "--year"), (report, "--year"), (start, "--start-year")):
        code, out_text, err = run(*args)
        line = one_line(code, err)
        assert line.startswith(f"错误 error: {option}: 年份应为 1949–2100") and repr(year) in line
        assert out_text == ""
    assert not out.exists()
    assert not (tmp_path / "db.sqlite").exists()  # refused before the database is opened


def test_a_plausible_year_is_taken(run) -> None:
    code, out, err = run("evaluate", "--indicators", IND, "--observations", OBS, "--year", "2026")
    assert code == 0, err
    assert out.startswith("[")
