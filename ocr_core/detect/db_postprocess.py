"""DBNet post-processing: text probability map -> quadrilateral text boxes.

Steps (as in the DB paper and PaddleOCR): threshold the map, take each connected region's
minimum-area rectangle, drop regions whose mean probability is low, then grow ("unclip") the
rectangle, because DB is trained to predict a shrunk text kernel. For a rectangle the
Vatti offset of distance d is exactly the rectangle grown by d on every side, so no polygon
clipping library is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ocr_core.detect.components import (
    RotatedRect,
    box_points,
    find_runs,
    label_runs,
    min_area_rect,
    region_means,
    region_points,
)


@dataclass(frozen=True)
class DbParams:
    thresh: float = 0.3
    box_thresh: float = 0.5
    unclip_ratio: float = 1.6
    min_side: float = 3.0
    max_candidates: int = 3000


DEFAULT_DB_PARAMS = DbParams()


def boxes_from_probability_map(
    prob: np.ndarray, dest_width: int, dest_height: int, params: DbParams = DEFAULT_DB_PARAMS
) -> list[tuple[np.ndarray, float]]:
    """Return (4x2 float box in destination pixels, score) for every text region in `prob`.

    `prob` is the H x W map at network resolution; boxes are scaled to dest_width x dest_height.
    """
    height, width = prob.shape
    runs = find_runs(prob > params.thresh)
    if len(runs.row) == 0:
        return []
    labels = label_runs(runs, width)
    count = int(labels.max()) + 1
    scores, sizes = region_means(runs, labels, prob)
    keep = np.flatnonzero((scores >= params.box_thresh) & (sizes >= 4))[: params.max_candidates]
    points = region_points(runs, labels, count)
    scale = np.array([dest_width / width, dest_height / height])
    boxes: list[tuple[np.ndarray, float]] = []
    for index in keep:
        rect = min_area_rect(points[index])
        if min(rect[1]) < params.min_side:
            continue
        grown = unclip_rect(rect, params.unclip_ratio)
        corners = order_clockwise(box_points(grown)) * scale
        corners[:, 0] = corners[:, 0].clip(0, dest_width - 1)
        corners[:, 1] = corners[:, 1].clip(0, dest_height - 1)
        boxes.append((corners.astype(np.float32), float(scores[index])))
    return boxes


def unclip_rect(rect: RotatedRect, ratio: float) -> RotatedRect:
    """Grow a rotated rectangle by DB's offset distance: area * ratio / perimeter."""
    (cx, cy), (w, h), angle = rect
    distance = (w * h) * ratio / (2.0 * (w + h))
    return (cx, cy), (w + 2 * distance, h + 2 * distance), angle


def order_clockwise(points: np.ndarray) -> np.ndarray:
    """Order 4 points as top-left, top-right, bottom-right, bottom-left."""
    points = np.asarray(points, dtype=np.float64)
    by_x = points[np.argsort(points[:, 0], kind="stable")]
    left, right = by_x[:2], by_x[2:]
    top_left, bottom_left = left[np.argsort(left[:, 1], kind="stable")]
    top_right, bottom_right = right[np.argsort(right[:, 1], kind="stable")]
    return np.array([top_left, top_right, bottom_right, bottom_left])
