"""Boxes and rectangles in page pixels: the shapes every stage of the pipeline passes along.

A `Box` is four points clockwise from the top-left (a detected line may be tilted); a `Rect` is
the upright rectangle around one, which is what rows, blocks and reading order compare.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

Point = tuple[int, int]
Box = tuple[Point, Point, Point, Point]

VERTICAL_ASPECT = 1.5
"""A line this many times taller than wide is a vertical line (e.g. a Chinese column)."""


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def is_vertical(self) -> bool:
        return is_vertical_shape(self.width, self.height)


def is_vertical_shape(width: float, height: float) -> bool:
    """Taller than wide by VERTICAL_ASPECT: read top to bottom."""
    return height >= VERTICAL_ASPECT * width


def box_list(box: Box) -> list[list[int]]:
    return [[int(x), int(y)] for x, y in box]


def rect_of(box: Box | np.ndarray) -> Rect:
    points = np.asarray(box, dtype=np.float64)
    return Rect(points[:, 0].min(), points[:, 1].min(), points[:, 0].max(), points[:, 1].max())


def union(rects: Iterable[Rect]) -> Rect:
    """The rectangle around `rects` (at least one)."""
    items = list(rects)
    return Rect(
        min(r.left for r in items),
        min(r.top for r in items),
        max(r.right for r in items),
        max(r.bottom for r in items),
    )


def box_around(boxes: Iterable[Box | np.ndarray]) -> Box:
    """The axis-aligned rectangle around the boxes (of lines, words, characters), clockwise from top-left."""
    points = np.concatenate([np.asarray(box, dtype=np.float64) for box in boxes])
    left, top = points.min(axis=0)
    right, bottom = points.max(axis=0)
    return (
        (round(left), round(top)),
        (round(right), round(top)),
        (round(right), round(bottom)),
        (round(left), round(bottom)),
    )


def box_sides(box: np.ndarray) -> tuple[float, float]:
    """Longer of the top and bottom sides, longer of the left and right sides of a 4-point box."""
    tl, tr, br, bl = np.asarray(box, dtype=np.float64)
    across = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    down = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    return float(across), float(down)
