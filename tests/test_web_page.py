"""The upload page end to end: the real local server, Debian's Chromium, rendered test images.

Each test opens the page served by `handler.local:app`, does what a user does (pick, drop, paste,
hover, press keys) and checks what the user would see. Screenshots land in tests/artifacts/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from bench.kit.render import encode
from tests.web.harness import WAIT_MS
from tests.web.page_helpers import (
    INVOICE_TEXTS,
    LINES,
    dispatch_file,
    line_texts,
    png_file,
    render_invoice,
    save_screenshot,
    squash,
    upload,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=WAIT_MS)


# ---- recognising an image ---------------------------------------------------------------------


def test_upload_two_line_image_shows_both_lines_and_their_boxes(page: Page, two_lines_png: bytes) -> None:
    answer = upload(page, png_file(two_lines_png))

    expect(page.locator("li.line")).to_have_count(2)
    assert [squash(t) for t in line_texts(page)] == [squash(line) for line in LINES]
    expect(page.locator(".overlay .box")).to_have_count(2)
    expect(page.locator("#stat-lines")).to_have_text("2")
    expect(page.locator("#stat-time")).to_have_text(re.compile(r"\d+(\.\d+)? m?s"))
    expect(page.locator("li.line .conf").first).to_have_text(re.compile(r"\d+\.\d%"))

    # Each box sits where the API says the line is, scaled onto the displayed image.
    image = page.locator(".stage img").bounding_box()
    width, height = answer["pages"][0]["width"], answer["pages"][0]["height"]
    assert image and image["width"] > 100
    for line, box in zip(answer["results"], page.locator(".overlay .box").all(), strict=True):
        drawn = box.bounding_box()
        assert drawn and drawn["width"] > 20 and drawn["height"] > 5
        xs, ys = [p[0] for p in line["box"]], [p[1] for p in line["box"]]
        assert drawn["x"] == pytest.approx(image["x"] + min(xs) * image["width"] / width, abs=3)
        assert drawn["y"] == pytest.approx(image["y"] + min(ys) * image["height"] / height, abs=3)

    page.mouse.move(0, 0)
    save_screenshot(page, "desktop-results.png")


def test_invoice_shows_every_line_and_highlights_the_hovered_one(page: Page) -> None:
    upload(page, png_file(encode(render_invoice()), "invoice.png"))
    expect(page.locator("li.line")).to_have_count(len(INVOICE_TEXTS))
    texts = [squash(t) for t in line_texts(page)]
    for expected in ("12345678", "2024-03-15", "北京星河科技有限公司", "¥1,280.00"):
        assert expected in texts

    with page.expect_response(lambda r: "/ocr" in r.url):  # again, now warm: the time a user sees
        page.click("#rerun-button")
    expect(page.locator("#progress")).to_be_hidden()
    expect(page.locator("#announce")).to_have_text(
        re.compile(rf"^{len(INVOICE_TEXTS)} lines recognized in \d")
    )
    page.fill("#threshold", "0.98")
    page.locator("li.line").nth(7).hover()

    expect(page.locator(".overlay .box.active")).to_have_count(1)
    save_screenshot(page, "desktop-invoice.png")


def test_threshold_at_one_highlights_lines_below_it(page: Page, two_lines_png: bytes) -> None:
    answer = upload(page, png_file(two_lines_png))
    expect(page.locator("li.line")).to_have_count(2)
    below_one = sum(1 for line in answer["results"] if line["confidence"] < 1.0)
    assert below_one >= 1, "the rendered image should leave at least one line short of certainty"

    page.focus("#threshold")
    page.keyboard.press("End")  # the slider's maximum, 1.00

    expect(page.locator("#threshold-value")).to_have_text("1.00")
    expect(page.locator("li.line.low")).to_have_count(below_one)
    expect(page.locator(".overlay .box.low")).to_have_count(below_one)
    expect(page.locator("li.line.low .low-badge").first).to_be_visible()
    expect(page.locator("#low-count")).to_have_text(f"{below_one} below threshold")

    page.keyboard.press("Home")
    expect(page.locator("li.line.low")).to_have_count(0)


def test_hovering_a_line_highlights_its_box_and_the_other_way_round(page: Page, two_lines_png: bytes) -> None:
    upload(page, png_file(two_lines_png))
    lines, boxes = page.locator("li.line"), page.locator(".overlay .box")
    expect(lines).to_have_count(2)

    lines.nth(1).hover()
    expect(boxes.nth(1)).to_have_class(re.compile(r"\bactive\b"))
    expect(boxes.nth(0)).not_to_have_class(re.compile(r"\bactive\b"))

    boxes.nth(0).hover()
    expect(lines.nth(0)).to_have_class(re.compile(r"\bactive\b"))
    expect(lines.nth(1)).not_to_have_class(re.compile(r"\bactive\b"))


def test_keyboard_moves_through_lines_and_highlights_boxes(page: Page, two_lines_png: bytes) -> None:
    upload(page, png_file(two_lines_png))
    expect(page.locator("li.line")).to_have_count(2)

    page.locator("li.line").first.focus()
    page.keyboard.press("ArrowDown")

    expect(page.locator("li.line").nth(1)).to_be_focused()
    expect(page.locator(".overlay .box").nth(1)).to_have_class(re.compile(r"\bactive\b"))


def test_keyboard_alone_picks_a_file_and_reaches_the_results(page: Page, two_lines_png: bytes) -> None:
    # Playwright turns on file-chooser interception without waiting for it; a listener added
    # early plus one round trip makes sure it is on before Enter opens the chooser.
    page.on("filechooser", lambda _chooser: None)
    page.evaluate("0")
    page.locator("body").focus()
    for _ in range(10):  # Tab through the header to the pick button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "pick-button":
            break
    expect(page.locator("#pick-button")).to_be_focused()

    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(png_file(two_lines_png))

    expect(page.locator("li.line")).to_have_count(2)
    page.locator("#copy-button").focus()
    for _ in range(10):  # on to the threshold slider, then the first line
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('li.line')"):
            break
    expect(page.locator("li.line").first).to_be_focused()
    expect(page.locator(".overlay .box").first).to_have_class(re.compile(r"\bactive\b"))


def test_progress_shows_while_waiting_and_cancel_keeps_the_file(page: Page, two_lines_png: bytes) -> None:
    held: list[Route] = []
    page.route("**/ocr*", lambda route: held.append(route))  # hold it: the page waits for the server
    page.set_input_files("#file-input", png_file(two_lines_png))

    expect(page.locator("#progress")).to_be_visible()
    expect(page.locator("#progress-label")).to_have_text(re.compile(r"Uploading|Recognizing"))
    expect(page.locator("#rerun-button")).to_be_disabled()
    page.click("#cancel-button")

    expect(page.locator("#progress")).to_be_hidden()
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("#file-name")).to_have_text("two-lines.png")
    assert len(held) == 1
    page.unroute("**/ocr*")
    page.click("#rerun-button")
    expect(page.locator("li.line")).to_have_count(2)


def test_clear_removes_file_and_results(page: Page, two_lines_png: bytes) -> None:
    upload(page, png_file(two_lines_png))
    expect(page.locator("li.line")).to_have_count(2)

    page.click("#clear-button")

    expect(page.locator("#results")).to_be_hidden()
    expect(page.locator("#file-bar")).to_be_hidden()
    expect(page.locator("#pick-button")).to_be_focused()


def test_paste_of_an_image_recognizes_it(page: Page, two_lines_png: bytes) -> None:
    with page.expect_response(lambda r: "/ocr" in r.url):
        dispatch_file(page, "paste", two_lines_png)
    expect(page.locator("li.line")).to_have_count(2)
    expect(page.locator("#file-name")).to_have_text("clip.png")


def test_drop_of_an_image_on_the_drop_zone_recognizes_it(page: Page, two_lines_png: bytes) -> None:
    dispatch_file(page, "dragover", two_lines_png, target="#dropzone")
    expect(page.locator("#dropzone")).to_have_class(re.compile(r"\bdragging\b"))
    with page.expect_response(lambda r: "/ocr" in r.url):
        dispatch_file(page, "drop", two_lines_png, target="#dropzone")
    expect(page.locator("li.line")).to_have_count(2)


def test_copy_all_text_puts_every_line_on_the_clipboard(page: Page, two_lines_png: bytes) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    upload(page, png_file(two_lines_png))
    expect(page.locator("li.line")).to_have_count(2)

    page.click("#copy-button")

    expect(page.locator("#toast")).to_have_text("Copied all text")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert [squash(t) for t in copied.splitlines()] == [squash(line) for line in LINES]


def test_download_json_saves_the_api_answer(page: Page, two_lines_png: bytes) -> None:
    answer = upload(page, png_file(two_lines_png))
    expect(page.locator("li.line")).to_have_count(2)

    with page.expect_download() as download:
        page.click("#download-button")

    assert download.value.suggested_filename == "two-lines.ocr.json"
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert saved["success"] is True
    assert saved["results"] == answer["results"]


def test_mode_and_model_choices_are_sent_to_the_api(page: Page, two_lines_png: bytes) -> None:
    page.select_option("#opt-mode", "page")
    page.select_option("#opt-model", "fast")

    with page.expect_request(lambda r: "/ocr" in r.url and r.method == "POST") as request:
        page.set_input_files("#file-input", png_file(two_lines_png))

    assert "mode=page" in request.value.url and "model=fast" in request.value.url
    expect(page.locator("#stat-model")).to_have_text("fast")
