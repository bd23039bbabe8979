"""Render PDF pages to images with PDFium (pypdfium2), in a worker process with memory and time limits.

Why PDFium: a self-contained wheel (~8 MB, no system libraries, Apache/BSD licensed) that
opens real-world PDFs robustly and renders fast; Poppler would need system packages in Lambda.
The page count is checked before anything is rendered, and the render scale is capped so a
page of absurd declared size cannot allocate more than the pixel limit.

Why a worker process (`pdf_process`, `pdf_worker`): a PDF's compressed streams can inflate to
gigabytes, and PDFium allocates what they ask for (a 2 MB file whose content stream inflates to
2 GB took this process to 3.2 GB). The worker's address space is capped (`Limits.pdf_memory_bytes`)
and each step has a time limit (`Limits.pdf_seconds`); a file that hits either gets a 413 and the
service lives on. This process never loads PDFium at all.

PDFium is not thread-safe, not even across documents; the worker runs one request's PDF at a
time, under the worker's lock, from `open` to `close`. Lambda serves one request per process,
so the lock costs nothing there; a threaded server renders PDFs one at a time while other
requests' images and inference go on.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from time import monotonic
from typing import Any

import numpy as np

from ocr_core.errors import (
    InvalidImageError,
    OcrError,
    PdfPasswordError,
    PdfResourceLimitError,
    TimeBudgetExceededError,
)
from ocr_core.input.page import Page, check_total_pixels
from ocr_core.input.page_selection import PageRef, select_pages
from ocr_core.input.pdf_process import WORKER, PdfWorker
from ocr_core.input.pdf_worker import CHAR_FIELDS
from ocr_core.input.text_layer import SCAN_TEXT_CHARS, text_layer
from ocr_core.limits import Limits


def render_pdf(
    data: bytes,
    limits: Limits,
    pages: Sequence[PageRef] | None = None,
    password: str | None = None,
    text_layer: bool = False,
    deadline: float | None = None,
) -> list[Page]:
    """Render the selected pages; with `text_layer`, also read each page's own text (`pdf_text`).

    `deadline` (`time.monotonic()` clock): a request over its time budget stops between pages
    instead of rendering the rest of a long document for nobody."""
    with WORKER.lock:
        WORKER.start(limits.pdf_memory_bytes, limits.pdf_seconds)
        try:
            return _render_pdf(WORKER, data, limits, pages, password, text_layer, deadline)
        finally:
            _close(WORKER)


def start_worker(limits: Limits) -> None:
    """Start the PDFium worker now instead of on the first PDF: a cold start can do it beside
    loading the models, sparing the first PDF the worker's start (Python and PDFium)."""
    with WORKER.lock:
        WORKER.start(limits.pdf_memory_bytes, limits.pdf_seconds)


def _render_pdf(
    worker: PdfWorker,
    data: bytes,
    limits: Limits,
    pages: Sequence[PageRef] | None,
    password: str | None,
    with_text: bool,
    deadline: float | None = None,
) -> list[Page]:
    answer, _ = worker.call({"op": "open", "password": password}, data)
    raise_for(answer, password)
    count = answer.get("pages")
    if not isinstance(count, int) or count < 0:
        raise worker.protocol_error()
    numbers = select_pages(pages, count, limits.max_pdf_pages)
    # Sizes come from the page tree without rendering, so the request's total is known first.
    answer, _ = worker.call({"op": "sizes", "pages": [number - 1 for number in numbers]})
    raise_for(answer, password)
    scales = [_scale(size, limits) for size in _sizes(worker, answer, len(numbers))]
    check_total_pixels([size for _, size in scales], limits)
    text = {"max_chars": limits.max_text_chars, "scan_chars": SCAN_TEXT_CHARS} if with_text else None
    worker.send(
        {
            "op": "render",
            "pages": [[n - 1, scale] for n, (scale, _) in zip(numbers, scales, strict=True)],
            "text": text,
        }
    )
    rendered = []
    for number, (scale, size) in zip(numbers, scales, strict=True):
        if deadline is not None and monotonic() >= deadline:
            worker.kill()  # the pages still coming are for nobody; the next PDF starts a new worker
            raise TimeBudgetExceededError(f"the time budget ran out before page {number} was rendered")
        # The worker renders the next page while this one's text is grouped into lines.
        answer, length = worker.receive("render")
        raise_for(answer, password, limits)  # the worker stops at a failure: nothing else is coming
        try:
            page = _read_page(worker, answer, length, size)
            lines = text_layer(page.chars, page.image_covered, number) if with_text else None
        except BaseException:
            worker.kill()  # answers for the next pages may be on their way: this conversation is lost
            raise
        rendered.append(Page(number, page.image, count=count, dpi=scale * 72.0, text_lines=lines))
    return rendered


