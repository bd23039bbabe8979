"""Reading order of bare line boxes: rows top to bottom, left to right within a row, vertical
columns right to left.

A view over `layout.rows_of` (one row rule for the whole engine: vertical extents overlapping by
at least half the smaller height), for callers that hold 4-point boxes rather than lines.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ocr_core.layout import rect_of, rows_of


def group_rows(boxes: Sequence[np.ndarray]) -> list[list[int]]:
    """Indices of boxes grouped into rows, rows ordered top to bottom."""
    return rows_of(range(len(boxes)), [rect_of(box) for box in boxes])


def reading_order(boxes: Sequence[np.ndarray]) -> list[int]:
    return [index for row in group_rows(boxes) for index in row]
