"""Shared fixtures: one engine per test session (models load once, as in a warm Lambda)."""

from __future__ import annotations

import pytest

from ocr_core import OcrEngine


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    return OcrEngine()
