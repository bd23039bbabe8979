"""Start the real local server (`handler.local:app`), or the whole local stack `make run` starts,
and Debian's Chromium for the page tests.

Playwright cannot download its own browsers here, so it drives the `chromium` binary from
Debian's package; `make system-deps` installs it. Each launch gets a fresh temporary profile.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

from bench.kit.local_server import APP, REPO, free_port, log_tail
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
STACK_START_S = 120.0
"""Longest wait for the local stack: moto, the trigger, the workers and uvicorn all start at once."""
STACK_STOP_S = 60.0


@contextlib.contextmanager
def local_server(app: str = APP, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """The local server (`bench/kit/local_server.py`) once it serves the page; yields its base URL."""
    with run_local_server(app, env, ready_path="/") as (base_url, _):
        yield base_url


@contextlib.contextmanager
def local_stack(workers: int = 1, env: Mapping[str, str] | None = None) -> Iterator[tuple[str, Path]]:
    """What `make run` starts (`python -m handler.local_stack`: moto's S3 and SQS, the trigger
    process, `workers` job workers, uvicorn with the page) on a free loopback port; yields its
    base URL and its log once /health says uploads work. Stopped with SIGINT, as Ctrl-C stops
    `make run`."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "handler.local_stack", "--port", str(port), "--workers", str(workers)]
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "stack.log"
        with log_path.open("wb") as log:
            stack = subprocess.Popen(
                command, cwd=REPO, env={**environment, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                _wait_for_uploads(base_url, stack, log_path)
                yield base_url, log_path
            finally:
                stack.send_signal(signal.SIGINT)
                try:
                    stack.wait(timeout=STACK_STOP_S)
                except subprocess.TimeoutExpired:
                    stack.kill()
                    stack.wait()


def _wait_for_uploads(base_url: str, stack: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STACK_START_S
    while time.monotonic() < deadline:
        if stack.poll() is not None:
            raise RuntimeError(f"the local stack exited with {stack.returncode}:\n{log_tail(log_path)}")
        with contextlib.suppress(httpx.HTTPError, ValueError):
            if httpx.get(f"{base_url}/health", timeout=2).json().get("uploads") is True:
                return
        time.sleep(0.3)
    raise TimeoutError(
        f"the local stack did not serve uploads within {STACK_START_S} s:\n{log_tail(log_path)}"
    )


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
    """A new context (own storage, English desktop, reduced motion unless told) with the page loaded.

    Uncaught page errors are collected in `page.crashes` (see `close_page`).
    """
    # Reduced motion: results appear in place at once (no smooth scroll) while a test measures them.
    options = {
        "viewport": DESKTOP,
        "locale": "en-US",
        "base_url": base_url,
        "reduced_motion": "reduce",
        **context_options,
    }
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
