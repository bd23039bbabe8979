"""Greedy CTC decoding: repeats collapse, blanks separate, padding steps are ignored."""

from __future__ import annotations

import numpy as np
import pytest

from ocr_core.recognize.ctc import ctc_decode

CHARS = ["", "a", "b", "你", " "]


def ctc_greedy_decode(
    probs: np.ndarray, characters: list[str], widths: list[int] | None = None
) -> list[tuple[str, float]]:
    return [(reading.text, reading.confidence) for reading in ctc_decode(probs, characters, widths)]


def _probs(path: list[int], confidence: float = 0.9) -> np.ndarray:
    probs = np.full((1, len(path), len(CHARS)), (1 - confidence) / (len(CHARS) - 1), dtype=np.float32)
    for step, index in enumerate(path):
        probs[0, step, index] = confidence
    return probs


def test_ctc_collapses_repeats_and_drops_blanks() -> None:
    assert ctc_greedy_decode(_probs([1, 1, 0, 2, 2, 3]), CHARS)[0][0] == "ab你"


def test_ctc_blank_separates_a_doubled_letter() -> None:
    assert ctc_greedy_decode(_probs([1, 0, 1]), CHARS)[0][0] == "aa"


def test_ctc_confidence_is_mean_of_kept_characters() -> None:
    probs = _probs([1, 0, 2])
    probs[0, 2, 2] = 0.5
    _, confidence = ctc_greedy_decode(probs, CHARS)[0]
    assert confidence == pytest.approx((0.9 + 0.5) / 2)


def test_ctc_sureness_takes_each_character_at_its_peak_step() -> None:
    # "a" enters at 0.5 and holds at 0.9; "b" is one step at 0.6: the first-step confidence
    # sees 0.5 and 0.6, the sureness 0.9 and 0.6.
    probs = _probs([1, 1, 0, 2])
    probs[0, 0, 1] = 0.5
    probs[0, 3, 2] = 0.6
    reading = ctc_decode(probs, CHARS)[0]
    assert reading.text == "ab"
    assert reading.confidence == pytest.approx((0.5 + 0.6) / 2)
    assert reading.sureness == pytest.approx((0.9 + 0.6) / 2)


def test_ctc_sureness_ignores_the_blank_after_a_character() -> None:
    probs = _probs([1, 0, 0, 2], confidence=0.7)
    probs[0, 1:3, 0] = 0.99  # very sure blanks must not lift "a"
    assert ctc_decode(probs, CHARS)[0].sureness == pytest.approx(0.7)


def test_ctc_ignores_steps_beyond_valid_width() -> None:
    assert ctc_greedy_decode(_probs([1, 0, 2, 3]), CHARS, widths=[2])[0][0] == "a"


def test_ctc_all_blank_is_empty_with_zero_confidence() -> None:
    assert ctc_greedy_decode(_probs([0, 0, 0]), CHARS) == [("", 0.0)]


def test_ctc_strips_edge_spaces() -> None:
    assert ctc_greedy_decode(_probs([4, 1, 4, 2, 4]), CHARS)[0][0] == "a b"
