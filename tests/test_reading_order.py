"""Reading order: rows top to bottom, left to right inside a row, vertical columns right to left."""

from __future__ import annotations

import numpy as np

from ocr_core.input.page_selection import parse_pages, select_pages
from ocr_core.layout.rows import reading_order


def _box(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def test_reading_order_rows_then_columns_despite_jitter() -> None:
    boxes = [
        _box(300, 104, 400, 134),  # row 2, right, slightly lower than its neighbour
        _box(10, 10, 200, 40),  # row 1, left
        _box(10, 100, 200, 130),  # row 2, left
        _box(250, 14, 400, 44),  # row 1, right, a few pixels lower
    ]
    assert reading_order(boxes) == [1, 3, 2, 0]


def test_reading_order_vertical_columns_right_to_left() -> None:
    columns = [_box(10, 10, 40, 300), _box(110, 10, 140, 300), _box(60, 10, 90, 300)]
    assert reading_order(columns) == [1, 2, 0]


def test_reading_order_empty() -> None:
    assert reading_order([]) == []


def test_parse_pages_ranges_lists_and_negatives() -> None:
    assert parse_pages("1-3,5") == (1, 2, 3, 5)
    assert parse_pages("-1") == (-1,)
    assert parse_pages(None) is None and parse_pages(" ") is None
    assert select_pages(parse_pages("-2--1"), 10, 5) == [9, 10]
