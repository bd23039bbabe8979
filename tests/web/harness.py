"""Start the real local server (`handler.local:app`) and Debian's Chromium for the page tests.

Playwright cannot download its own browsers here, so it drives the `chromium` binary from
Debian's package; `make system-deps` installs it. Each launch gets a fresh temporary profile.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

REPO = Path(__file__).resolve().parents[2]
APP = "handler.local:app"
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
SERVER_START_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def local_server(app: str = APP, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Run `uvicorn <app>` on a free port in a subprocess; yield its base URL, stop it after."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_serving(base_url, process, log)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_serving(base_url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the local server exited with {process.returncode}:\n{_read(log)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"the local server did not serve / within {SERVER_START_TIMEOUT_S} s:\n{_read(log)}")


def _read(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-4000:]


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
