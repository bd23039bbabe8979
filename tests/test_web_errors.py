"""The upload page's errors in Chromium: what a user sees for a bad file, a network outage, a file
too large, and that the file is kept to try again."""

from __future__ import annotations

import random
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from bench.kit.bad_inputs import png_bomb
from bench.kit.render import encode
from tests.web.harness import WAIT_MS
from tests.web.page_helpers import (
    png_file,
    save_screenshot,
    set_config,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=WAIT_MS)


# ---- errors -----------------------------------------------------------------------------------


def test_non_image_file_shows_unsupported_type_and_keeps_the_file(page: Page) -> None:
    page.set_input_files(
        "#file-input", {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"just text"}
    )

    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error-message")).to_have_text(re.compile("not supported"))
    expect(page.locator("#error")).to_have_attribute("data-code", "unsupported_media_type")
    expect(page.locator("#file-name")).to_have_text("notes.txt")
    expect(page.locator("#retry-button")).to_be_visible()
    expect(page.locator("#results")).to_be_hidden()
    expect(page.locator("#progress")).to_be_hidden()
    save_screenshot(page, "desktop-error.png")


def test_corrupt_image_shows_could_not_be_read(page: Page, two_lines_png: bytes) -> None:
    page.set_input_files("#file-input", png_file(two_lines_png[: len(two_lines_png) // 3], "broken.png"))

    expect(page.locator("#error-message")).to_have_text(re.compile("could not be read"))
    expect(page.locator("#error")).to_have_attribute("data-code", "invalid_image")


def test_network_down_shows_message_and_retry_succeeds(page: Page, two_lines_png: bytes) -> None:
    page.route("**/ocr*", lambda route: route.abort("internetdisconnected"))
    page.set_input_files("#file-input", png_file(two_lines_png))
    expect(page.locator("#error-message")).to_have_text(re.compile("Cannot reach the OCR service"))

    page.unroute("**/ocr*")
    page.click("#retry-button")

    expect(page.locator("li.line")).to_have_count(2)
    expect(page.locator("#error")).to_be_hidden()


def test_file_over_the_sync_limit_without_upload_bucket_says_why(page: Page, two_lines_png: bytes) -> None:
    # Pretend the deploy set a tiny synchronous limit; the local server has no upload bucket.
    set_config(page, {"apiBase": "", "syncMaxBytes": 1000})

    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_input_files("#file-input", png_file(two_lines_png))

    expect(page.locator("#error-message")).to_have_text(re.compile("large-file uploads"))
    expect(page.locator("#file-name")).to_have_text("two-lines.png")
    assert not any("/uploads" in url or "/ocr" in url for url in requests)  # /health said so already


def test_file_over_the_servers_own_limit_is_not_sent_and_says_why(page: Page) -> None:
    # Noise does not compress: a PNG just over the server's 4.5 MB synchronous limit.
    noise = Image.frombytes("RGB", (1400, 1200), random.Random(5).randbytes(1400 * 1200 * 3))
    big = encode(noise)
    assert len(big) > 4_500_000
    set_config(page, {"apiBase": "", "syncMaxBytes": 100_000_000})  # the deploy would allow it
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    page.set_input_files("#file-input", png_file(big, "huge.png"))

    # GET /health said 4.5 MB and no uploads: the page says so instead of sending 4.5 MB for a 413.
    message = re.compile(r"Files over 4\.3 MB need large-file uploads")
    expect(page.locator("#error-message")).to_have_text(message)
    expect(page.locator("#file-name")).to_have_text("huge.png")
    assert not any("/ocr" in url for url in requests)


def test_image_too_large_for_the_api_shows_too_large(page: Page) -> None:
    # A few KB that declare 50,000 x 50,000 pixels: the server refuses it from the header (413).
    page.set_input_files("#file-input", png_file(png_bomb(), "bomb.png"))

    expect(page.locator("#error-message")).to_have_text(re.compile("too large"))
    expect(page.locator("#error")).to_have_attribute("data-code", "input_too_large")
    expect(page.locator("#file-name")).to_have_text("bomb.png")
