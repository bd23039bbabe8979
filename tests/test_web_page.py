"""The upload page end to end: the real local server, Debian's Chromium, rendered test images.

Each test opens the page served by `handler.local:app`, does what a user does (pick, drop, paste,
hover, press keys) and checks what the user would see. Screenshots land in tests/artifacts/.
"""

from __future__ import annotations

import base64
import io
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, Route, expect

from bench.kit.bad_inputs import png_bomb
from bench.kit.render import encode, font, render_page
from tests.web.harness import (
    ARTIFACTS,
    WAIT_MS,
    close_page,
    open_page,
    wait_until_ready,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=WAIT_MS)

LINES = ("你好世界 Hello World", "发票号码 12345678")
PHONE = {"width": 390, "height": 844}


# ---- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    page = open_page(browser, server)
    yield page
    close_page(page)


@pytest.fixture(scope="module")
def two_lines_png() -> bytes:
    return encode(render_page(LINES, size=40, width=760))


# ---- helpers ----------------------------------------------------------------------------------

INVOICE_ROWS = (
    ("发票号码 No.", "12345678"),
    ("开票日期 Date", "2024-03-15"),
    ("购买方 Buyer", "北京星河科技有限公司"),
    ("云服务器 Cloud server × 3", "¥960.00"),
    ("技术支持 Support", "¥320.00"),
)
INVOICE_TEXTS = (
    "增值税发票 VAT Invoice",
    *(text for row in INVOICE_ROWS for text in row),
    "合计 Total",
    "¥1,280.00",
    "备注：感谢惠顾 Thank you for your business",
)


def render_invoice(width: int = 1000, height: int = 640) -> Image.Image:
    """An invoice-like page: a title, label/value rows aligned left and right, a faint footnote."""
    image = Image.new("RGB", (width, height), "#fbfaf7")
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, width - 24, height - 24), outline="#c9c4b8", width=2)
    draw.text((60, 56), INVOICE_TEXTS[0], font=font(46), fill="#1f2937")

    def row(y: int, label: str, value: str, size: int) -> None:
        face = font(size)
        draw.text((60, y), label, font=face, fill="#374151")
        draw.text((width - 60 - draw.textlength(value, font=face), y), value, font=face, fill="#111827")

    y = 150
    for label, value in INVOICE_ROWS:
        row(y, label, value, 30)
        y += 62
    draw.line((60, y + 4, width - 60, y + 4), fill="#c9c4b8", width=2)
    row(y + 24, "合计 Total", "¥1,280.00", 36)
    draw.text((60, y + 100), INVOICE_TEXTS[-1], font=font(22), fill="#9ca3af")
    return image


def png_file(data: bytes, name: str = "two-lines.png") -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": data}


def upload(page: Page, file: dict[str, Any]) -> dict[str, Any]:
    """Pick a file with the file input and return the API's JSON answer."""
    with page.expect_response(lambda r: "/ocr" in r.url and r.request.method == "POST") as answer:
        page.set_input_files("#file-input", file)
    return answer.value.json()


def line_texts(page: Page) -> list[str]:
    return page.locator("li.line .line-text").all_inner_texts()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def no_horizontal_overflow(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def transfer_script(event: str) -> str:
    """JS that builds a File in the page and dispatches a paste or drop event carrying it."""
    return f"""async ({{b64, name, type, target}}) => {{
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], name, {{type}}));
        const node = document.querySelector(target);
        const event = "{event}" === "paste"
            ? new ClipboardEvent("paste", {{clipboardData: data, bubbles: true, cancelable: true}})
            : new DragEvent("{event}", {{dataTransfer: data, bubbles: true, cancelable: true}});
        node.dispatchEvent(event);
    }}"""


def dispatch_file(page: Page, event: str, data: bytes, target: str = "body") -> None:
    args = {"b64": base64.b64encode(data).decode(), "name": "clip.png", "type": "image/png", "target": target}
    page.evaluate(transfer_script(event), args)


def save_screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


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


def set_config(page: Page, config: dict[str, Any]) -> None:
    body = f"window.OCR_CONFIG = {json.dumps(config)};"

    def serve(route: Route) -> None:
        route.fulfill(status=200, content_type="text/javascript", body=body)

    page.route("**/config.js", serve)
    page.reload()
    wait_until_ready(page)


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
