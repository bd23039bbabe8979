"""A tilted page turned upright in coordinates (not pixels): where tables are found and built.

The tilt is the length-weighted median slope of the lines' top edges: long lines measure it
best, and a few odd boxes do not move a median. Lines, rules and regions are turned about the
page's centre by minus the tilt; cell and table boxes are turned back onto the page's pixels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr_core.geometry import Box, Rect
from ocr_core.layout.rules import Rule
from ocr_core.lines import TextLine


@dataclass(frozen=True)
class Frame:
    """The page turned by `angle` radians about `centre`: upright coordinates for a tilted table."""

    angle: float
    centre: tuple[float, float]

    def to_upright(self, points: np.ndarray) -> np.ndarray:
        return self._turn(points, -self.angle)

    def to_page(self, points: np.ndarray) -> np.ndarray:
        return self._turn(points, self.angle)

    def _turn(self, points: np.ndarray, angle: float) -> np.ndarray:
        cos, sin = math.cos(angle), math.sin(angle)
        shifted = np.asarray(points, dtype=np.float64) - self.centre
        turned = shifted @ np.array([[cos, sin], [-sin, cos]])
        return turned + self.centre

    def rule(self, rule: Rule) -> Rule:
        ends = np.array([[rule.start, rule.at(rule.start)], [rule.end, rule.at(rule.end)]])
        if not rule.horizontal:
            ends = ends[:, ::-1]
        (ax, ay), (bx, by) = self.to_upright(ends)
        if not rule.horizontal:
            ax, ay, bx, by = ay, ax, by, bx
        slope = (by - ay) / (bx - ax) if bx != ax else 0.0
        return Rule(rule.horizontal, min(ax, bx), max(ax, bx), slope, ay - slope * ax)

    def box(self, rect: Rect) -> Box:
        left, top, right, bottom = rect.left, rect.top, rect.right, rect.bottom
        corners = np.array([[left, top], [right, top], [right, bottom], [left, bottom]])
        return tuple((round(x), round(y)) for x, y in self.to_page(corners))  # type: ignore[return-value]


def skew(lines: Sequence[TextLine]) -> float:
    """The page's tilt in radians: the length-weighted median slope of its lines' top edges."""
    angles, weights = [], []
    for line in lines:
        (x0, y0), (x1, y1) = line.box[0], line.box[1]
        if x1 - x0 > 0:
            angles.append(math.atan2(y1 - y0, x1 - x0))
            weights.append(x1 - x0)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
