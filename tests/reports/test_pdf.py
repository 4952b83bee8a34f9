"""The PDF report: pages render, CJK fonts are embedded, and the Chinese text extracts back."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from luoshi.reports.model import Report


@pytest.fixture(scope="module")
def pdf_file(pdf_bytes: bytes, tmp_path_factory: pytest.TempPathFactory, poppler: None) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(pdf_bytes)
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_every_page_has_ink(pdf_file: Path) -> None:
    _run("pdftoppm", "-r", "30", "-png", str(pdf_file), str(pdf_file.with_suffix("")))
    pages = sorted(pdf_file.parent.glob("report-*.png"))
    assert len(pages) >= 3
    for page in pages:
        grey = Image.open(page).convert("L")
        inked = sum(grey.histogram()[:230])  # a page with only its number inks ~0.1%
        assert inked > 0.01 * grey.width * grey.height, f"{page.name} looks blank"


def test_cjk_fonts_are_embedded(pdf_file: Path) -> None:
    fonts = _run("pdffonts", str(pdf_file)).splitlines()[2:]
    embedded = {line.split()[0].split("+")[-1] for line in fonts if " yes " in line}
    assert any("Noto-Serif-CJK" in f for f in embedded), fonts
    assert any("Noto-Sans-CJK" in f for f in embedded), fonts
    assert all(" yes " in line for line in fonts), "every font must be embedded"


def test_chinese_text_extracts_back(pdf_file: Path, report: Report) -> None:
    text = re.sub(r"\s+", "", _run("pdftotext", "-enc", "UTF-8", str(pdf_file), "-"))
    assert report.title in text
    assert report.summary in text
    assert "—1—" in text  # page number at the foot
    assert "\ufffd" not in text and "□" not in text


def test_page_is_a4(pdf_bytes: bytes) -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(io.BytesIO(pdf_bytes))
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
