"""Greedy CTC decoding, vectorised over a batch.

Per time step take the best class; collapse repeats; drop the blank (class 0). A line's
confidence is the mean probability of the characters it kept, the convention clients of
the original service expect.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def ctc_greedy_decode(
    probs: np.ndarray, characters: Sequence[str], widths: Sequence[int] | None = None
) -> list[tuple[str, float]]:
    """Decode N x T x C probabilities; `widths` limits each row to its first T_i steps."""
    best = probs.argmax(axis=2)
    best_prob = probs.max(axis=2)
    results: list[tuple[str, float]] = []
    for row in range(best.shape[0]):
        steps = best.shape[1] if widths is None else int(widths[row])
        indices = best[row, :steps]
        keep = indices != 0
        keep[1:] &= indices[1:] != indices[:-1]
        kept = indices[keep]
        text = "".join(characters[i] for i in kept if i < len(characters))
        confidence = float(best_prob[row, :steps][keep].mean()) if kept.size else 0.0
        results.append((text.strip(), confidence))
    return results
