"""Pixel helpers: the integer luma and its histogram percentiles agree with numpy's own."""

from __future__ import annotations

import numpy as np
import pytest

from ocr_core.imaging import luma8, luminance, percentiles_of_levels


@pytest.mark.parametrize("seed", range(5))
def test_histogram_percentiles_equal_numpy_percentile(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 5000))
    # Skewed levels (mostly paper, a little ink) like a page, so the tails hit sparse bins.
    levels = np.where(rng.random(size) < 0.97, rng.integers(200, 256, size), rng.integers(0, 60, size))
    percents = (0.2, 50.0, 99.8, 0.0, 100.0, 37.5)
    expected = np.percentile(levels, percents)
    assert percentiles_of_levels(levels.astype(np.uint16), percents) == pytest.approx(expected)


def test_integer_luma_is_within_one_level_of_float_luma() -> None:
    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, (37, 53, 3), dtype=np.uint8)
    assert np.abs(luma8(image).astype(np.float32) - luminance(image)).max() <= 1.0
    assert luma8(np.full((1, 1, 3), 255, np.uint8))[0, 0] == 255
