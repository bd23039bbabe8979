"""Upside-down line detection with PP-OCR's text-direction classifier (0 vs 180 degrees).

Scans fed in the wrong way round and rotated phone shots give lines the recognizer reads as
garbage. The classifier is tiny (0.6 MB, ~1 ms a line) so every detected line is checked.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnxruntime as ort

from ocr_core.imaging import resize, to_bgr_chw

CLS_HEIGHT, CLS_WIDTH = 48, 192
FLIP_THRESHOLD = 0.9
"""Only flip when the classifier is this sure: a wrong flip costs more than a missed one."""


class OrientationClassifier:
    """Callable: RGB line crops -> list of booleans, True where the line is upside down."""

    def __init__(self, session: ort.InferenceSession, batch: int = 16):
        self.session = session
        self.batch = batch
        self.input_name = session.get_inputs()[0].name

    def __call__(self, crops: Sequence[np.ndarray]) -> list[bool]:
        flipped: list[bool] = []
        for start in range(0, len(crops), self.batch):
            chunk = crops[start : start + self.batch]
            tensor = np.zeros((len(chunk), 3, CLS_HEIGHT, CLS_WIDTH), dtype=np.float32)
            for slot, crop in enumerate(chunk):
                height, width = crop.shape[:2]
                scaled = min(CLS_WIDTH, max(1, round(CLS_HEIGHT * width / max(height, 1))))
                resized = resize(crop, scaled, CLS_HEIGHT)
                to_bgr_chw(resized, 1.0 / 127.5, 1.0, out=tensor[slot, :, :, :scaled])
            probs = self.session.run(None, {self.input_name: tensor})[0]
            flipped.extend(bool(p[1] > FLIP_THRESHOLD) for p in probs)
        return flipped
