"""Cut a text line out of a page along its (possibly tilted) box, upright and straight."""

from __future__ import annotations

import numpy as np

from ocr_core.imaging import rotate_90_ccw, warp_quad

VERTICAL_ASPECT = 1.5
"""A crop this many times taller than wide is a vertical line (e.g. a Chinese column)."""


def crop_line(image: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Perspective-warp the quadrilateral `box` (TL, TR, BR, BL) to an axis-aligned crop."""
    box = box.astype(np.float64)
    width = round(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[2] - box[3])))
    height = round(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2])))
    return warp_quad(image, box, max(int(width), 1), max(int(height), 1))


def is_vertical(crop: np.ndarray) -> bool:
    height, width = crop.shape[:2]
    return height >= width * VERTICAL_ASPECT


def vertical_to_horizontal(crop: np.ndarray) -> np.ndarray:
    """Lay a top-to-bottom column on its side so the recognizer reads it first char first.

    Rotating 90 degrees counter-clockwise puts the column's top at the left, which is how
    PP-OCR recognizers were trained to read vertical text.
    """
    return rotate_90_ccw(crop)
