"""Text detection with a DBNet ONNX model: page image -> text line boxes."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort

from ocr_core.detect.db_postprocess import DEFAULT_DB_PARAMS, DbParams, boxes_from_probability_map
from ocr_core.imaging import resize, to_bgr_chw

BORDER = 16
"""Replicated margin (network pixels) around the resized image; 2 x 16 keeps sides multiples of 32.

DB misses text that touches the image edge (a tight line crop has almost no margin), because
it learned text kernels surrounded by background. Padding after the resize costs a few
thousand pixels instead of a copy of a full-resolution scan.
"""

# PaddleOCR trains DB with the RGB ImageNet mean/std applied to BGR pixels as they are;
# matching that quirk matters more than matching the textbook channel order.
_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
_SCALE = 1.0 / (255.0 * _STD)
_OFFSET = _MEAN / _STD
"""(pixel / 255 - mean) / std folded into pixel * scale - offset: one multiply, one subtract."""


class TextDetector:
    """Callable: RGB image -> list of (4x2 box in image pixels, score)."""

    def __init__(
        self, session: ort.InferenceSession, limit_side: int = 960, params: DbParams = DEFAULT_DB_PARAMS
    ):
        self.session = session
        self.limit_side = limit_side
        self.params = params
        self.input_name = session.get_inputs()[0].name

    def __call__(self, image: np.ndarray) -> list[tuple[np.ndarray, float]]:
        height, width = image.shape[:2]
        prob = self.session.run(None, {self.input_name: self.preprocess(image)})[0][0, 0]
        inner = prob[BORDER:-BORDER, BORDER:-BORDER]
        return boxes_from_probability_map(inner, width, height, self.params)

    def preprocess(self, image: np.ndarray) -> np.ndarray:
        """Resize to the network size, add the replicated border, normalise to NCHW float."""
        new_w, new_h = detector_size(image.shape[1], image.shape[0], self.limit_side)
        resized = resize(image, new_w, new_h)
        padded = np.pad(resized, ((BORDER, BORDER), (BORDER, BORDER), (0, 0)), mode="edge")
        return to_bgr_chw(padded, _SCALE, _OFFSET)[None]


def detector_size(width: int, height: int, limit_side: int) -> tuple[int, int]:
    """Scale so the long side fits `limit_side`, sides rounded to multiples of 32 (DB's stride)."""
    ratio = min(1.0, limit_side / max(width, height))
    new_w = max(32, round(width * ratio / 32) * 32)
    new_h = max(32, round(height * ratio / 32) * 32)
    return new_w, new_h
