"""A PDF page's own text layer, as lines with boxes in the rendered page's pixels.

A PDF made by a word processor (or one already OCRed) carries its exact text; reading that is
faster than OCR and never misreads a character. The PDFium worker (`pdf_worker`) sends each
character's UTF-16 code unit and its box, already mapped through PDFium's page-to-device
transform (so page rotation and crop boxes agree with the rendered image); here characters are
grouped into lines at PDFium's line breaks, at a jump in height, and at a wide horizontal gap
(two columns on one baseline are two lines, as detection would see them).

Text from a file is made valid Unicode here, at the source: a ToUnicode map may send any code
unit, a surrogate pair arrives as two characters, and a lone surrogate would break every JSON,
text and PDF export after it. A pair becomes its one character; anything else that is not a
Unicode scalar value becomes U+FFFD.

A page counts as having a text layer when it has any visible character, unless an image covers
most of it and fewer than `SCAN_TEXT_CHARS` characters sit on top (a scan with a stamped page
number or header is still a scan: OCR reads it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ocr_core.geometry import Box, box_around
from ocr_core.input.pdf_worker import CHAR_FIELDS
from ocr_core.lines import TextLine, TextPart

SCAN_TEXT_CHARS = 20
"""Fewer characters than this over a page-sized image: the page is a scan, OCR it."""
COLUMN_GAP = 3.0
"""A horizontal gap this many character heights wide between two characters splits the line."""
REPLACEMENT = "\ufffd"
_HIGH, _LOW, _SURROGATES_END, _UNICODE_END = 0xD800, 0xDC00, 0xE000, 0x110000


@dataclass(frozen=True)
class LayerChar:
    char: str
    box: Box | None  # None for spaces PDFium generated between words


def text_layer(chars: Sequence[int], image_covered: bool, page_number: int) -> tuple[TextLine, ...] | None:
    """The page's text lines in its own order, or None when it has no usable text layer.

    `chars` holds CHAR_FIELDS values per character; `image_covered`: an image covers most of the
    page (the worker checks only when there are few characters).
    """
    rows = _rows(chars)
    visible = sum(1 for row in rows for item in row if item.box is not None)
    if visible == 0 or (visible < SCAN_TEXT_CHARS and image_covered):
        return None
    lines = [_line(row, page_number) for row in rows]
    return tuple(line for line in lines if line is not None)


def scalar_chars(chars: Sequence[int]) -> Iterator[tuple[str, Box | None]]:
    """Each character as valid Unicode with its box (None for whitespace): surrogate pairs joined
    (the box of the first half), lone surrogates and out-of-range codes as U+FFFD."""
    index, end = 0, len(chars)
    while index < end:
        code, x0, y0, x1, y1 = chars[index : index + CHAR_FIELDS]
        index += CHAR_FIELDS
        box: Box | None = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
        if code == 0 or (0 <= code < _UNICODE_END and chr(code).isspace()):
            yield (" " if code == 0 else chr(code)), None
            continue
        if _HIGH <= code < _LOW and index < end and _LOW <= chars[index] < _SURROGATES_END:
            low = chars[index]
            index += CHAR_FIELDS
            yield chr(0x10000 + ((code - _HIGH) << 10) + (low - _LOW)), box
        elif 0 <= code < _UNICODE_END and not _HIGH <= code < _SURROGATES_END:
            yield chr(code), box
        else:
            yield REPLACEMENT, box


def _rows(chars: Sequence[int]) -> list[list[LayerChar]]:
    rows: list[list[LayerChar]] = [[]]
    for char, box in scalar_chars(chars):
        if char in "\r\n":
            rows.append([])
            continue
        if box is None:
            rows[-1].append(LayerChar(" ", None))
            continue
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


def _line(row: list[LayerChar], page_number: int) -> TextLine | None:
    text = " ".join("".join(item.char for item in row).split())
    boxes = [item.box for item in row if item.box is not None]
    if not text or not boxes:
        return None
    chars = tuple(TextPart(item.char, item.box, 1.0) for item in row if item.box is not None)
    return TextLine(text, 1.0, box_around(boxes), page_number, chars=chars)
