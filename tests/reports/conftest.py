"""Fixtures shared by the report tests: one evaluated sample, rendered once per format."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date
from pathlib import Path

import pytest

from fixtures import *  # noqa: F403 - database fixtures for the reporting service tests
from luoshi.indicators.evaluation import Evaluation, evaluate
from luoshi.indicators.interchange import read_indicators, read_observations
from luoshi.reports import render, report_from_tables
from luoshi.reports.model import Report, TaskRecord

DATA = Path(__file__).parent.parent / "data" / "reports"
INDICATORS, OBSERVATIONS = DATA / "indicators.csv", DATA / "observations.csv"
YEAR = 2027

TASKS = (
    TaskRecord("建设国家级先进制造业集群", "现代化产业体系", "市工业和信息化局", "done"),
    TaskRecord(
        "推进城市更新行动",
        "城乡融合发展",
        "市住房城乡建设局",
        "late",
        due="2027-06-30",
        late_reason="征收补偿方案尚未批复",
    ),
    TaskRecord(
        "轨道交通3号线二期工程", "城乡融合发展", "市交通运输局", "on_track", is_project=True
    ),
    TaskRecord(
        "建设综合性科学中心",
        "科技创新",
        "市科技局",
        "late",
        is_project=True,
        late_reason="用地指标未落实",
    ),
    TaskRecord("完善养老服务体系", "民生保障", "市民政局", "not_started"),
)


def _require_or_skip() -> object:
    """tests/conftest.py::require_or_skip (a sub-folder conftest shadows `import conftest`)."""
    spec = importlib.util.spec_from_file_location(
        "luoshi_tests_conftest", Path(__file__).parent.parent / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.require_or_skip


@pytest.fixture(scope="session")
def poppler() -> None:
    """pdftoppm, pdffonts and pdftotext (Debian: poppler-utils); required under CI=true."""
    found = all(shutil.which(t) for t in ("pdftoppm", "pdffonts", "pdftotext"))
    _require_or_skip()(found, "poppler-utils (pdftoppm, pdffonts, pdftotext)")


@pytest.fixture(scope="session")
def cjk_fonts() -> None:
    """Noto Serif/Sans CJK (Debian: fonts-noto-cjk) for charts and PDF; required under CI=true."""
    from luoshi.errors import ConfigError
    from luoshi.reports.fonts import require_open_fonts

    try:
        require_open_fonts()
    except ConfigError as exc:
        _require_or_skip()(False, str(exc))


@pytest.fixture(scope="session")
def evaluations() -> list[Evaluation]:
    """The evaluation the report must agree with, computed directly."""
    indicators = read_indicators(INDICATORS)
    return evaluate(indicators, read_observations(OBSERVATIONS, indicators), YEAR)


@pytest.fixture(scope="session")
def report() -> Report:
    """A mid-term report of the test tables, with task progress."""
    return report_from_tables(
        INDICATORS,
        OBSERVATIONS,
        YEAR,
        "midterm",
        issuer="某市发展和改革委员会",
        on=date(2027, 11, 30),
        tasks=TASKS,
    )


@pytest.fixture(scope="session")
def docx_bytes(report: Report, cjk_fonts: None) -> bytes:
    return render(report, "docx")


@pytest.fixture(scope="session")
def pdf_bytes(report: Report, cjk_fonts: None) -> bytes:
    return render(report, "pdf")


@pytest.fixture(scope="session")
def html_text(report: Report, cjk_fonts: None) -> str:
    return render(report, "html").decode("utf-8")
