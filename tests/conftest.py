"""Shared fixtures: one engine per test session (models load once, as in a warm Lambda)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ocr_core import OcrEngine

if TYPE_CHECKING:
    from playwright.sync_api import Browser

FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    return OcrEngine()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Fake credentials and a region, and no profile or endpoint from the developer's shell:
    S3 tests talk to moto only, never to a real account."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    for name, value in FAKE_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    return FAKE_AWS_ENV


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, one per module (Playwright's download is unreachable)."""
    from tests.web.harness import CHROMIUM, chromium_available, chromium_browser

    if not chromium_available():
        pytest.skip(f"{CHROMIUM} is missing: run `make system-deps` (Debian's chromium package)")
    with chromium_browser() as launched:
        yield launched
