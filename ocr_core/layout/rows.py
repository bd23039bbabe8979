"""Rows: lines whose vertical extents overlap, top to bottom, each read left to right.

One row rule for the whole engine (auto mode's single-line test, blocks, reading order): two
lines share a row when their vertical extents overlap by at least half the smaller height.
Columns of vertical text in one row read right to left.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ocr_core.geometry import Rect, rect_of

ROW_OVERLAP = 0.5
"""Two lines share a row when their vertical extents overlap by this share of the smaller height."""


def rows_of(items: Iterable[int], rects: Sequence[Rect]) -> list[list[int]]:
    """Items grouped into rows, top to bottom, each left to right (columns of vertical text right
    to left). A sweep by vertical centre, comparing each line with the row being built, so pages
    of thousands of lines cost O(n log n)."""
    rows: list[list[int]] = []
    extent = (0.0, 0.0)
    for index in sorted(items, key=lambda i: (rects[i].top + rects[i].bottom) / 2):
        rect = rects[index]
        if rows:
            overlap = min(rect.bottom, extent[1]) - max(rect.top, extent[0])
            if overlap >= ROW_OVERLAP * min(rect.height, extent[1] - extent[0]):
                rows[-1].append(index)
                extent = (min(extent[0], rect.top), max(extent[1], rect.bottom))
                continue
        rows.append([index])
        extent = (rect.top, rect.bottom)
    return [_sorted_row(row, rects) for row in rows]


def _sorted_row(row: list[int], rects: Sequence[Rect]) -> list[int]:
    vertical = len(row) > 1 and all(rects[i].is_vertical for i in row)
    return sorted(row, key=lambda i: rects[i].left, reverse=vertical)


def group_rows(boxes: Sequence[np.ndarray]) -> list[list[int]]:
    """Indices of boxes grouped into rows, rows ordered top to bottom."""
    return rows_of(range(len(boxes)), [rect_of(box) for box in boxes])


def reading_order(boxes: Sequence[np.ndarray]) -> list[int]:
    return [index for row in group_rows(boxes) for index in row]
