"""Cut a text line out of a page along its (possibly tilted) box, upright and straight."""

from __future__ import annotations

import numpy as np

from ocr_core.geometry import box_sides, is_vertical_shape
from ocr_core.imaging import rotate_90_ccw, warp_quad

CROP_MARGIN = 3
"""Pixels kept around a box's bounding rectangle so the bicubic warp has its neighbours."""
SQUARE_TOLERANCE = 0.5
"""A box whose sides are this close (pixels) to horizontal and vertical is cut by slicing."""


def crop_line(image: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Perspective-warp the quadrilateral `box` (TL, TR, BR, BL) to an axis-aligned crop.

    Most boxes of scans and screenshots are upright rectangles: those are sliced out, which is
    what the warp would produce, less a sub-pixel shift, at no cost. Otherwise the box's bounding
    rectangle is sliced out first: warping works on a copy of its source, and copying a whole
    300-dpi page for every line would cost more than the warps themselves.
    """
    box = box.astype(np.float64)
    across, down = box_sides(box)
    width, height = max(round(across), 1), max(round(down), 1)
    if is_upright_rectangle(box):
        left, top = (round(v) for v in box.min(axis=0))
        sliced = image[max(top, 0) : top + height, max(left, 0) : left + width]
        if sliced.size:
            return np.ascontiguousarray(sliced)
    x0, y0 = np.floor(box.min(axis=0)).astype(int) - CROP_MARGIN
    x1, y1 = np.ceil(box.max(axis=0)).astype(int) + CROP_MARGIN + 1
    x0, y0 = max(x0, 0), max(y0, 0)
    region = image[y0:y1, x0:x1]
    return warp_quad(region, box - (x0, y0), width, height)


def is_upright_rectangle(box: np.ndarray) -> bool:
    """TL-TR and BL-BR horizontal, TL-BL and TR-BR vertical, within SQUARE_TOLERANCE."""
    (tlx, tly), (trx, try_), (brx, bry), (blx, bly) = box
    edges = (tly - try_, bly - bry, tlx - blx, trx - brx)
    return all(abs(edge) <= SQUARE_TOLERANCE for edge in edges) and trx > tlx and bly > tly


def is_vertical(crop: np.ndarray) -> bool:
    height, width = crop.shape[:2]
    return is_vertical_shape(width, height)


def vertical_to_horizontal(crop: np.ndarray) -> np.ndarray:
    """Lay a top-to-bottom column on its side so the recognizer reads it first char first.

    Rotating 90 degrees counter-clockwise puts the column's top at the left, which is how
    PP-OCR recognizers were trained to read vertical text.
    """
    return rotate_90_ccw(crop)
