"""A decoded page, and the pixel limits every decoder checks before it decodes.

Both image and PDF decoding produce `Page`s and check sizes from headers (or the PDF page tree)
before any pixel exists, so these live apart from either decoder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr_core.errors import InputTooLargeError
from ocr_core.limits import Limits
from ocr_core.lines import TextLine


@dataclass(frozen=True)
class Page:
    """One decoded page: RGB uint8 pixels and its 1-based number in the document.

    `count` is the document's page count (a cap may have stopped reading before it), `dpi` the
    resolution a PDF page was rendered at, and `text_lines` a PDF page's own text layer when it
    was asked for and the page has one.
    """

    number: int
    image: np.ndarray
    count: int = 1
    dpi: float | None = None
    text_lines: tuple[TextLine, ...] | None = None


def check_total_pixels(sizes: Sequence[tuple[int, int]], limits: Limits) -> None:
    """All pages of one request together, before any is decoded or rendered."""
    total = sum(width * height for width, height in sizes)
    if total > limits.max_total_pixels:
        raise InputTooLargeError(
            f"the {len(sizes)} pages have {total} pixels together; at most {limits.max_total_pixels} "
            "are read per request (select fewer pages, e.g. pages=1-5)"
        )


def check_pixels(width: int, height: int, limits: Limits) -> None:
    if max(width, height) > limits.max_side:
        raise InputTooLargeError(
            f"the image is {width}x{height}; the longest side allowed is {limits.max_side} pixels"
        )
    if width * height > limits.max_pixels:
        raise InputTooLargeError(
            f"the image is {width}x{height} = {width * height} pixels; "
            f"the limit is {limits.max_pixels} pixels"
        )