@dataclass(frozen=True)
class RenderedPage:
    image: np.ndarray
    chars: array[int]
    """CHAR_FIELDS int32 values per text-layer character (see `pdf_worker.Worker.text`)."""
    image_covered: bool


def _read_page(worker: PdfWorker, answer: dict[str, Any], length: int, size: tuple[int, int]) -> RenderedPage:
    """Check a render answer against the size asked for, then read its pixels and characters."""
    try:
        width, height, count = render_size(answer, length, size)
    except ValueError as error:
        raise worker.protocol_error() from error
    image = np.empty((height, width, 3), dtype=np.uint8)
    chars = array("i", bytes(count * CHAR_FIELDS * 4))
    worker.read_payload(image.reshape(-1).data, memoryview(chars).cast("B"))
    return RenderedPage(image, chars, bool(answer.get("covered")))


def render_size(answer: dict[str, Any], length: int, size: tuple[int, int]) -> tuple[int, int, int]:
    """Width, height and character count of a render answer, if they agree with the size asked for
    (PDFium rounds a page's size itself: one pixel either way) and with the payload's length."""
    width, height, count = answer.get("width"), answer.get("height"), answer.get("chars")
    if not (isinstance(width, int) and isinstance(height, int) and isinstance(count, int)):
        raise ValueError("no sizes")
    if abs(width - size[0]) > 1 or abs(height - size[1]) > 1 or min(width, height) < 1 or count < 0:
        raise ValueError("another size than asked for")
    if length != width * height * 3 + count * CHAR_FIELDS * 4:
        raise ValueError("a payload of another length")
    return width, height, count


def _close(worker: PdfWorker) -> None:
    """End the conversation: the worker drops the document (and is restarted if it stays large)."""
    if worker.pid is None:  # it died with this request's error; the next PDF starts a new one
        return
    try:
        answer, _ = worker.call({"op": "close"})
    except (OcrError, RuntimeError):
        worker.kill()  # it already failed this request; a fresh one serves the next
        return
    worker.idle(answer)


def raise_for(answer: dict[str, Any], password: str | None, limits: Limits | None = None) -> None:
    """The typed error for an answer that reports one."""
    error = answer.get("error")
    if error is None:
        return
    if error == "password":
        if password:
            raise PdfPasswordError("the password given for the PDF is wrong")
        raise PdfPasswordError("the PDF is encrypted and needs a password (send it in the 'password' field)")
    if error == "corrupt":
        raise InvalidImageError("the PDF file is corrupt or truncated")
    if error == "page":  # a page object that is missing or damaged
        raise InvalidImageError("the PDF has a page that cannot be read")
    if error == "text_chars" and limits is not None:
        raise PdfResourceLimitError(
            f"the PDF's text layer has more than the {limits.max_text_chars} characters read per "
            "request (select fewer pages, or pdf_text=ocr)"
        )
    raise RuntimeError(f"the PDF worker failed: {answer.get('detail', error)}")


def _sizes(worker: PdfWorker, answer: dict[str, Any], count: int) -> list[tuple[float, float]]:
    sizes = answer.get("sizes")
    if not isinstance(sizes, list) or len(sizes) != count:
        raise worker.protocol_error()
    checked = []
    for size in sizes:
        if not (isinstance(size, list) and len(size) == 2 and all(isinstance(v, int | float) for v in size)):
            raise worker.protocol_error()
        checked.append((float(size[0]), float(size[1])))
    return checked


def _scale(size_pt: tuple[float, float], limits: Limits) -> tuple[float, tuple[int, int]]:
    """Render scale of a page of `size_pt` points, and the size in pixels it renders to."""
    width_pt, height_pt = size_pt
    if not (width_pt > 0 and height_pt > 0 and math.isfinite(width_pt * height_pt)):
        raise InvalidImageError("the PDF has a page of zero or invalid size")
    scale = limits.pdf_dpi / 72.0
    # Keep the rendered page within the pixel and side limits whatever size the PDF declares.
    scale = min(scale, math.sqrt(limits.max_pixels / (width_pt * height_pt)))
    scale = min(scale, limits.max_side / max(width_pt, height_pt))
    return scale, (math.ceil(width_pt * scale), math.ceil(height_pt * scale))
