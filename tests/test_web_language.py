"""The upload page in Chinese and English, on a phone-sized screen, and for keyboard and screen
readers (every control named)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.harness import WAIT_MS, close_page, open_page, wait_until_ready
from tests.web.page_helpers import (
    PHONE,
    no_horizontal_overflow,
    png_file,
    save_screenshot,
    upload,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=WAIT_MS)


# ---- language, phone, accessibility -----------------------------------------------------------


def test_language_switch_changes_labels_and_is_remembered(page: Page, two_lines_png: bytes) -> None:
    expect(page.locator("h1")).to_have_text("Text recognition")
    upload(page, png_file(two_lines_png))
    expect(page.locator("li.line")).to_have_count(2)

    page.click(".lang-switch [data-lang=zh]")

    expect(page.locator("h1")).to_have_text("文字识别")
    expect(page.locator("#pick-button")).to_have_text("选择文件")
    expect(page.locator("#copy-button")).to_have_text("复制全部文字")
    expect(page.locator("label[for=threshold]")).to_have_text("低置信度阈值")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    expect(page.locator(".lang-switch [data-lang=zh]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".page-meta")).to_have_text(re.compile("2 行"))
    save_screenshot(page, "desktop-chinese.png")

    page.reload()
    wait_until_ready(page)
    expect(page.locator("h1")).to_have_text("文字识别")
    page.click(".lang-switch [data-lang=en]")
    expect(page.locator("h1")).to_have_text("Text recognition")


def test_chinese_browser_gets_chinese_labels(browser: Browser, server: str) -> None:
    page = open_page(browser, server, locale="zh-CN")
    try:
        expect(page.locator("h1")).to_have_text("文字识别")
        expect(page.locator(".drop-title")).to_have_text("将图片或 PDF 拖到这里")
    finally:
        close_page(page)


def test_phone_width_has_no_horizontal_overflow(browser: Browser, server: str, two_lines_png: bytes) -> None:
    page = open_page(browser, server, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        assert no_horizontal_overflow(page)
        upload(page, png_file(two_lines_png))
        expect(page.locator("li.line")).to_have_count(2)
        page.focus("#threshold")
        page.keyboard.press("End")
        assert no_horizontal_overflow(page)
        save_screenshot(page, "phone-results.png")
    finally:
        close_page(page)


def test_every_control_has_an_accessible_name(page: Page, two_lines_png: bytes) -> None:
    upload(page, png_file(two_lines_png))
    expect(page.locator("li.line")).to_have_count(2)

    for role in ("button", "combobox", "slider", "textbox"):
        for control in page.get_by_role(role).all():
            expect(control).to_have_accessible_name(re.compile(r"\S"))
    expect(page.get_by_role("slider", name="Low-confidence threshold")).to_be_visible()
    expect(page.get_by_role("combobox", name="Model")).to_be_visible()
    expect(page.get_by_role("textbox", name="PDF pages")).to_be_visible()
    expect(page.get_by_role("img", name="Page 1 with 2 detected text boxes")).to_be_visible()
    expect(page.get_by_role("list", name="Recognized lines on page 1")).to_be_visible()
