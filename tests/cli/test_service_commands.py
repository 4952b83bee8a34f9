"""The service commands: db upgrade, import, user add, demo (each run as a real process)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from cli_process import luoshi_process

SAMPLE = Path(__file__).resolve().parents[2] / "src/luoshi/data/samples/city-15th-fyp-speech.txt"


@pytest.fixture
def run(tmp_path):
    env = {**os.environ, "LUOSHI_DATA_DIR": str(tmp_path), "LUOSHI_DATABASE_URL": ""}
    env.pop("LUOSHI_DATABASE_URL")

    def call(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return luoshi_process(*args, env=env, stdin=stdin)

    return call


def test_upgrade_then_import_a_plan_and_a_bad_table(run, tmp_path):
    first = run("db", "upgrade")
    assert first.returncode == 0 and "upgraded" in first.stdout
    assert "already up to date" in run("db", "upgrade").stdout

    plan = run("import", "plan", str(SAMPLE), "--start-year", "2026", "--end-year", "2030")
    assert plan.returncode == 0, plan.stderr
    assert "规划 plan 1" in plan.stdout and "nodes" in plan.stdout

    bad = tmp_path / "指标.csv"
    bad.write_text(
        "code,name,base_year,base_value,target_year,kind,target\n"
        "A1,好,2025,1,2030,level,2\nA2,坏,2025,1,2030,level,\nA3,坏,二〇二五,1,2030,level,3\n",
        encoding="utf-8",
    )
    result = run("import", "indicators", str(bad), "--plan", "1")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "第3行" in result.stderr and "第4行" in result.stderr
    assert "nothing stored" in result.stderr


def test_user_add_reads_the_password_from_stdin(run):
    ok = run(
        "user", "add", "li", "--role", "planner", "--password-stdin", stdin="a-long-password\n"
    )
    assert ok.returncode == 0, ok.stderr
    again = run(
        "user", "add", "li", "--role", "planner", "--password-stdin", stdin="a-long-password\n"
    )
    assert again.returncode == 2 and "Traceback" not in again.stderr
    bad_role = run("user", "add", "wang", "--role", "chief", "--password-stdin", stdin="x" * 9)
    assert bad_role.returncode == 2 and "chief" in bad_role.stderr


def test_demo_loads_every_part(run, tmp_path):
    result = run("demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    for word in ("nodes", "indicators", "observations", "task assignments", "reporter1"):
        assert word in result.stdout
    assert "年评估 evaluated" in result.stdout and "进度滞后" in result.stdout  # judged at load
    assert (tmp_path / "demo.sqlite3").exists()


def test_long_jobs_show_a_progress_bar_on_a_terminal_only(tmp_path):
    samples = SAMPLE.parent
    env = {**os.environ, "LUOSHI_DATA_DIR": str(tmp_path)}
    env.pop("LUOSHI_DATABASE_URL", None)
    terminal = {**env, "TTY_COMPATIBLE": "1"}  # Rich then treats stderr as a terminal
    assert luoshi_process("db", "upgrade", env=env).returncode == 0
    plan = luoshi_process("import", "plan", str(SAMPLE), "--start-year", "2026", env=env)
    assert plan.returncode == 0, plan.stderr
    table = luoshi_process(
        "import", "indicators", str(samples / "city-indicators.csv"), "--plan", "1", env=env
    )
    assert table.returncode == 0, table.stderr
    obs = str(samples / "city-observations.csv")
    shown = luoshi_process("import", "observations", obs, env=terminal)
    assert shown.returncode == 0, shown.stderr
    assert "写入 storing" in shown.stderr and "city-observations.csv" in shown.stderr
    assert "observations" in shown.stdout  # the summary line, as without a bar
    piped = luoshi_process("import", "observations", obs, env=env)
    assert piped.returncode == 0 and "storing" not in piped.stderr
    parsed = luoshi_process("parse", str(SAMPLE), "-f", "markdown", env=terminal)
    assert parsed.returncode == 0 and "解析 parsing" in parsed.stderr
