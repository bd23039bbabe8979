"""DBNet post-processing and region geometry on synthetic probability maps."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocr_core.detect.components import find_runs, label_runs, min_area_rect, region_points
from ocr_core.detect.db_postprocess import DbParams, boxes_from_probability_map, order_clockwise, unclip_rect


def test_boxes_from_map_finds_each_text_region_scaled_to_image() -> None:
    prob = np.zeros((64, 128), dtype=np.float32)
    prob[10:20, 10:60] = 0.9
    prob[40:50, 30:120] = 0.8
    boxes = boxes_from_probability_map(prob, dest_width=256, dest_height=128)
    assert len(boxes) == 2
    boxes.sort(key=lambda item: item[0][:, 1].min())
    first, score = boxes[0]
    assert score == pytest.approx(0.9, abs=1e-6)
    # The kernel spans x 10..59, y 10..19 at map scale; unclipped and doubled it must cover
    # x 20..118, y 20..38 in the image and stay near it.
    assert first[:, 0].min() <= 20 and first[:, 0].max() >= 118
    assert first[:, 1].min() <= 20 and first[:, 1].max() >= 38
    assert first[:, 0].min() > 0 and first[:, 1].max() < 60


def test_boxes_from_map_drops_low_score_and_tiny_regions() -> None:
    prob = np.zeros((64, 64), dtype=np.float32)
    prob[10:20, 10:50] = 0.35  # above the pixel threshold, below the box threshold
    prob[40, 40] = 0.99  # a single pixel
    assert boxes_from_probability_map(prob, 64, 64, DbParams(thresh=0.3, box_thresh=0.5)) == []


def test_boxes_from_map_follows_tilted_text() -> None:
    prob = np.zeros((200, 200), dtype=np.float32)
    rect = ((100.0, 100.0), (120.0, 16.0), 20.0)
    cv2.fillPoly(prob, [cv2.boxPoints(rect).astype(np.int32)], 0.9)
    (box, _), *rest = boxes_from_probability_map(prob, 200, 200)
    assert rest == []
    top_edge = box[1] - box[0]
    assert np.degrees(np.arctan2(top_edge[1], top_edge[0])) == pytest.approx(20.0, abs=2.0)


def test_unclip_rect_grows_by_db_offset_distance() -> None:
    (_, (width, height), _) = unclip_rect(((0.0, 0.0), (100.0, 10.0), 0.0), ratio=1.5)
    distance = 100 * 10 * 1.5 / (2 * 110)
    assert (width, height) == pytest.approx((100 + 2 * distance, 10 + 2 * distance))


def test_order_clockwise_starts_top_left() -> None:
    shuffled = np.array([[10, 10], [0, 0], [10, 0], [0, 10]], dtype=np.float32)
    assert order_clockwise(shuffled).tolist() == [[0, 0], [10, 0], [10, 10], [0, 10]]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(5, 75), st.integers(5, 55), st.integers(1, 20), st.integers(1, 8), st.integers(0, 179)
        ),
        min_size=1,
        max_size=5,
    )
)
def test_regions_match_opencv_components_and_min_area(ellipses: list[tuple[int, ...]]) -> None:
    """OpenCV is the oracle: same number of 8-connected regions, same minimum-area rectangles."""
    bitmap = np.zeros((60, 80), dtype=np.uint8)
    for cx, cy, ax, ay, angle in ellipses:
        cv2.ellipse(bitmap, (cx, cy), (ax, ay), angle, 0, 360, 1, -1)
    expected_count = cv2.connectedComponents(bitmap, connectivity=8)[0] - 1
    runs = find_runs(bitmap)
    labels = label_runs(runs, bitmap.shape[1])
    assert int(labels.max()) + 1 == expected_count
    for points in region_points(runs, labels, expected_count):
        ours = min_area_rect(points)
        theirs = cv2.minAreaRect(points.astype(np.float32))
        assert ours[1][0] * ours[1][1] == pytest.approx(theirs[1][0] * theirs[1][1], rel=1e-3, abs=1e-3)
