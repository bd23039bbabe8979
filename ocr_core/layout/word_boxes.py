"""Word and character boxes: CTC positions along a line crop mapped back onto the page.

A crop is the line box warped to a rectangle, then maybe turned (a vertical column laid on
its side, an upside-down line turned over). A point of the crop, as fractions (u along the
reading direction, v across it), maps back through those turns and then bilinearly through
the box's four corners, which is exactly how Pillow's QUAD warp sampled it. CTC marks where
a character was read (a narrow run of time steps), not its full width, so a character's box
spans half way to its neighbours, capped at a typical glyph width for its kind: about the
line height for CJK characters, half of it for Latin letters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr_core.geometry import Box, box_sides
from ocr_core.lines import TextLine, TextPart
from ocr_core.recognize.ctc import Reading
from ocr_core.script import is_wide

WIDE_HALF = 0.5
"""Half a CJK character's width, in line heights."""
NARROW_HALF = 0.3
"""Half a Latin letter's width (generous: capital W, digits with padding), in line heights."""


@dataclass(frozen=True, eq=False)
class CropFrame:
    """Where a crop came from: the 4-point box (TL, TR, BR, BL) and the turns applied after warping."""

    box: np.ndarray
    vertical: bool = False
    flipped: bool = False

    @property
    def length(self) -> float:
        """Extent along the reading direction, in page pixels."""
        across, down = box_sides(self.box)
        return down if self.vertical else across

    @property
    def thickness(self) -> float:
        """Extent across the reading direction (the line height), in page pixels."""
        across, down = box_sides(self.box)
        return across if self.vertical else down

    def to_page(self, u: float, v: float) -> tuple[float, float]:
        if self.flipped:
            u, v = 1.0 - u, 1.0 - v
        if self.vertical:
            u, v = 1.0 - v, u  # the column was turned counter-clockwise: its top is now the left
        tl, tr, br, bl = self.box.astype(np.float64)
        top = tl + (tr - tl) * u
        bottom = bl + (br - bl) * u
        x, y = top + (bottom - top) * v
        return float(x), float(y)

    def segment(self, start: float, end: float) -> Box:
        """The box of the crop slice [start, end] (fractions along the line), clockwise from top-left."""
        corners = [
            self.to_page(start, 0.0),
            self.to_page(end, 0.0),
            self.to_page(end, 1.0),
            self.to_page(start, 1.0),
        ]
        first = min(range(4), key=lambda i: (corners[i][0] + corners[i][1], corners[i][0]))
        ordered = corners[first:] + corners[:first]
        return tuple((round(x), round(y)) for x, y in ordered)  # type: ignore[return-value]


def char_extents(
    text: str, spans: Sequence[tuple[float, float]], frame: CropFrame
) -> list[tuple[float, float]]:
    """[start, end] of every character of `text` along the line, as fractions of its length."""
    length = max(frame.length, 1.0)
    centres = [(a + b) / 2.0 for a, b in spans]
    extents = []
    for index, (char, centre) in enumerate(zip(text, centres, strict=True)):
        half = (WIDE_HALF if is_wide(char) else NARROW_HALF) * frame.thickness / length
        step_half = (spans[index][1] - spans[index][0]) / 2.0
        half = max(half, step_half)
        left = centre - half if index == 0 else max(centre - half, (centres[index - 1] + centre) / 2.0)
        last = index == len(text) - 1
        right = centre + half if last else min(centre + half, (centre + centres[index + 1]) / 2.0)
        extents.append((max(left, 0.0), min(right, 1.0)))
    return extents


def char_parts(
    text: str, spans: Sequence[tuple[float, float]], scores: Sequence[float], frame: CropFrame
) -> tuple[TextPart, ...]:
    """One part per character that is not a space."""
    extents = char_extents(text, spans, frame)
    return tuple(
        TextPart(char, frame.segment(*extents[i]), float(scores[i]))
        for i, char in enumerate(text)
        if not char.isspace()
    )


def word_groups(text: str) -> list[list[int]]:
    """Indices into `text` of each word: Latin words are runs between spaces, a CJK character
    is a word alone (as a reader selects them)."""
    groups: list[list[int]] = []
    current: list[int] = []
    for index, char in enumerate(text):
        if char.isspace() or is_wide(char):
            if current:
                groups.append(current)
                current = []
            if not char.isspace():
                groups.append([index])
        else:
            current.append(index)
    if current:
        groups.append(current)
    return groups


def word_parts(
    text: str, spans: Sequence[tuple[float, float]], scores: Sequence[float], frame: CropFrame
) -> tuple[TextPart, ...]:
    """Each word (`word_groups`) with the box of its characters' extents along the line."""
    extents = char_extents(text, spans, frame)
    return tuple(
        TextPart(
            "".join(text[i] for i in group),
            frame.segment(extents[group[0]][0], extents[group[-1]][1]),
            float(np.mean([scores[i] for i in group])),
        )
        for group in word_groups(text)
    )


def build_line(reading: Reading, frame: CropFrame, page: int, level: str = "line") -> TextLine:
    """The `TextLine` of a reading; with `level` "word" its words, with "char" words and characters."""
    box: Box = tuple((round(float(x)), round(float(y))) for x, y in frame.box)  # type: ignore[assignment]
    line = TextLine(reading.text, reading.confidence, box, page)
    if level == "line" or len(reading.spans) != len(reading.text):
        return line
    words = word_parts(reading.text, reading.spans, reading.scores, frame)
    chars = char_parts(reading.text, reading.spans, reading.scores, frame) if level == "char" else None
    return TextLine(reading.text, reading.confidence, box, page, words=words, chars=chars)
