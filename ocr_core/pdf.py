"""Render PDF pages to images with PDFium (pypdfium2).

Why PDFium: a self-contained wheel (~8 MB, no system libraries, Apache/BSD licensed) that
opens real-world PDFs robustly and renders fast; Poppler would need system packages in Lambda.
The page count is checked before anything is rendered, and the render scale is capped so a
page of absurd declared size cannot allocate more than the pixel limit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pypdfium2 as pdfium

from ocr_core.decode import Page
from ocr_core.errors import InvalidImageError
from ocr_core.limits import Limits
from ocr_core.page_selection import select_pages

_PDFIUM_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


def open_pdf(data: bytes, password: str | None = None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == _PDFIUM_PASSWORD_ERROR:
            raise InvalidImageError("the PDF is encrypted and needs a password") from error
        raise InvalidImageError("the PDF file is corrupt or truncated") from error


def render_pdf(data: bytes, limits: Limits, pages: Sequence[int] | None = None) -> list[Page]:
    document = open_pdf(data)
    try:
        numbers = select_pages(pages, len(document), limits.max_pdf_pages)
        return [Page(number, _render(document[number - 1], limits)) for number in numbers]
    finally:
        document.close()


def _render(page: pdfium.PdfPage, limits: Limits) -> np.ndarray:
    width_pt, height_pt = page.get_size()
    if width_pt <= 0 or height_pt <= 0:
        raise InvalidImageError("the PDF has a page of zero size")
    scale = limits.pdf_dpi / 72.0
    # Keep the rendered page within the pixel and side limits whatever size the PDF declares.
    scale = min(scale, math.sqrt(limits.max_pixels / (width_pt * height_pt)))
    scale = min(scale, limits.max_side / max(width_pt, height_pt))
    bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
    try:
        image = bitmap.to_numpy()
    finally:
        page.close()
    return np.ascontiguousarray(image[:, :, :3])  # rev_byteorder gives RGB(x)
