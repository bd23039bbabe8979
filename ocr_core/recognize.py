"""Line recognition with a CTC model (PP-OCR family, incl. the original CRNN).

Lines are resized to the model's height keeping their aspect ratio, then grouped into a
few width buckets and run as batches: one padded batch per bucket beats one call per line,
and bucketing keeps padding (wasted compute) small compared with one global width.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import onnxruntime as ort

from ocr_core.ctc import ctc_greedy_decode
from ocr_core.imaging import resize, to_bgr_chw

WIDTH_BUCKETS = (160, 320, 480, 640, 960, 1280, 1920, 2560)
MAX_BATCH = 16


class TextRecognizer:
    """Callable: list of RGB line crops -> list of (text, confidence), in the same order."""

    def __init__(
        self,
        session: ort.InferenceSession,
        characters: Sequence[str],
        height: int = 48,
        buckets: Sequence[int] | None = WIDTH_BUCKETS,
    ):
        self.session = session
        self.characters = characters
        self.height = height
        self.buckets = buckets
        self.input_name = session.get_inputs()[0].name

    def __call__(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        results: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        widths = [self.scaled_width(crop) for crop in crops]
        for batch_width, indices in self.batches(widths):
            tensor = np.zeros((len(indices), 3, self.height, batch_width), dtype=np.float32)
            for slot, index in enumerate(indices):
                width = min(widths[index], batch_width)
                tensor[slot, :, :, :width] = self.normalize(crops[index], width)
            probs = self.session.run(None, {self.input_name: tensor})[0]
            steps = probs.shape[1]
            # Read only the time steps that saw the line, not the padding after it.
            valid = [max(1, math.ceil(steps * min(widths[i], batch_width) / batch_width)) for i in indices]
            for index, decoded in zip(indices, ctc_greedy_decode(probs, self.characters, valid), strict=True):
                results[index] = decoded
        return results

    def scaled_width(self, crop: np.ndarray) -> int:
        height, width = crop.shape[:2]
        return max(8, math.ceil(self.height * width / max(height, 1)))

    def batches(self, widths: Sequence[int]) -> list[tuple[int, list[int]]]:
        """Group line indices by width bucket (or exact width when buckets are off)."""
        groups: dict[int, list[int]] = {}
        for index in sorted(range(len(widths)), key=widths.__getitem__):
            groups.setdefault(self.bucket(widths[index]), []).append(index)
        batches: list[tuple[int, list[int]]] = []
        for bucket_width, indices in groups.items():
            for start in range(0, len(indices), MAX_BATCH):
                chunk = indices[start : start + MAX_BATCH]
                width = bucket_width if self.buckets else max(widths[i] for i in chunk)
                batches.append((width, chunk))
        return batches

    def bucket(self, width: int) -> int:
        if not self.buckets:
            return 0
        for bucket_width in self.buckets:
            if width <= bucket_width:
                return bucket_width
        return self.buckets[-1]

    def normalize(self, crop: np.ndarray, width: int) -> np.ndarray:
        """Resize to height x width and scale pixels to [-1, 1] as PP-OCR was trained."""
        return to_bgr_chw(resize(crop, width, self.height), 1.0 / 127.5, 1.0)
