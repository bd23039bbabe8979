"""Cut a text line out of a page along its (possibly tilted) box, upright and straight."""

from __future__ import annotations

import cv2
import numpy as np

VERTICAL_ASPECT = 1.5
"""A crop this many times taller than wide is a vertical line (e.g. a Chinese column)."""


def crop_line(image: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Perspective-warp the quadrilateral `box` (TL, TR, BR, BL) to an axis-aligned crop."""
    box = box.astype(np.float32)
    width = int(round(max(np.linalg.norm(box[0] - box[1]), np.linalg.norm(box[2] - box[3]))))
    height = int(round(max(np.linalg.norm(box[0] - box[3]), np.linalg.norm(box[1] - box[2]))))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(box, target)
    return cv2.warpPerspective(
        image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )


def is_vertical(crop: np.ndarray) -> bool:
    height, width = crop.shape[:2]
    return height >= width * VERTICAL_ASPECT


def vertical_to_horizontal(crop: np.ndarray) -> np.ndarray:
    """Lay a top-to-bottom column on its side so the recognizer reads it first char first.

    Rotating 90 degrees counter-clockwise puts the column's top at the left, which is how
    PP-OCR recognizers were trained to read vertical text.
    """
    return cv2.rotate(crop, cv2.ROTATE_90_COUNTERCLOCKWISE)
