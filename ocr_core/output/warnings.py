"""Warnings about a page that was still read: things that make a result less complete or less sure.

Each check is cheap (a subsampled histogram, a size comparison) and returns `OcrWarning`s with a
stable `code`, so a client can act on them (crop the image, select other pages) without
parsing messages. The thresholds are named here with the reason for each value.
"""

from __future__ import annotations

import numpy as np

from ocr_core.imaging import luma8, percentiles_of_levels
from ocr_core.output.result import OcrWarning

LOW_CONTRAST = 80.0
"""Ink-to-paper difference (0..255) below which text is faint: the larger of (99.8th percentile -
median) and (median - 0.2nd percentile) of the page's brightness, so light ink on dark paper counts
and a page that is mostly paper still measures its ink. On the evaluation set the low-contrast
line crops measure 23-69; every other image, including sparse invoices and blurred crops, 93-252."""
BLANK = 8.0
"""Below this the page is plain (no ink at all): nothing to warn about, the empty result says it."""
DETECTION_SCALE = 0.5
"""Detection runs on the page scaled to the detector's side limit; below half size, text under
about 20 pixels high may be missed."""
CONTRAST_SAMPLE_SIDE = 512


def low_contrast(image: np.ndarray, page: int) -> list[OcrWarning]:
    height, width = image.shape[:2]
    step = max(1, max(height, width) // CONTRAST_SAMPLE_SIDE)
    darkest, paper, lightest = percentiles_of_levels(luma8(image[::step, ::step]), (0.2, 50, 99.8))
    contrast = max(lightest - paper, paper - darkest)
    if contrast >= LOW_CONTRAST or contrast < BLANK:
        return []
    return [
        OcrWarning(
            "low_contrast",
            f"the text has low contrast (ink differs from the background by {contrast:.0f} of 255 levels); "
            "some of it may be missed or misread",
            page,
        )
    ]


def detection_downscaled(width: int, height: int, limit_side: int, page: int) -> list[OcrWarning]:
    scale = min(1.0, limit_side / max(width, height, 1))
    if scale >= DETECTION_SCALE:
        return []
    return [
        OcrWarning(
            "image_downscaled",
            f"the {width}x{height} page was scaled to {scale:.2f} for text detection; text smaller than "
            f"about {round(8 / scale)} pixels high may be missed (send a crop of the region to read it)",
            page,
        )
    ]


def pdf_resolution(dpi: float | None, wanted_dpi: int, page: int) -> list[OcrWarning]:
    if dpi is None or dpi >= wanted_dpi - 0.5:
        return []
    return [
        OcrWarning(
            "image_downscaled",
            f"the PDF page is large, so it was rendered at {dpi:.0f} dpi instead of {wanted_dpi} dpi "
            "to stay within the pixel limit; small text may be misread",
            page,
        )
    ]


def lines_capped(found: int, cap: int, page: int) -> list[OcrWarning]:
    if found <= cap:
        return []
    return [
        OcrWarning(
            "lines_truncated",
            f"{found} text lines were detected; only the first {cap} were read (OCR_MAX_LINES)",
            page,
        )
    ]


def pages_capped(count: int, read: int) -> list[OcrWarning]:
    if count <= read:
        return []
    first, last = read + 1, min(count, 2 * read)
    example = f"{first}-{last}" if last > first else str(first)
    return [
        OcrWarning(
            "pages_truncated",
            f"the document has {count} pages; pages 1-{read} were read (at most {read} per request). "
            f"Select others with pages=, e.g. pages={example}",
        )
    ]
