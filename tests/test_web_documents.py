"""Documents on the upload page in Chromium: a multi-page PDF, a TIFF the browser cannot show,
and the page under a strict Content-Security-Policy."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, Route, expect

from bench.kit.render import encode, render_page
from tests.web.harness import WAIT_MS, wait_until_ready
from tests.web.page_helpers import (
    LINES,
    png_file,
    save_screenshot,
    squash,
    upload,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=WAIT_MS)


def test_multi_page_pdf_shows_each_page_with_its_lines(page: Page) -> None:
    first = render_page(["第一页 Page one"], size=40, width=700)
    second = render_page(["第二页 Page two", "合计 Total 42"], size=40, width=700)
    buffer = io.BytesIO()
    first.save(buffer, format="PDF", save_all=True, append_images=[second], resolution=100)

    page.set_input_files(
        "#file-input", {"name": "two.pdf", "mimeType": "application/pdf", "buffer": buffer.getvalue()}
    )

    expect(page.locator(".page-card")).to_have_count(2)
    expect(page.locator(".page-card h3").nth(1)).to_have_text("Page 2")
    first_page, second_page = page.locator(".page-card").nth(0), page.locator(".page-card").nth(1)
    expect(first_page.locator("li.line")).to_have_count(1)
    expect(second_page.locator("li.line")).to_have_count(2)
    assert "Total42" in squash(" ".join(second_page.locator(".line-text").all_inner_texts()))
    # No PDF renderer in the page: each page is drawn as a layout of its boxes and texts.
    expect(second_page.locator("svg.standalone .box")).to_have_count(2)
    expect(second_page.locator("svg.standalone .layout-text")).to_have_count(2)
    save_screenshot(page, "desktop-pdf.png")


def test_page_works_under_a_strict_content_security_policy(
    page: Page, server: str, two_lines_png: bytes
) -> None:
    # What a CDN in front of the web bucket may send: only this origin, no inline code or styles.
    policy = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )

    def with_policy(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.route(f"{server}/", with_policy)
    page.reload()
    wait_until_ready(page)

    upload(page, png_file(two_lines_png))

    expect(page.locator("li.line")).to_have_count(2)
    expect(page.locator(".overlay .box")).to_have_count(2)
    expect(page.locator(".stage img")).to_have_js_property("complete", True)
    assert page.locator(".stage img").evaluate("(img) => img.naturalWidth") > 0
    assert violations == []


def test_tiff_the_browser_cannot_show_falls_back_to_the_line_layout(page: Page) -> None:
    tiff = encode(render_page(LINES, size=40, width=760), "TIFF")

    page.set_input_files("#file-input", {"name": "scan.tiff", "mimeType": "image/tiff", "buffer": tiff})

    expect(page.locator("li.line")).to_have_count(2)
    expect(page.locator("svg.standalone .box")).to_have_count(2)
    expect(page.locator("svg.standalone .layout-text")).to_have_count(2)
    expect(page.locator(".stage img")).to_have_count(0)
