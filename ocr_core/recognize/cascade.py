"""Second readings: a stronger recognizer for doubtful lines, and an unturned reading of a doubtful flip.

Most lines are easy, so the preset's first recognizer reads them all and the stronger (slower)
one reads only the lines the first was not sure of; the more confident reading wins. The same
rule decides between a line the orientation classifier turned over and the line as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ocr_core.imaging import rotate_180
from ocr_core.recognize.charset import CharFilter
from ocr_core.recognize.ctc import Reading
from ocr_core.recognize.recognizer import TextRecognizer

FLIP_RECHECK_BELOW = 0.9
"""A line the classifier turned over and then read below this confidence is also read unturned."""


@dataclass(frozen=True)
class Cascade:
    """Callable: crops -> readings; doubtful readings are read again by the fallback recognizer."""

    recognizer: TextRecognizer
    fallback: Callable[[], TextRecognizer] | None = None
    """Builds the fallback recognizer on first need: most requests never load it."""
    fallback_below: float = 0.0
    """Readings whose `sureness` is below this are read again (see `models.presets.Preset`)."""

    def __call__(self, crops: Sequence[np.ndarray], char_filter: CharFilter | None = None) -> list[Reading]:
        results = self.recognizer(crops, char_filter)
        if self.fallback is None:
            return results
        doubtful = [i for i, reading in enumerate(results) if reading.sureness < self.fallback_below]
        if doubtful:
            keep_more_confident(results, doubtful, self.fallback()([crops[i] for i in doubtful], char_filter))
        return results


def keep_more_confident(
    readings: list[Reading], indices: Sequence[int], second: Sequence[Reading]
) -> list[int]:
    """Put `second[k]` in place of `readings[indices[k]]` where it is more confident (in place);
    the indices replaced. The rule of both second readings: the fallback model's and the unturned one."""
    replaced = []
    for index, reading in zip(indices, second, strict=True):
        if reading.confidence > readings[index].confidence:
            readings[index] = reading
            replaced.append(index)
    return replaced


def recheck_flips(
    read: Callable[[Sequence[np.ndarray], CharFilter | None], list[Reading]],
    crops: Sequence[np.ndarray],
    readings: list[Reading],
    flipped: Sequence[bool],
    char_filter: CharFilter | None,
) -> list[bool]:
    """Undo the orientation classifier's false flips: the surer of the two readings wins.

    The classifier is sure (p > 0.9) yet wrong on some short upright words ("EXIT" was read as
    "LIX3"), and a wrong flip turns a line into garbage, so a doubtful flipped reading is
    checked the other way round. Updates `readings` in place; returns the corrected flags.
    """
    flags = list(flipped)
    doubtful = [i for i, flag in enumerate(flags) if flag and readings[i].confidence < FLIP_RECHECK_BELOW]
    if not doubtful:
        return flags
    again = read([rotate_180(crops[i]) for i in doubtful], char_filter)
    for index in keep_more_confident(readings, doubtful, again):
        flags[index] = False
    return flags
