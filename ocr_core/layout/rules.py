"""Ruling lines of a page: long, thin, straight runs of ink, horizontal or vertical, in numpy.

A pixel is ink when it is clearly darker than the mean of its neighbourhood, so uneven light
(a photographed page) and light cell shading do not count while grey rules do. A rule is a
connected set of long horizontal runs (vertical: the same on the transposed mask); each run
is taken on a 3-pixel band, so a rule tilted by a few degrees (a slightly turned scan) still
gives long runs instead of steps. Text strokes are far shorter than the minimum length the
caller sets from the text height, so letters never become rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ocr_core.detect.components import Runs, find_runs, label_runs

CONTRAST = 0.12
"""Ink is at least this share darker than the mean brightness of its neighbourhood."""
WINDOW = 32
"""Side of the neighbourhood square, in pixels: wider than a rule, narrower than a page's light falls off."""
BLOCK = 4
"""The neighbourhood's brightness is measured on blocks of this many pixels a side."""
MAX_THICKNESS = 9
"""Rows a rule may cover beyond its tilt: thicker dark shapes are bars or pictures, not rules."""


@dataclass(frozen=True)
class Rule:
    """A straight rule: `across = offset + slope * along` for `along` in [start, end].

    For a horizontal rule `along` is x and `across` is y; for a vertical one the reverse.
    """

    horizontal: bool
    start: float
    end: float
    slope: float
    offset: float

    def at(self, along: float) -> float:
        return self.offset + self.slope * along

    @property
    def length(self) -> float:
        return self.end - self.start


def ink_mask(image: np.ndarray) -> np.ndarray:
    """Pixels clearly darker than their surroundings (HxW bool) of an RGB or grey uint8 image.

    Brightness is the green channel (most of luminance; dark, red and blue rules all show in
    it). The surroundings' brightness changes slowly, so it is measured on 4 x 4 blocks and
    spread back: a sixteenth of the work of a full-resolution box filter, for the same mask."""
    grey = image if image.ndim == 2 else image[..., 1]
    h, w = grey.shape
    ink = np.zeros((h, w), dtype=bool)
    rows, cols = h // BLOCK, w // BLOCK
    if not rows or not cols:
        return ink
    inner = grey[: rows * BLOCK, : cols * BLOCK]
    blocks = inner.reshape(rows, BLOCK, cols, BLOCK).mean(axis=(1, 3), dtype=np.float32)
    limit = (_box_mean(blocks, WINDOW // BLOCK) * (1.0 - CONTRAST)).astype(np.uint8)
    ink[: rows * BLOCK, : cols * BLOCK] = inner < np.repeat(np.repeat(limit, BLOCK, axis=0), BLOCK, axis=1)
    return ink


def _box_mean(grey: np.ndarray, side: int) -> np.ndarray:
    """Mean over a side x side square around each pixel (edges repeat the border)."""
    half = side // 2
    padded = np.pad(grey, half, mode="edge").astype(np.float64)
    sums = np.zeros((padded.shape[0] + 1, padded.shape[1] + 1))
    sums[1:, 1:] = padded.cumsum(axis=0).cumsum(axis=1)
    h, w = grey.shape
    total = sums[side : side + h, side : side + w] - sums[:h, side : side + w]
    total = total - sums[side : side + h, :w] + sums[:h, :w]
    return (total / (side * side)).astype(np.float32)


def find_rules(ink: np.ndarray, min_length: float, horizontal: bool) -> list[Rule]:
    """Rules of one direction at least `min_length` pixels long."""
    mask = ink if horizontal else ink.T
    band = mask.copy()
    band[1:] |= mask[:-1]
    band[:-1] |= mask[1:]
    runs = find_runs(band)
    keep = (runs.end - runs.start) >= min_length
    runs = Runs(runs.row[keep], runs.start[keep], runs.end[keep])
    if not runs.row.size:
        return []
    labels = label_runs(runs, mask.shape[1])
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    rules = []
    for group in np.split(order, bounds):
        rule = _fit(runs.row[group], runs.start[group], runs.end[group], horizontal)
        if rule is not None:
            rules.append(rule)
    return rules


def _fit(rows: np.ndarray, starts: np.ndarray, ends: np.ndarray, horizontal: bool) -> Rule | None:
    """The straight line through one component's runs (weighted by length), or None if too thick."""
    mids = (starts + ends) / 2.0
    weights = (ends - starts).astype(np.float64)
    mean_mid = float(np.average(mids, weights=weights))
    mean_row = float(np.average(rows, weights=weights))
    spread = float(np.average((mids - mean_mid) ** 2, weights=weights))
    slope = 0.0
    if spread > 1.0:
        slope = float(np.average((mids - mean_mid) * (rows - mean_row), weights=weights)) / spread
    start, end = float(starts.min()), float(ends.max())
    if int(rows.max() - rows.min()) > MAX_THICKNESS + abs(slope) * (end - start):
        return None
    return Rule(horizontal, start, end, slope, mean_row - slope * mean_mid)
