"""The Chinese long dash `——`: two em dashes drawn as one unbroken stroke.

CTC collapses repeated classes unless a blank separates them, and an unbroken stroke gives the
model no reason to put a blank in the middle: `第一章——总则` comes out as `第一章—总则`. The
image still says how long the stroke was. CJK characters stand one character pitch apart, so
a single dash puts the centres of its neighbours one pitch plus their half widths apart (half a
pitch for a CJK character, about a third for a digit or letter) and a double dash one pitch
more; the pitch is measured on the line itself (the median distance between neighbouring CJK
characters), so the rule holds at any size and whatever the crop's margins. Lines without
enough CJK characters to measure a pitch, and dashes with no CJK neighbour (Latin text, where
`——` is not used), are left as read.
"""

from __future__ import annotations

import statistics

from ocr_core.recognize.ctc import Reading
from ocr_core.script import is_full_width_punctuation, is_wide

EM_DASH = "\u2014"
DASH_THRESHOLD = 1.5
"""Pitches of stroke between the neighbours' half widths from which a dash is double (one: 1, two: 2)."""
WIDE_HALF = 0.5
"""Half a CJK character's width, in pitches."""
NARROW_HALF = 0.3
"""Half a digit's or Latin letter's width, in pitches."""
MIN_PAIRS = 2
"""Neighbouring CJK character pairs needed to measure the pitch."""


def restore_double_dashes(reading: Reading) -> Reading:
    """`reading` with each em dash that spans two character pitches written as `——`."""
    text, spans = reading.text, reading.spans
    if EM_DASH not in text or len(spans) != len(text):
        return reading
    centres = [(a + b) / 2.0 for a, b in spans]
    pitch = _cjk_pitch(text, centres)
    if pitch is None:
        return reading
    chars, new_spans, scores = list(text), list(spans), list(reading.scores)
    for i in range(len(text) - 2, 0, -1):  # backwards: insertions do not move what is left to do
        before, after = text[i - 1], text[i + 1]
        if (
            text[i] != EM_DASH
            or not (_ideograph(before) or _ideograph(after))
            or {" ", EM_DASH} & {before, after}
        ):
            continue
        halves = _half(before) + _half(after)
        if centres[i + 1] - centres[i - 1] >= (halves + DASH_THRESHOLD) * pitch:
            start, end = spans[i]
            middle = (start + end) / 2.0
            chars[i : i + 1] = [EM_DASH, EM_DASH]
            new_spans[i : i + 1] = [(start, middle), (middle, end)]
            if scores:
                scores[i : i + 1] = [scores[i], scores[i]]
    return reading._replace(text="".join(chars), spans=tuple(new_spans), scores=tuple(scores))


def _half(char: str) -> float:
    return WIDE_HALF if is_wide(char) else NARROW_HALF


def _ideograph(char: str) -> bool:
    return is_wide(char) and not is_full_width_punctuation(char)


def _cjk_pitch(text: str, centres: list[float]) -> float | None:
    gaps = [
        centres[i + 1] - centres[i]
        for i in range(len(text) - 1)
        if _ideograph(text[i]) and _ideograph(text[i + 1])
    ]
    if len(gaps) < MIN_PAIRS:
        return None
    return statistics.median(gaps)
