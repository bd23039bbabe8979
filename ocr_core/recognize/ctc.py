"""Greedy CTC decoding, with character positions, restricted classes and recovered spaces.

Per time step take the best class; collapse repeats; drop the blank (class 0). A line's
confidence is the mean probability of the characters it kept, each at the first step of its
run, the convention clients of the original service (and PaddleOCR) expect.

A reading also carries its `sureness`: the same mean with each character at its *peak* step.
The first step of a run is where the model moves off the blank or the previous character, so
it often sits at 0.4-0.6 for a character the next step reads at 1.0 (`3:30` -> `3` at
[0.52, 1.00]); the peak says how sure the model is of the character itself. The recognizer
cascade uses it to decide which lines deserve a second reading (see `models.Preset`).

Three additions over plain greedy decoding:
- positions: each kept character's run of time steps, so word and character boxes can be cut
  from the line box (a step covers a fixed slice of the resized line);
- a class mask (`lang`, `allowed_chars`) applied inside the argmax, so a disallowed class never
  wins a step: the best allowed class does, rather than a wrong character being filtered away;
- spaces: the small recognizers often let the blank beat the space class between two words
  ("Thankyou", "010-88886666"). Measured on the evaluation's 300 line crops, the space class's
  highest probability between two characters is >= 0.1 for 45 of the 54 spaces the tiny model
  dropped, and for none of 2,900 character pairs without a space once pairs next to full-width
  punctuation (which carries its own spacing) are excluded. Raw blank-run widths separate them
  far worse: a step is 1/6 of the line height, so letters and word gaps differ by one step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from ocr_core.script import is_full_width_punctuation, is_wide

SPACE_PROBABILITY = 0.1
"""A space-class probability this high between two characters means a space (see the docstring)."""
SPACE_PROBABILITY_BY_CJK = 0.05
"""The same between a CJK character and a letter or digit, where the model is shyer: on the
evaluation's line crops three such spaces peak at 0.07-0.10 (`USB 数据线`, `Wi-Fi 密码`, `88 号`)
and the 80 such pairs without a space at most at 0.02 (dates like `2021年11月06日` included);
the rendered `cjk_gap` class (`共 12 件`, `python -m bench.realset`) went 11/12 -> 12/12."""

Span = tuple[float, float]


class Reading(NamedTuple):
    """One decoded line: text, confidence, and per character of `text` its [start, end) and score."""

    text: str
    confidence: float
    spans: tuple[Span, ...] = ()
    scores: tuple[float, ...] = ()
    steps: int = 0
    sureness: float = 0.0
    """Mean of each kept character's peak probability over its steps (see the module docstring)."""


def ctc_decode(
    probs: np.ndarray,
    characters: Sequence[str],
    widths: Sequence[int] | None = None,
    mask: np.ndarray | None = None,
) -> list[Reading]:
    """Decode N x T x C probabilities; `widths` limits row i to its first T_i steps and `mask`
    (C booleans) limits which classes may be chosen."""
    best = probs.argmax(axis=2)
    lost = np.zeros(best.shape, dtype=bool)
    if mask is not None:
        unmasked = best
        best = (probs * mask.astype(probs.dtype)).argmax(axis=2)
        # Steps where a forbidden character won and the blank took its place: the model saw
        # something there, so they count against the line's confidence (the cascade's trigger).
        lost = (unmasked != 0) & (best == 0)
    best_prob = np.take_along_axis(probs, best[:, :, None], axis=2)[:, :, 0]
    space = len(characters) - 1 if characters and characters[-1] == " " else None
    readings: list[Reading] = []
    for row in range(best.shape[0]):
        steps = best.shape[1] if widths is None else int(widths[row])
        space_probs = probs[row, :steps, space] if space is not None else None
        row_lost = lost[row, :steps]
        lost_starts = np.flatnonzero(row_lost & ~np.concatenate(([False], row_lost[:-1])))
        penalties = best_prob[row, lost_starts]  # one per suppressed character
        readings.append(
            _decode_row(best[row, :steps], best_prob[row, :steps], characters, space_probs, penalties)
        )
    return readings


def _decode_row(
    indices: np.ndarray,
    probs: np.ndarray,
    characters: Sequence[str],
    space_probs: np.ndarray | None,
    penalties: np.ndarray,
) -> Reading:
    keep = indices != 0
    keep[1:] &= indices[1:] != indices[:-1]
    starts = np.flatnonzero(keep)
    if not starts.size:
        return Reading("", 0.0, (), (), len(indices))
    confidence = float(np.concatenate([probs[starts], penalties]).mean())
    # A character's steps run from its start to the next start (blanks between count as 0).
    peaks = np.maximum.reduceat(np.where(indices != 0, probs, 0.0), starts)
    sureness = float(np.concatenate([peaks, penalties]).mean())
    chars: list[str] = []
    spans: list[Span] = []
    scores: list[float] = []
    previous_end = -1
    for start in starts.tolist():
        end = start + 1
        while end < len(indices) and indices[end] == indices[start]:
            end += 1
        index = int(indices[start])
        if index >= len(characters):
            continue
        char = characters[index]
        if chars and char != " " and chars[-1] != " " and space_probs is not None:
            gap = space_probs[previous_end - 1 : start + 1]
            if (
                gap.size
                and float(gap.max()) >= _space_threshold(chars[-1], char)
                and _spaced(chars[-1], char)
            ):
                chars.append(" ")
                spans.append((float(previous_end), float(start)))
                scores.append(float(gap.max()))
        chars.append(char)
        spans.append((float(start), float(end)))
        scores.append(float(probs[start]))
        previous_end = end
    while chars and chars[0] == " ":
        del chars[0], spans[0], scores[0]
    while chars and chars[-1] == " ":
        del chars[-1], spans[-1], scores[-1]
    return Reading("".join(chars), confidence, tuple(spans), tuple(scores), len(indices), sureness)


def _space_threshold(left: str, right: str) -> float:
    """SPACE_PROBABILITY, or the lower bar between a CJK character and a letter or digit."""
    if is_wide(left) != is_wide(right) and (left.isalnum() and right.isalnum()):
        return SPACE_PROBABILITY_BY_CJK
    return SPACE_PROBABILITY


def _spaced(left: str, right: str) -> bool:
    """Full-width punctuation carries its own spacing: no space is recovered next to it."""
    return not (is_full_width_punctuation(left) or is_full_width_punctuation(right))


def scored_alternative(
    char: str,
    span: Span,
    probs: np.ndarray,
    index_of: dict[str, int],
    candidates: Iterable[str],
    floor: float,
    mask: np.ndarray | None = None,
) -> str | None:
    """Of `candidates`, the one the model scored highest at the step where it was surest of `char`
    (within the character's `span` of time steps), if at least `floor` and allowed by `mask`.

    The second reading of one character: a look-alike twin, a variant of the other script."""
    own = index_of.get(char)
    if own is None:
        return None
    start = int(span[0])
    end = max(int(span[1]), start + 1)
    step = probs[start + int(np.argmax(probs[start:end, own]))]
    best, best_p = None, floor
    for candidate in candidates:
        k = index_of.get(candidate)
        if k is None or (mask is not None and not mask[k]):
            continue
        if float(step[k]) >= best_p:
            best, best_p = candidate, float(step[k])
    return best
