"""What the upload page's tests share: the files they pick, how they pick them, what they read back."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from playwright.sync_api import Page, Route

from bench.kit.render import encode, font, render_page
from tests.web.harness import ARTIFACTS, wait_until_ready

LINES = ("你好世界 Hello World", "发票号码 12345678")
PHONE = {"width": 390, "height": 844}


def two_lines() -> bytes:
    return encode(render_page(LINES, size=40, width=760))


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


def set_config(page: Page, config: dict[str, Any]) -> None:
    body = f"window.OCR_CONFIG = {json.dumps(config)};"

    def serve(route: Route) -> None:
        route.fulfill(status=200, content_type="text/javascript", body=body)

    page.route("**/config.js", serve)
    page.reload()
    wait_until_ready(page)
