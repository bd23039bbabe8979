"""Start the real local server (`handler.local:app`) and Debian's Chromium for the page tests.

Playwright cannot download its own browsers here, so it drives the `chromium` binary from
Debian's package; `make system-deps` installs it. Each launch gets a fresh temporary profile.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

from bench.kit.local_server import APP, REPO
from bench.kit.local_server import local_server as run_local_server

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "tests" / "artifacts"
DESKTOP = {"width": 1280, "height": 900}
WAIT_MS = 60_000
"""Longest wait for anything on the page; the first OCR request of a server loads the models."""


@contextlib.contextmanager
def local_server(app: str = APP, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """The local server (`bench/kit/local_server.py`) once it serves the page; yields its base URL."""
    with run_local_server(app, env, ready_path="/") as (base_url, _):
        yield base_url


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


@contextlib.contextmanager
def chromium_browser() -> Iterator[Browser]:
    """Debian's Chromium under Playwright; each launch gets a fresh temporary profile."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Browser, base_url: str, **context_options: Any) -> Page:
    """A new context (own storage, English desktop unless told) with the upload page loaded.

    Uncaught page errors are collected in `page.crashes` (see `close_page`).
    """
    options = {"viewport": DESKTOP, "locale": "en-US", "base_url": base_url, **context_options}
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(WAIT_MS)
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    page.crashes = crashes  # type: ignore[attr-defined]
    page.goto("/")
    wait_until_ready(page)
    return page


def wait_until_ready(page: Page) -> None:
    """Wait until app.js has attached its handlers (a module script runs after the page shows)."""
    page.locator("html[data-ready=true]").wait_for(state="attached")


def close_page(page: Page) -> None:
    """Close the page's context and fail if the page threw an uncaught error meanwhile."""
    crashes: list[str] = page.crashes  # type: ignore[attr-defined]
    page.context.close()
    assert not crashes, f"uncaught errors in the page: {crashes}"
