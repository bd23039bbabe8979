"""Line boxes stretched at their end to take in a trailing full stop.

The detector's text map barely registers a small mark after the last word: a full stop, a comma,
a closing quote. Its box then ends at the last letter and the line is read without the mark
(`before Friday.` -> `before Friday`). Each horizontal box is stretched along its own direction
by END_PAD of its height, never past the page nor into the next box of its row (it stops
NEIGHBOUR_GAP of a height short of it), so fragments of one row and table cells are not read
into each other. What is read in the stretch is kept only if it is such a mark (`TRAILING_MARKS`):
on signs the stretch also catches a frame's edge (`Hire` -> `Hirel`) or a (R) sign.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ocr_core.geometry import box_sides, rect_of
from ocr_core.layout.rows import rows_of
from ocr_core.recognize.ctc import Reading

END_PAD = 0.3
"""Stretch of a box's end, in its heights."""
NEIGHBOUR_GAP = 0.2
"""Room kept before the next box of the row, in heights."""
TRAILING_MARKS = frozenset(".,;:!?'\")’”。，；：！？）、")
"""What a stretch may add to a line: punctuation that ends a word or a sentence."""


def stretch_line_ends(boxes: Sequence[np.ndarray], page_width: int) -> tuple[list[np.ndarray], list[float]]:
    """The boxes (TL, TR, BR, BL), each horizontal one stretched at its right end, and for each
    the share of its new length that the detected box covered (1.0: not stretched)."""
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
            if pad <= 0:
                continue
            tl, tr, br, bl = stretched[index]
            step = (tr - tl) / across * pad
            stretched[index] = np.array([tl, tr + step, br + step, bl], dtype=np.float32)
            kept[index] = across / (across + pad)
    return stretched, kept


def trim_stretch(reading: Reading, kept: float, flipped: bool = False) -> Reading:
    """`reading` (spans as fractions of its crop) without what was read in the stretched end
    beyond `kept`, unless that is trailing punctuation. A crop turned over has its end first."""
    if kept >= 1.0 or len(reading.spans) != len(reading.text):
        return reading
    parts = []
    for char, span, score in zip(reading.text, reading.spans, reading.scores, strict=True):
        centre = (span[0] + span[1]) / 2.0
        beyond = centre < 1.0 - kept if flipped else centre > kept
        if not beyond or char in TRAILING_MARKS:
            parts.append((char, span, score))
    while parts and parts[-1][0] == " ":
        parts.pop()
    while parts and parts[0][0] == " ":
        parts.pop(0)
    if len(parts) == len(reading.text):
        return reading
    return reading._replace(
        text="".join(p[0] for p in parts),
        spans=tuple(p[1] for p in parts),
        scores=tuple(p[2] for p in parts),
    )
