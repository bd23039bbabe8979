"""Shared fixtures: one engine per test session (models load once, as in a warm Lambda)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ocr_core import OcrEngine
from tests.helpers.aws import use_fake_aws_env

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# No background model loading in the test process: which models are loaded must depend on the
# requests a test makes, not on a thread racing it. tests/test_preload.py covers preloading.
os.environ["OCR_PRELOAD"] = "0"


@pytest.fixture(scope="session")
def engine() -> OcrEngine:
    return OcrEngine()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Fake credentials and a region, and no profile or endpoint from the developer's shell:
    S3 tests talk to moto only, never to a real account."""
    return dict(use_fake_aws_env(monkeypatch))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, one per module (Playwright's download is unreachable)."""
    from tests.web.harness import CHROMIUM, chromium_available, chromium_browser

    if not chromium_available():
        pytest.skip(f"{CHROMIUM} is missing: run `make system-deps` (Debian's chromium package)")
    with chromium_browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The real local server (`handler.local:app` under uvicorn) on a free loopback port."""
    from tests.web.harness import local_server

    with local_server() as base_url:
        yield base_url


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh tab on the upload page of `server` (a module may bring its own server)."""
    from tests.web.harness import close_page, open_page

    page = open_page(browser, server)
    yield page
    close_page(page)


@pytest.fixture(scope="module")
def two_lines_png() -> bytes:
    """A PNG of the page tests' two rendered lines (`tests.web.page_helpers.LINES`)."""
    from tests.web.page_helpers import two_lines

    return two_lines()


@pytest.fixture(autouse=True)
def empty_result_cache() -> None:
    """Each test starts with an empty result cache: an answer cached by one test must not
    stand in for the inference (or the failure) another test is checking."""
    from handler.engine import result_cache

    result_cache.cache_clear()
