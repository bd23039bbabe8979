"""Connected text regions of a binary map and their minimum-area rectangles, in numpy.

This replaces OpenCV's findContours/minAreaRect so the function package does without
OpenCV's 160 MB wheel. Regions are built from horizontal runs of set pixels: runs on
neighbouring rows that touch (8-connectivity) are joined with vectorised union-find, so the
cost grows with the number of runs, not pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Runs:
    """Horizontal runs of set pixels: row, first column, end column (exclusive)."""

    row: np.ndarray
    start: np.ndarray
    end: np.ndarray


def find_runs(bitmap: np.ndarray) -> Runs:
    height, width = bitmap.shape
    padded = np.zeros((height, width + 2), dtype=np.int8)
    padded[:, 1:-1] = bitmap
    steps = np.diff(padded, axis=1)
    # nonzero() walks row-major, so the k-th start and the k-th end belong to the same run.
    rows, starts = np.nonzero(steps == 1)
    _, ends = np.nonzero(steps == -1)
    return Runs(rows.astype(np.int64), starts.astype(np.int64), ends.astype(np.int64))


def label_runs(runs: Runs, width: int) -> np.ndarray:
    """Component label (0..n-1, dense) of every run, 8-connected."""
    count = len(runs.row)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    stride = width + 2
    start_key = runs.row * stride + runs.start
    end_key = runs.row * stride + runs.end
    next_row = (runs.row + 1) * stride
    # Runs sorted by (row, start) also have sorted ends, so the runs on the next row that touch
    # run i form one contiguous index range [lo, hi).
    lo = np.searchsorted(end_key, next_row + runs.start, side="left")
    hi = np.searchsorted(start_key, next_row + runs.end, side="right")
    spans = np.maximum(hi - lo, 0)
    first = np.repeat(np.arange(count), spans)
    offsets = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    second = np.repeat(lo, spans) + offsets
    return _union_find(count, first, second)


def _union_find(count: int, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    parent = np.arange(count)
    while first.size:
        root_a, root_b = parent[first], parent[second]
        if np.array_equal(root_a, root_b):
            break
        low = np.minimum(root_a, root_b)
        np.minimum.at(parent, root_a, low)
        np.minimum.at(parent, root_b, low)
        while True:  # pointer jumping: every run points straight at its root
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
    _, dense = np.unique(parent, return_inverse=True)
    return dense


def region_means(runs: Runs, labels: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean of `values` over each region's pixels, and each region's pixel count."""
    summed = np.zeros((values.shape[0], values.shape[1] + 1), dtype=np.float64)
    np.cumsum(values, axis=1, out=summed[:, 1:])
    run_sums = summed[runs.row, runs.end] - summed[runs.row, runs.start]
    sizes = np.bincount(labels, weights=runs.end - runs.start)
    sums = np.bincount(labels, weights=run_sums)
    return sums / np.maximum(sizes, 1), sizes


def region_points(runs: Runs, labels: np.ndarray, count: int) -> list[np.ndarray]:
    """Outline candidates of each region: the extreme pixel centres of each of its rows.

    Inner run ends can never be on the convex hull, so keeping one leftmost and one
    rightmost point per (region, row) shrinks the hull's input to twice the region's height.
    """
    order = np.lexsort((runs.row, labels))
    keys = labels[order] * (int(runs.row.max()) + 1) + runs.row[order]
    firsts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    left = np.minimum.reduceat(runs.start[order], firsts).astype(np.float64)
    right = np.maximum.reduceat(runs.end[order] - 1, firsts).astype(np.float64)
    rows = runs.row[order][firsts].astype(np.float64)
    owners = labels[order][firsts]
    bounds = np.searchsorted(owners, np.arange(count + 1))
    points = []
    for index in range(count):
        span = slice(bounds[index], bounds[index + 1])
        xs = np.concatenate([left[span], right[span]])
        ys = np.concatenate([rows[span], rows[span]])
        points.append(np.stack([xs, ys], axis=1))
    return points


def convex_hull(points: np.ndarray) -> np.ndarray:
    """Andrew's monotone chain; returns hull vertices counter-clockwise (y down)."""
    unique = np.unique(points, axis=0)
    if len(unique) < 3:
        return unique
    pts = unique.tolist()

    def half(seq: list[list[float]]) -> list[list[float]]:
        chain: list[list[float]] = []
        for p in seq:
            while len(chain) >= 2:
                (ax, ay), (bx, by) = chain[-2], chain[-1]
                if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) > 0:
                    break
                chain.pop()
            chain.append(p)
        return chain

    lower, upper = half(pts), half(pts[::-1])
    return np.array(lower[:-1] + upper[:-1], dtype=np.float64)


RotatedRect = tuple[tuple[float, float], tuple[float, float], float]


def min_area_rect(points: np.ndarray) -> RotatedRect:
    """Smallest rotated rectangle around `points`: ((cx, cy), (w, h), angle in degrees).

    One side of the optimum lies along a hull edge, so only hull edge angles are tried.
    `w` is measured along the chosen edge direction (angle folded into (-45, 45]).
    """
    hull = convex_hull(points)
    if len(hull) == 1:
        return (float(hull[0, 0]), float(hull[0, 1])), (0.0, 0.0), 0.0
    edges = np.roll(hull, -1, axis=0) - hull
    angles = np.unique(np.mod(np.arctan2(edges[:, 1], edges[:, 0]), np.pi / 2))
    cos, sin = np.cos(angles), np.sin(angles)
    # Coordinates of every hull point in each candidate frame: u along the edge, v across.
    u = hull[:, 0][None] * cos[:, None] + hull[:, 1][None] * sin[:, None]
    v = -hull[:, 0][None] * sin[:, None] + hull[:, 1][None] * cos[:, None]
    widths = u.max(axis=1) - u.min(axis=1)
    heights = v.max(axis=1) - v.min(axis=1)
    best = int(np.argmin(widths * heights))
    cu = (u[best].max() + u[best].min()) / 2
    cv = (v[best].max() + v[best].min()) / 2
    centre = (cu * cos[best] - cv * sin[best], cu * sin[best] + cv * cos[best])
    angle = float(np.degrees(angles[best]))
    width, height = float(widths[best]), float(heights[best])
    if angle > 45.0:  # fold so near-horizontal text has a small angle and width along the text
        angle -= 90.0
        width, height = height, width
    return (float(centre[0]), float(centre[1])), (width, height), angle


def box_points(rect: RotatedRect) -> np.ndarray:
    """The 4 corners of a rotated rectangle."""
    (cx, cy), (width, height), angle = rect
    theta = np.radians(angle)
    along = np.array([np.cos(theta), np.sin(theta)]) * width / 2
    across = np.array([-np.sin(theta), np.cos(theta)]) * height / 2
    centre = np.array([cx, cy])
    return np.array(
        [centre - along - across, centre + along - across, centre + along + across, centre - along + across]
    )
