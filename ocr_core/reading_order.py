"""Reading order: top-to-bottom rows, left-to-right within a row; vertical columns right to left.

Boxes on one visual row are grouped first (their vertical extents overlap by at least half
the smaller box's height), so a slightly lower word to the right is not read before its row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ROW_OVERLAP = 0.5


def group_rows(boxes: Sequence[np.ndarray]) -> list[list[int]]:
    """Indices of boxes grouped into rows, rows ordered top to bottom."""
    order = sorted(range(len(boxes)), key=lambda i: (_top(boxes[i]) + _bottom(boxes[i])) / 2)
    rows: list[list[int]] = []
    extents: list[tuple[float, float]] = []
    for index in order:
        top, bottom = _top(boxes[index]), _bottom(boxes[index])
        for slot, (row_top, row_bottom) in enumerate(extents):
            overlap = min(bottom, row_bottom) - max(top, row_top)
            if overlap >= ROW_OVERLAP * min(bottom - top, row_bottom - row_top):
                rows[slot].append(index)
                extents[slot] = (min(top, row_top), max(bottom, row_bottom))
                break
        else:
            rows.append([index])
            extents.append((top, bottom))
    ordered = sorted(zip(rows, extents, strict=True), key=lambda item: item[1][0])
    return [_sort_row(row, boxes) for row, _ in ordered]


def reading_order(boxes: Sequence[np.ndarray]) -> list[int]:
    return [index for row in group_rows(boxes) for index in row]


def _sort_row(row: list[int], boxes: Sequence[np.ndarray]) -> list[int]:
    vertical = all(_height(boxes[i]) >= 1.5 * _width(boxes[i]) for i in row)
    # Traditional vertical Chinese runs its columns from right to left.
    return sorted(row, key=lambda i: float(boxes[i][:, 0].min()), reverse=vertical and len(row) > 1)


def _top(box: np.ndarray) -> float:
    return float(box[:, 1].min())


def _bottom(box: np.ndarray) -> float:
    return float(box[:, 1].max())


def _width(box: np.ndarray) -> float:
    return float(box[:, 0].max() - box[:, 0].min())


def _height(box: np.ndarray) -> float:
    return _bottom(box) - _top(box)
