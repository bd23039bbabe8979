"""One script per line: a simplified line does not switch single characters to traditional.

A recognizer trained on both scripts sometimes reads one character of a simplified line in its
traditional form (`黄石市人民医院` -> `黃石市人民医院`, `结论` -> `結论`) or one character of a
traditional line in its simplified form (`臺灣大學` -> `臺湾大學`). A character of one script is
replaced by its variant of the other (Unicode's Unihan pairs, `variants.txt`) when the rest of
the line leans that way and the model also scored the variant at the character's strongest
step (VARIANT_FLOOR): it saw both forms, and the line says which one the writer used.

Which way a line leans: its other characters' scripts, as `charset` decides them (traditional-
only: Big5 encodes it and GB2312 does not; simplified-only the other way round; characters
common to both count for neither). A line with no other evidence leans simplified, the service's
main script: a lone traditional character among common ones is far more often a misread than
traditional text (which shows traditional-only characters in nearly every line).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from ocr_core.recognize.charset import is_simplified_only, is_traditional_only
from ocr_core.recognize.ctc import Reading, scored_alternative

VARIANTS_FILE = Path(__file__).with_name("variants.txt")
VARIANT_FLOOR = 0.001
"""The variant must have this probability at the character's strongest step (the model weighed it)."""


def one_script(
    reading: Reading, probs: np.ndarray, index_of: dict[str, int], mask: np.ndarray | None = None
) -> Reading:
    """`reading` (spans in time steps of `probs`, T x C) with each character whose script the
    rest of the line contradicts replaced by its scored variant."""
    if len(reading.spans) != len(reading.text):
        return reading
    simplified = sum(_simplified(c) for c in reading.text)
    traditional = sum(_traditional(c) for c in reading.text)
    if not simplified and not traditional:
        return reading
    text = list(reading.text)
    for k, char in enumerate(reading.text):
        if _traditional(char):
            leans_other = simplified >= traditional - 1  # the others: ties lean simplified
            own_script = _traditional
        elif _simplified(char):
            leans_other = traditional > simplified - 1
            own_script = _simplified
        else:
            continue
        if leans_other:
            others = [variant for variant in variants().get(char, ()) if not own_script(variant)]
            variant = scored_alternative(char, reading.spans[k], probs, index_of, others, VARIANT_FLOOR, mask)
            text[k] = variant or char
    return reading._replace(text="".join(text))


@cache
def variants() -> dict[str, tuple[str, ...]]:
    """Each character's variants of the other script (both directions of every pair)."""
    table: dict[str, list[str]] = {}
    for line in VARIANTS_FILE.read_text(encoding="utf-8").splitlines():
        if len(line) == 2 and not line.startswith("#"):
            simplified, traditional = line[0], line[1]
            table.setdefault(simplified, []).append(traditional)
            table.setdefault(traditional, []).append(simplified)
    return {char: tuple(others) for char, others in table.items()}


@cache
def _simplified(char: str) -> bool:
    return is_simplified_only(char)


@cache
def _traditional(char: str) -> bool:
    return is_traditional_only(char)
