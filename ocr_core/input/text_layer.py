"""A PDF page's own text layer, as lines with boxes in the rendered page's pixels.

A PDF made by a word processor (or one already OCRed) carries its exact text; reading that is
faster than OCR and never misreads a character. PDFium gives each character's code and box;
characters are grouped into lines at PDFium's line breaks, at a jump in height, and at a wide
horizontal gap (two columns on one baseline are two lines, as detection would see them).
Boxes go through PDFium's own page-to-device mapping, so page rotation and crop boxes agree
with the rendered image.

A page counts as having a text layer when it has any visible character, unless an image covers
most of it and fewer than `SCAN_TEXT_CHARS` characters sit on top (a scan with a stamped page
number or header is still a scan: OCR reads it).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ocr_core.geometry import Box, box_around
from ocr_core.lines import TextLine, TextPart

SCAN_TEXT_CHARS = 20
"""Fewer characters than this over a page-sized image: the page is a scan, OCR it."""
SCAN_IMAGE_SHARE = 0.5
"""An image covering this share of the page makes it a scan candidate."""
COLUMN_GAP = 3.0
"""A horizontal gap this many character heights wide between two characters splits the line."""


@dataclass(frozen=True)
class LayerChar:
    char: str
    box: Box | None  # None for spaces PDFium generated between words


def text_layer(page: pdfium.PdfPage, size: tuple[int, int], page_number: int) -> tuple[TextLine, ...] | None:
    """The page's text lines in its own order, or None when it has no usable text layer.

    `size` is the rendered bitmap's (width, height): boxes come back in its pixels.
    """
    textpage = page.get_textpage()
    try:
        rows = _rows(page, textpage, size)
    finally:
        textpage.close()
    visible = sum(1 for row in rows for item in row if item.box is not None)
    if visible == 0 or (visible < SCAN_TEXT_CHARS and _image_covered(page)):
        return None
    lines = [_line(row, page_number) for row in rows]
    return tuple(line for line in lines if line is not None)


def _rows(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, size: tuple[int, int]) -> list[list[LayerChar]]:
    rows: list[list[LayerChar]] = [[]]
    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index) or 0x20)
        if char in "\r\n":
            rows.append([])
            continue
        if char.isspace() or char == "\x00":
            rows[-1].append(LayerChar(" ", None))
            continue
        box = _device_box(page, textpage.get_charbox(index), size)
        row = rows[-1]
        last = next((item.box for item in reversed(row) if item.box is not None), None)
        if last is not None and _breaks(last, box):
            rows.append([])
        rows[-1].append(LayerChar(char, box))
    return [row for row in rows if any(item.box is not None for item in row)]


def _breaks(previous: Box, box: Box) -> bool:
    """A new line: the character sits on another baseline, or far to the right of the last one."""
    height = max(previous[2][1] - previous[0][1], box[2][1] - box[0][1], 1)
    centre_prev = (previous[0][1] + previous[2][1]) / 2
    centre = (box[0][1] + box[2][1]) / 2
    return abs(centre - centre_prev) > 0.6 * height or box[0][0] - previous[1][0] > COLUMN_GAP * height


def _device_box(page: pdfium.PdfPage, charbox: Sequence[float], size: tuple[int, int]) -> Box:
    left, bottom, right, top = charbox
    points = [
        _to_device(page, x, y, size) for x, y in ((left, top), (right, top), (right, bottom), (left, bottom))
    ]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def _to_device(page: pdfium.PdfPage, x: float, y: float, size: tuple[int, int]) -> tuple[int, int]:
    device_x, device_y = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, size[0], size[1], 0, x, y, device_x, device_y)
    return device_x.value, device_y.value


def _line(row: list[LayerChar], page_number: int) -> TextLine | None:
    text = " ".join("".join(item.char for item in row).split())
    boxes = [item.box for item in row if item.box is not None]
    if not text or not boxes:
        return None
    chars = tuple(TextPart(item.char, item.box, 1.0) for item in row if item.box is not None)
    return TextLine(text, 1.0, box_around(boxes), page_number, chars=chars)


def _image_covered(page: pdfium.PdfPage) -> bool:
    width, height = page.get_size()
    area = max(width * height, 1.0)
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= SCAN_IMAGE_SHARE * area:
            return True
    return False
