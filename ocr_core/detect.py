"""Text detection with a DBNet ONNX model: page image -> text line boxes."""

from __future__ import annotations

import cv2
import numpy as np
import onnxruntime as ort

from ocr_core.db_postprocess import DbParams, boxes_from_probability_map

_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32) * 255.0
_INV_STD = 1.0 / (np.array([0.229, 0.224, 0.225], dtype=np.float32) * 255.0)


class TextDetector:
    """Callable: BGR image -> list of (4x2 box in image pixels, score)."""

    def __init__(self, session: ort.InferenceSession, limit_side: int = 960, params: DbParams = DbParams()):
        self.session = session
        self.limit_side = limit_side
        self.params = params
        self.input_name = session.get_inputs()[0].name

    def __call__(self, image: np.ndarray) -> list[tuple[np.ndarray, float]]:
        height, width = image.shape[:2]
        tensor = self.preprocess(image)
        prob = self.session.run(None, {self.input_name: tensor})[0][0, 0]
        return boxes_from_probability_map(prob, width, height, self.params)

    def preprocess(self, image: np.ndarray) -> np.ndarray:
        resized = cv2.resize(image, detector_size(image.shape[1], image.shape[0], self.limit_side))
        # PaddleOCR trains DB with the RGB ImageNet mean/std applied to BGR pixels as they are;
        # matching that quirk matters more than matching the textbook channel order.
        normalized = (resized.astype(np.float32) - _MEAN) * _INV_STD
        return np.ascontiguousarray(normalized.transpose(2, 0, 1)[None])


def detector_size(width: int, height: int, limit_side: int) -> tuple[int, int]:
    """Scale so the long side fits `limit_side`, sides rounded to multiples of 32 (DB's stride)."""
    ratio = min(1.0, limit_side / max(width, height))
    new_w = max(32, int(round(width * ratio / 32)) * 32)
    new_h = max(32, int(round(height * ratio / 32)) * 32)
    return new_w, new_h
