"""The page's dominant text direction, and line rectangles measured along it.

A photo or scan turned by a few degrees gives tilted line boxes whose upright rectangles are
taller than the text: on a 1000-pixel-wide line turned 4 degrees the rectangle gains 70 pixels,
several line heights, so rows overlap, interleave when ordered by their tops, and a whole
paragraph can look like one row. Turning every box back by the page's angle first (about the
page centre, so nothing else moves) makes rows, blocks and the single-line test see the page as
it was printed.

The angle is the length-weighted median of the top edges of long horizontal boxes: long lines
set the direction, short fragments and stray marks do not. Below MIN_SKEW the page is read as is
(nothing to gain, and no rounding churn); above MAX_SKEW the boxes are not a tilted page of
rows (curved or scattered text), and are also left alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ocr_core.geometry import Box, Rect, box_sides, rect_of

MIN_SKEW = 0.5
"""Degrees; a page tilted less is read as it is."""
MAX_SKEW = 15.0
"""Degrees; beyond this the boxes do not describe a tilted page of rows."""
LONG_LINE = 3.0
"""Boxes at least this many times longer than high set the direction."""


def dominant_angle(boxes: Sequence[Box | np.ndarray]) -> float:
    """The page's text direction in degrees, image coordinates (y down: positive runs down to
    the right); 0 when there are no long lines or the angle is outside MIN_SKEW..MAX_SKEW."""
    angles, weights = [], []
    for box in boxes:
        points = np.asarray(box, dtype=np.float64)
        across, down = box_sides(points)
        if across < LONG_LINE * max(down, 1.0):
            continue
        (x0, y0), (x1, y1) = points[0], points[1]
        if x1 <= x0:
            continue
        angles.append(math.degrees(math.atan2(y1 - y0, x1 - x0)))
        weights.append(across)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray(weights)[order])
    angle = float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return angle if MIN_SKEW <= abs(angle) <= MAX_SKEW else 0.0


def level_rects(boxes: Sequence[Box | np.ndarray], width: int, height: int) -> list[Rect]:
    """Upright rectangles of the boxes once the page is turned back to level (same frame size)."""
    angle = dominant_angle(boxes)
    if angle == 0.0:
        return [rect_of(box) for box in boxes]
    theta = math.radians(-angle)
    rotation = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    centre = np.array([width / 2.0, height / 2.0])
    return [rect_of((np.asarray(box, dtype=np.float64) - centre) @ rotation.T + centre) for box in boxes]
