"""Line recognition with a CTC model (PP-OCR family, incl. the original CRNN).

Lines are resized to the model's height keeping their aspect ratio; widths are rounded up to
a multiple of 32 so the runtime sees few distinct shapes, and lines of similar width are
batched. A batch is capped by its total width, not its line count: activation memory grows
with batch x width, and on CPU batching long lines gains little (fixed bucket widths padded more
than they saved, and wide 16-line batches held over a gigabyte; docs/performance.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import onnxruntime as ort

from ocr_core.imaging import resize, to_bgr_chw
from ocr_core.recognize.charset import CharFilter, class_mask
from ocr_core.recognize.ctc import Reading, ctc_decode
from ocr_core.recognize.dashes import restore_double_dashes
from ocr_core.recognize.lookalikes import settle_lookalikes
from ocr_core.recognize.scripts import one_script

WIDTH_STEP = 32
"""Input widths are multiples of this: bounded padding, few distinct shapes."""
MAX_WIDTH = 3200
"""Wider lines are squeezed to this width (still 400 CTC steps, far more than characters)."""
MAX_BATCH_COLUMNS = 2048
"""Most input columns (lines x padded width) in one batch: caps activation memory."""


class TextRecognizer:
    """Callable: list of RGB line crops -> list of `Reading`s (text, confidence, character spans).

    A reading's spans are fractions of its crop's width, so they map back onto the line box
    whatever the resize did.
    """

    def __init__(
        self,
        session: ort.InferenceSession,
        characters: Sequence[str],
        height: int = 48,
        batch_columns: int = MAX_BATCH_COLUMNS,
        index_of: dict[str, int] | None = None,
    ):
        self.session = session
        self.characters = characters
        self.height = height
        self.batch_columns = batch_columns
        self.input_name = session.get_inputs()[0].name
        self.index_of = index_of if index_of is not None else {c: i for i, c in enumerate(characters)}

    def __call__(self, crops: Sequence[np.ndarray], char_filter: CharFilter | None = None) -> list[Reading]:
        results: list[Reading] = [Reading("", 0.0)] * len(crops)
        widths = [self.scaled_width(crop) for crop in crops]
        mask = class_mask(self.characters, char_filter) if char_filter is not None else None
        for batch in self.batches(widths):
            batch_width = padded(max(widths[i] for i in batch))
            tensor = np.zeros((len(batch), 3, self.height, batch_width), dtype=np.float32)
            for slot, index in enumerate(batch):
                self.normalize(crops[index], widths[index], out=tensor[slot, :, :, : widths[index]])
            probs = self.session.run(None, {self.input_name: tensor})[0]
            steps = probs.shape[1]
            # Read only the time steps that saw the line, not the padding after it.
            valid = [max(1, math.ceil(steps * widths[i] / batch_width)) for i in batch]
            decoded = ctc_decode(probs, self.characters, valid, mask)
            for slot, (index, reading) in enumerate(zip(batch, decoded, strict=True)):
                # A step covers batch_width / steps input columns; spans become crop-width fractions.
                scale = batch_width / steps / widths[index]
                reading = self.settle(reading, probs[slot], mask)
                spans = tuple((min(a * scale, 1.0), min(b * scale, 1.0)) for a, b in reading.spans)
                results[index] = reading._replace(spans=spans)
        return results

    def settle(self, reading: Reading, probs: np.ndarray, mask: np.ndarray | None) -> Reading:
        """What the line around a character says about it (spans still in time steps): look-alike
        letters and digits, one script per line, the long dash."""
        reading = settle_lookalikes(reading, probs, self.index_of, mask)
        reading = one_script(reading, probs, self.index_of, mask)
        return restore_double_dashes(reading)

    def scaled_width(self, crop: np.ndarray) -> int:
        height, width = crop.shape[:2]
        return min(MAX_WIDTH, max(8, math.ceil(self.height * width / max(height, 1))))

    def batches(self, widths: Sequence[int]) -> list[list[int]]:
        """Line indices in batches of similar width, each within the column budget."""
        batches: list[list[int]] = []
        current: list[int] = []
        for index in sorted(range(len(widths)), key=widths.__getitem__):
            # Sorted ascending, so this line is the widest of the batch if it joins.
            if current and (len(current) + 1) * padded(widths[index]) > self.batch_columns:
                batches.append(current)
                current = []
            current.append(index)
        if current:
            batches.append(current)
        return batches

    def normalize(self, crop: np.ndarray, width: int, out: np.ndarray | None = None) -> np.ndarray:
        """Resize to height x width and scale pixels to [-1, 1] as PP-OCR was trained."""
        return to_bgr_chw(resize(crop, width, self.height), 1.0 / 127.5, 1.0, out)


def padded(width: int) -> int:
    return -(-width // WIDTH_STEP) * WIDTH_STEP
