"""The upload page's option controls (built from GET /options) and export downloads, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.kit.render import encode, render_page
from ocr_core.options import OPTION_SPECS
from tests.helpers.pdfs import pdf_text
from tests.web.harness import WAIT_MS, close_page, open_page

pytestmark = pytest.mark.browser
expect.set_options(timeout=WAIT_MS)

LINES = ("The first paragraph starts here", "and it goes on for a while")


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    page = open_page(browser, server)
    page.locator("html[data-options=true]").wait_for(state="attached")
    yield page
    close_page(page)


def pick(page: Page, name: str = "para.png") -> None:
    data = encode(render_page(LINES, size=32, width=760, spacing=1.4))
    with page.expect_response(lambda r: "/ocr" in r.url and r.request.method == "POST"):
        page.set_input_files("#file-input", {"name": name, "mimeType": "image/png", "buffer": data})
    expect(page.locator("li.line")).to_have_count(2)


def test_more_options_come_from_the_options_endpoint(page: Page) -> None:
    page.click("#more-options summary")
    expect(page.get_by_role("combobox", name="Layout")).to_be_visible()
    values = page.locator("#opt-layout option").evaluate_all("(nodes) => nodes.map((n) => n.value)")
    assert values == ["lines", "paragraphs", "single_line", "none"]
    expect(page.locator("#opt-password")).to_have_attribute("type", "password")
    formats = page.locator("#export-format option").evaluate_all("(nodes) => nodes.map((n) => n.value)")
    assert formats == ["text", "markdown", "html", "jsonl", "pdf", "csv", "xlsx"]


def test_chosen_extra_option_is_sent_and_the_default_is_not(page: Page) -> None:
    page.click("#more-options summary")
    page.select_option("#opt-layout", "paragraphs")
    with page.expect_request(lambda r: "/ocr" in r.url and r.method == "POST") as request:
        pick(page)
    assert "layout=paragraphs" in request.value.url
    assert "lang=" not in request.value.url and "pdf_text=" not in request.value.url


def test_markdown_export_downloads_the_servers_markdown(page: Page) -> None:
    pick(page)
    page.select_option("#export-format", "markdown")
    with page.expect_download() as download:
        page.click("#export-button")
    assert download.value.suggested_filename == "para.ocr.md"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert [line.rstrip() for line in text.splitlines()] == list(LINES)


def test_searchable_pdf_export_holds_the_recognized_text(page: Page) -> None:
    pick(page)
    page.select_option("#export-format", "pdf")
    with page.expect_download() as download:
        page.click("#export-button")
    assert download.value.suggested_filename == "para.ocr.pdf"
    data = Path(download.value.path()).read_bytes()
    assert pdf_text(data)[0].split("\r\n") == list(LINES)


def test_every_server_option_has_one_control_and_nothing_else_does(page: Page) -> None:
    page.click("#more-options summary")
    names = page.locator("[data-option]").evaluate_all("(nodes) => nodes.map((n) => n.dataset.option)")
    served = [spec.name for spec in OPTION_SPECS if spec.name != "format"]
    assert sorted(names) == sorted(served)
    basic = page.locator("#main-options [data-option]").evaluate_all("(nodes) => nodes.map((n) => n.name)")
    assert basic == [spec.name for spec in OPTION_SPECS if spec.basic]


def test_script_variants_of_lang_have_their_own_labels_and_are_sent(page: Page) -> None:
    page.click("#more-options summary")
    expect(page.locator("#opt-lang option[value=zh-Hans]")).to_have_text("Simplified Chinese (zh-Hans)")
    expect(page.locator("#opt-lang option[value=zh-Hant]")).to_have_text("Traditional Chinese (zh-Hant)")
    page.click(".lang-switch [data-lang=zh]")
    expect(page.locator("#opt-lang option[value=zh-Hans]")).to_have_text("简体中文 (zh-Hans)")
    expect(page.locator("#opt-lang option[value=zh-Hant]")).to_have_text("繁體中文 (zh-Hant)")

    page.select_option("#opt-lang", "zh-Hans")
    with page.expect_request(lambda r: "/ocr" in r.url and r.method == "POST") as request:
        pick(page)
    assert "lang=zh-Hans" in request.value.url
