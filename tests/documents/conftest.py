"""Fixtures of the document-intake tests (the documents themselves: document_builders.py)."""

from __future__ import annotations

import pytest
from document_builders import SAMPLE


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")
