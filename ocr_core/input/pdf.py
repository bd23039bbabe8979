"""Render PDF pages to images with PDFium (pypdfium2).

Why PDFium: a self-contained wheel (~8 MB, no system libraries, Apache/BSD licensed) that
opens real-world PDFs robustly and renders fast; Poppler would need system packages in Lambda.
The page count is checked before anything is rendered, and the render scale is capped so a
page of absurd declared size cannot allocate more than the pixel limit.

PDFium is not thread-safe, not even across documents: two threads rendering two PDFs at once
abort or corrupt the process (reproduced: 4 threads decoding PDFs crashed 3 runs of 3, and a
local server under `make load` died). All PDFium work of a request happens inside
`render_pdf` under one process-wide lock, and every PDFium object it makes is closed there.
Lambda serves one request per process, so the lock costs nothing there; a threaded server
renders PDFs one at a time while other requests' images and inference go on.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence

import numpy as np
import pypdfium2 as pdfium

from ocr_core.errors import InvalidImageError, PdfPasswordError
from ocr_core.input.page import Page, check_total_pixels
from ocr_core.input.page_selection import select_pages
from ocr_core.input.text_layer import text_layer
from ocr_core.limits import Limits

_PDFIUM_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_PDFIUM_LOCK = threading.Lock()
"""Held for every PDFium call (see the module docstring)."""


def open_pdf(data: bytes, password: str | None = None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == _PDFIUM_PASSWORD_ERROR:
            if password:
                raise PdfPasswordError("the password given for the PDF is wrong") from error
            raise PdfPasswordError(
                "the PDF is encrypted and needs a password (send it in the 'password' field)"
            ) from error
        raise InvalidImageError("the PDF file is corrupt or truncated") from error


def render_pdf(
    data: bytes,
    limits: Limits,
    pages: Sequence[int] | None = None,
    password: str | None = None,
    text_layer: bool = False,
) -> list[Page]:
    """Render the selected pages; with `text_layer`, also read each page's own text (`pdf_text`)."""
    with _PDFIUM_LOCK:
        return _render_pdf(data, limits, pages, password, text_layer)


def _render_pdf(
    data: bytes, limits: Limits, pages: Sequence[int] | None, password: str | None, text_layer: bool
) -> list[Page]:
    document = open_pdf(data, password)
    try:
        numbers = select_pages(pages, len(document), limits.max_pdf_pages)
        # Sizes come from the page tree without rendering, so the request's total is known first.
        scales = [_scale(document.get_page_size(number - 1), limits) for number in numbers]
        check_total_pixels([size for _, size in scales], limits)
        return [
            _page(document, number, scale, text_layer)
            for number, (scale, _) in zip(numbers, scales, strict=True)
        ]
    except pdfium.PdfiumError as error:  # a page object that is missing or damaged
        raise InvalidImageError("the PDF has a page that cannot be read") from error
    finally:
        document.close()


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


def _page(document: pdfium.PdfDocument, number: int, scale: float, with_text: bool) -> Page:
    image = _render(document[number - 1], scale)
    lines = None
    if with_text:
        page = document[number - 1]
        try:
            lines = text_layer(page, (image.shape[1], image.shape[0]), number)
        finally:
            page.close()
    return Page(number, image, count=len(document), dpi=scale * 72.0, text_lines=lines)


def _render(page: pdfium.PdfPage, scale: float) -> np.ndarray:
    try:
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
        try:
            # Copied out of PDFium's buffer before it is freed, under the lock (rev_byteorder: RGBx).
            return np.ascontiguousarray(bitmap.to_numpy()[:, :, :3])
        finally:
            bitmap.close()
    finally:
        page.close()
