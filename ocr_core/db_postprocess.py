"""DBNet post-processing: text probability map -> quadrilateral text boxes.

Steps (as in the DB paper and PaddleOCR): threshold the map, take each connected region's
minimum-area rectangle, drop regions whose mean probability is low, then grow ("unclip") the
rectangle, because DB is trained to predict a shrunk text kernel. For a rectangle the
Vatti offset of distance d is exactly the rectangle grown by d on every side, so no polygon
clipping library is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class DbParams:
    thresh: float = 0.3
    box_thresh: float = 0.5
    unclip_ratio: float = 1.6
    min_side: float = 3.0
    max_candidates: int = 3000


def boxes_from_probability_map(
    prob: np.ndarray, dest_width: int, dest_height: int, params: DbParams = DbParams()
) -> list[tuple[np.ndarray, float]]:
    """Return (4x2 float box in destination pixels, score) for every text region in `prob`.

    `prob` is the H x W map at network resolution; boxes are scaled to dest_width x dest_height.
    """
    height, width = prob.shape
    bitmap = (prob > params.thresh).astype(np.uint8)
    contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    scale = np.array([dest_width / width, dest_height / height], dtype=np.float32)
    boxes: list[tuple[np.ndarray, float]] = []
    for contour in contours[: params.max_candidates]:
        if len(contour) < 4:
            continue
        rect = cv2.minAreaRect(contour)
        if min(rect[1]) < params.min_side:
            continue
        score = region_score(prob, contour.reshape(-1, 2))
        if score < params.box_thresh:
            continue
        grown = unclip_rect(rect, params.unclip_ratio)
        if min(grown[1]) < params.min_side + 2:
            continue
        points = order_clockwise(cv2.boxPoints(grown)) * scale
        points[:, 0] = points[:, 0].clip(0, dest_width - 1)
        points[:, 1] = points[:, 1].clip(0, dest_height - 1)
        boxes.append((points, score))
    return boxes


def region_score(prob: np.ndarray, polygon: np.ndarray) -> float:
    """Mean probability inside the contour (PaddleOCR's 'slow' score, robust for tilted text)."""
    x0, y0 = polygon.min(axis=0)
    x1, y1 = polygon.max(axis=0)
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    cv2.fillPoly(mask, [(polygon - [x0, y0]).astype(np.int32)], 1)
    return float(cv2.mean(prob[y0 : y1 + 1, x0 : x1 + 1], mask)[0])


def unclip_rect(
    rect: tuple[tuple[float, float], tuple[float, float], float], ratio: float
) -> tuple[tuple[float, float], tuple[float, float], float]:
    """Grow a rotated rectangle by DB's offset distance: area * ratio / perimeter."""
    (cx, cy), (w, h), angle = rect
    distance = (w * h) * ratio / (2.0 * (w + h))
    return (cx, cy), (w + 2 * distance, h + 2 * distance), angle


def order_clockwise(points: np.ndarray) -> np.ndarray:
    """Order 4 points as top-left, top-right, bottom-right, bottom-left."""
    points = np.asarray(points, dtype=np.float32)
    by_x = points[np.argsort(points[:, 0], kind="stable")]
    left, right = by_x[:2], by_x[2:]
    top_left, bottom_left = left[np.argsort(left[:, 1], kind="stable")]
    top_right, bottom_right = right[np.argsort(right[:, 1], kind="stable")]
    return np.array([top_left, top_right, bottom_right, bottom_left], dtype=np.float32)
