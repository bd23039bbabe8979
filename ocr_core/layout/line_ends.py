"""Line boxes stretched at their end to take in a trailing full stop.

The detector's text map barely registers a small mark after the last word: a full stop, a comma,
a closing quote. Its box then ends at the last letter and the line is read without the mark
(`before Friday.` -> `before Friday`). Each horizontal box is stretched along its own direction
by END_PAD of its height, never past the page nor into the next box of its row (it stops
NEIGHBOUR_GAP of a height short of it), so fragments of one row and table cells are not read
into each other. A box is stretched only where the page shows such a mark there: some ink in
the stretch, all of it low or high in the line (a full stop, a comma, a quote), none of it a
stroke across the line (a letter, a frame's edge): every other line is cropped and read exactly
as detected. The stretched box is read a second time, and only the trailing marks read in the
stretch (`TRAILING_MARKS`) are added to the line read from its detected box: the rest of the
line stays as it was read (a wider crop can change how a weak model reads the whole line).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ocr_core.geometry import Rect, box_sides, rect_of
from ocr_core.layout.rows import rows_of
from ocr_core.recognize.ctc import Reading

END_PAD = 0.3
"""Stretch of a box's end, in its heights."""
NEIGHBOUR_GAP = 0.2
"""Room kept before the next box of the row, in heights."""
MARK_HEIGHT = 0.5
"""Ink in the stretch reaching over this share of the box height is not a trailing mark."""
LOOK_BACK = 3.0
"""Heights of the line's end looked at, with the stretch, for its paper and ink levels."""
MIN_CONTRAST = 40.0
"""Grey levels between ink and paper below which no mark is looked for."""
TRAILING_MARKS = frozenset(".,;:!?'\")’”。，；：！？）、")
"""What a stretch may add to a line: punctuation that ends a word or a sentence."""


def stretch_line_ends(boxes: Sequence[np.ndarray], image: np.ndarray) -> tuple[list[np.ndarray], list[float]]:
    """The boxes (TL, TR, BR, BL), each horizontal one followed by a mark stretched at its right
    end, and for each the share of its new length that the detected box covered (1.0: as is)."""
    page_width = image.shape[1]
    rects = [rect_of(box) for box in boxes]
    stretched = [np.asarray(box, dtype=np.float32) for box in boxes]
    kept = [1.0] * len(boxes)
    for row in rows_of(range(len(boxes)), rects):
        for position, index in enumerate(row):
            rect = rects[index]
            if rect.is_vertical:
                continue
            across, down = box_sides(stretched[index])
            if across <= 0 or down <= 0:
                continue
            limit = float(page_width - 1)
            if position + 1 < len(row):
                limit = min(limit, rects[row[position + 1]].left - NEIGHBOUR_GAP * down)
            pad = min(END_PAD * down, limit - rect.right)
            if pad <= 0 or not _mark_after(image, rect, rect.right + pad):
                continue
            tl, tr, br, bl = stretched[index]
            step = (tr - tl) / across * pad
            stretched[index] = np.array([tl, tr + step, br + step, bl], dtype=np.float32)
            kept[index] = across / (across + pad)
    return stretched, kept


def _mark_after(image: np.ndarray, rect: Rect, end: float) -> bool:
    """Ink between the line's end and `end`, and all of it a small mark, not a stroke. Paper and
    ink levels come from the line's last few heights and the stretch (not the whole page row)."""
    start = int(rect.right)
    left = max(int(rect.right - LOOK_BACK * rect.height), int(rect.left), 0)
    band = image[max(int(rect.top), 0) : max(int(rect.bottom), 0) + 1, left : max(int(end), 0)]
    if band.size == 0 or start - left >= band.shape[1]:
        return False
    grey = band.astype(np.float32).mean(axis=2) if band.ndim == 3 else band.astype(np.float32)
    distance = np.abs(grey - np.median(grey))
    contrast = float(np.percentile(distance, 99))
    zone = distance[:, start - left :]
    if contrast < MIN_CONTRAST:
        return False
    rows = np.flatnonzero((zone > 0.5 * contrast).any(axis=1))
    return bool(rows.size) and rows[-1] - rows[0] + 1 <= MARK_HEIGHT * zone.shape[0]


def trailing_marks(stretched: Reading, kept: float) -> str:
    """The trailing punctuation read in the stretched end of a line (beyond `kept` of its crop)."""
    if kept >= 1.0 or len(stretched.spans) != len(stretched.text):
        return ""
    marks = ""
    for char, span in zip(reversed(stretched.text), reversed(stretched.spans), strict=True):
        if (span[0] + span[1]) / 2.0 <= kept or char not in TRAILING_MARKS:
            break
        marks = char + marks
    return marks


def with_marks(reading: Reading, marks: str) -> Reading:
    """`reading` ending in `marks` (each placed at the very end of the line), unless it does."""
    if not marks or not reading.text or reading.text.endswith(marks):
        return reading
    end = reading.spans[-1][1] if reading.spans else 1.0
    return reading._replace(
        text=reading.text + marks,
        spans=reading.spans + tuple((end, end) for _ in marks) if reading.spans else (),
        scores=reading.scores + tuple(reading.confidence for _ in marks) if reading.scores else (),
    )
