"""Backgrounds and colours for the evaluation set's scenes (float canvases, see `bench.kit.canvas`)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import cv2
import numpy as np

from bench.kit.canvas import RGB, solid


def luminance(colour: Sequence[float]) -> float:
    r, g, b = colour[:3]
    return 0.299 * r + 0.587 * g + 0.114 * b


def gradient(h: int, w: int, c1: Sequence[float], c2: Sequence[float], angle: float) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = xx * math.cos(angle) + yy * math.sin(angle)
    t = (t - t.min()) / max(float(t.max() - t.min()), 1.0)
    c1a, c2a = np.asarray(c1, np.float32), np.asarray(c2, np.float32)
    return c1a + (c2a - c1a) * t[..., None]


def smooth_noise(h: int, w: int, np_rng: np.random.Generator, cell: int) -> np.ndarray:
    """Low-frequency noise in -1..1 (a cheap value-noise texture)."""
    small = np_rng.uniform(-1, 1, (max(2, h // cell + 2), max(2, w // cell + 2))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def paper(h: int, w: int, np_rng: np.random.Generator) -> np.ndarray:
    base = (np_rng.uniform(236, 250), np_rng.uniform(228, 244), np_rng.uniform(205, 228))
    image = solid(h, w, base)
    image += smooth_noise(h, w, np_rng, 40)[..., None] * 6
    image += np_rng.normal(0, 2.5, (h, w, 1)).astype(np.float32)
    return image


def textured(h: int, w: int, np_rng: np.random.Generator, colour: Sequence[float]) -> np.ndarray:
    image = solid(h, w, colour)
    image += smooth_noise(h, w, np_rng, 12)[..., None] * 18
    image += smooth_noise(h, w, np_rng, 3)[..., None] * 8
    return image


def random_colour(rng: random.Random, lo: int = 0, hi: int = 255) -> RGB:
    return (rng.randint(lo, hi), rng.randint(lo, hi), rng.randint(lo, hi))


def contrasting_colour(rng: random.Random, bg_lums: Sequence[float], min_delta: float) -> RGB:
    """A random text colour at least ``min_delta`` luminance away from every background tone."""
    for _ in range(500):
        colour = random_colour(rng)
        if all(abs(luminance(colour) - lum) >= min_delta for lum in bg_lums):
            return colour
    mean = sum(bg_lums) / len(bg_lums)
    return (0, 0, 0) if mean > 128 else (255, 255, 255)


def near_white(rng: random.Random) -> RGB:
    v = rng.randint(235, 255)
    return (v, v - rng.randint(0, 6), v - rng.randint(0, 10))


def near_black(rng: random.Random) -> RGB:
    v = rng.randint(0, 50)
    return (v, v, v + rng.randint(0, 30))
