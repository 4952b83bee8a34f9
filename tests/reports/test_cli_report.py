"""`luoshi report` from interchange files: the file a user gets, and the one line when refused."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from luoshi.cli import _register, app
from luoshi.errors import LuoshiError

DATA = Path(__file__).parent.parent / "data" / "reports"
FILES = [
    "--indicators",
    str(DATA / "indicators.csv"),
    "--observations",
    str(DATA / "observations.csv"),
    "--year",
    "2027",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "from luoshi.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def test_docx_with_planner_narrative(tmp_path: Path, cjk_fonts: None) -> None:
    narrative = tmp_path / "edits.yaml"
    narrative.write_text("next_steps:\n  - （一）抓好研发投入。设立专项资金。\n", "utf-8")
    out = tmp_path / "reports" / "annual.docx"
    out.parent.mkdir()
    result = run(
        "report",
        *FILES,
        "--kind",
        "annual",
        "-o",
        str(out),
        "--narrative",
        str(narrative),
        "--issuer",
        "某市发展和改革委员会",
    )
    assert result.returncode == 0, result.stderr
    doc = Document(io.BytesIO(out.read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0].endswith("2027年实施情况监测报告")
    assert "五、下一步工作安排" in texts
    assert "（一）抓好研发投入。设立专项资金。" in texts
    assert list(out.parent.iterdir()) == [out]  # no temporary file left behind


def test_refusal_is_one_line_with_exit_status_2(tmp_path: Path) -> None:
    result = run("report", *FILES, "-o", str(tmp_path / "r.txt"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert "未知格式 'txt'" in result.stderr


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    _register()
    return CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2027", "-o", "{out}.docx"], "需要 --plan，或同时提供"),
        ([*FILES, "--kind", "weekly", "-o", "{out}.docx"], "未知报告类型 'weekly'"),
        ([*FILES, "--plan", "1", "-o", "{out}.docx"], "只能选其一"),
        ([*FILES, "--narrative", "{bad_yaml}", "-o", "{out}.docx"], "未知章节 'summary'"),
        (
            [
                "--indicators",
                "{binary}",
                "--observations",
                str(DATA / "observations.csv"),
                "--year",
                "2027",
                "-o",
                "{out}.pdf",
            ],
            "garbage.csv",
        ),
        ([*FILES, "--region", "东区", "-o", "{out}.html"], "没有地区“东区”"),
        ([*FILES[:-1], "2025", "-o", "{out}.docx"], "评估年份 2025 应晚于基期年 2025"),
        ([*FILES, "-o", "/proc/{out}.docx"], "无法写入"),
    ],
)
def test_bad_requests_name_the_problem_and_write_nothing(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    bad_yaml = tmp_path / "edits.yaml"
    bad_yaml.write_text("summary: 改写摘要\n", "utf-8")
    binary = tmp_path / "garbage.csv"
    binary.write_bytes(b"\x00\xff\x10PK\x03\x04" * 50)
    fill = {"out": str(tmp_path / "r"), "bad_yaml": str(bad_yaml), "binary": str(binary)}
    result = runner.invoke(app, ["report", *(a.format(**fill) for a in args)])
    assert isinstance(result.exception, LuoshiError), result.output
    assert message in str(result.exception)
    assert not list(tmp_path.glob("r*"))
