"""Letters and digits that look alike (`l`/`1`, `O`/`0`, `B`/`8`, `S`/`5`), settled by the word.

On a typewritten page `liter` comes out `1iter` and `kruidnagel` `kruidnage1`: at that step the
model gave the digit 0.53-0.75 and the letter 0.25-0.47. A word that is clearly letters (two or
more letters, and digits only where a letter's twin could stand) reads its look-alike digits as
the letter, and a number reads its look-alike letters as the digit, but only where the model
itself scored the twin at ALTERNATIVE_FLOOR or more at the character's strongest step: a digit
the image shows plainly (the model gave the letter next to nothing) stays a digit.
Dictionary-free: only the character classes around the character decide.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ocr_core.recognize.ctc import Reading, scored_alternative

TWINS: dict[str, str] = {
    "0": "Oo",
    "1": "lI",
    "5": "Ss",
    "8": "B",
    "O": "0",
    "o": "0",
    "l": "1",
    "I": "1",
    "S": "5",
    "s": "5",
    "B": "8",
}
"""Each look-alike and the characters of the other class it may stand for."""
ALTERNATIVE_FLOOR = 0.05
"""The model must have given the twin this probability at the character's strongest step."""
MIN_CONTEXT = 2
"""Characters of the word's own class needed to call it a word (or a number)."""


def settle_lookalikes(
    reading: Reading,
    probs: np.ndarray,
    index_of: dict[str, int],
    mask: np.ndarray | None = None,
) -> Reading:
    """`reading` (spans in time steps of `probs`, T x C) with look-alikes matched to their word."""
    text = list(reading.text)
    if len(reading.spans) != len(text):
        return reading
    changed = False
    for start, end in _words(reading.text):
        for position in _strays(reading.text[start:end]):
            k = start + position
            twin = scored_alternative(
                text[k], reading.spans[k], probs, index_of, TWINS[text[k]], ALTERNATIVE_FLOOR, mask
            )
            if twin is not None:
                text[k] = twin
                changed = True
    return reading._replace(text="".join(text)) if changed else reading


def _words(text: str) -> list[tuple[int, int]]:
    """[start, end) of each run of ASCII letters and digits."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, char in enumerate(text + " "):
        inside = char.isascii() and char.isalnum()
        if inside and start is None:
            start = i
        elif not inside and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _strays(word: str) -> Sequence[int]:
    """Positions of look-alikes of the word's minority class, when the word is clearly letters
    (or digits) and every character of the other class in it is a look-alike."""
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    digits = [i for i, c in enumerate(word) if c.isdigit()]
    for own, other in ((letters, digits), (digits, letters)):
        clear = other and len(own) >= MIN_CONTEXT and len(own) > len(other)
        if clear and all(word[i] in TWINS for i in other):
            return other
    return []
