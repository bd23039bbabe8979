"""Single-line crops of every line category: clean print, handwriting, and each degradation."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np

from bench.evalset.backgrounds import (
    contrasting_colour,
    gradient,
    luminance,
    near_black,
    near_white,
    paper,
    random_colour,
    textured,
)
from bench.evalset.content import check_charset
from bench.evalset.degrade import add_noise, gaussian_blur, motion_blur, rotate_expand
from bench.evalset.labels import Rendered
from bench.kit.canvas import RGB, compose, render_mask, solid
from bench.kit.fonts import load_font, pick_font

PRINT_FONTS: tuple[str, ...] = (
    "noto_sans_sc",
    "noto_sans_sc_bold",
    "noto_serif_sc",
    "wqy_microhei",
    "uming_cn",
    "dejavu_sans",
    "dejavu_serif",
    "dejavu_sans_bold",
    "liberation_sans",
    "liberation_serif",
    "liberation_mono",
)
"""Printed faces, in the order the seeded picks use; ukai is kept for the handwriting categories."""

LINE_CATEGORIES: tuple[str, ...] = (
    "printed_zh",
    "printed_en",
    "mixed",
    "numbers",
    "handwriting",
    "noise",
    "blur",
    "jpeg",
    "low_contrast",
    "rotated",
    "background",
    "small",
)


def crop_with_margin(
    mask: np.ndarray, rng: random.Random, background: Callable[[int, int], np.ndarray], colour: RGB
) -> np.ndarray:
    """A user's crop: the line plus a few pixels of margin on each side."""
    top, bottom, left, right = (rng.randint(2, 8) for _ in range(4))
    h, w = mask.shape
    canvas = background(h + top + bottom, w + left + right)
    compose(canvas, mask, colour, left, top)
    return canvas


def plain_line(text: str, rng: random.Random, font_name: str, size: int) -> np.ndarray:
    mask = render_mask(text, load_font(font_name, size))
    bg = near_white(rng)
    return crop_with_margin(mask, rng, lambda h, w: solid(h, w, bg), near_black(rng))


def printed_font(rng: random.Random, text: str) -> str:
    return pick_font(rng, text, PRINT_FONTS)


def make_line(category: str, text: str, rng: random.Random, np_rng: np.random.Generator) -> Rendered:
    """Render ``text`` as one single-line crop of ``category``."""
    check_charset(text)
    size = rng.randint(20, 48)
    fmt = "jpg" if rng.random() < 0.12 else "png"
    if category in ("printed_zh", "printed_en", "mixed", "numbers"):
        return Rendered(plain_line(text, rng, printed_font(rng, text), size), (text,), fmt)
    if category == "handwriting":
        mask = render_mask(text, load_font("ukai_cn", rng.randint(28, 48)), jitter=rng)
        bg_colour = (rng.randint(236, 250), rng.randint(230, 244), rng.randint(210, 232))
        ink = rng.choice([(20, 20, 30), (20, 30, 110), (40, 40, 40)])
        pixels = crop_with_margin(mask, rng, lambda h, w: solid(h, w, bg_colour), ink)
        return Rendered(add_noise(pixels, np_rng, 2.0), (text,), fmt)
    if category == "noise":
        pixels = plain_line(text, rng, printed_font(rng, text), max(size, 24))
        return Rendered(add_noise(pixels, np_rng, rng.uniform(12, 28)), (text,), fmt)
    if category == "blur":
        pixels = plain_line(text, rng, printed_font(rng, text), max(size, 28))
        if rng.random() < 0.5:
            pixels = gaussian_blur(pixels, rng.uniform(0.9, 1.6))
        else:
            pixels = motion_blur(pixels, rng.choice([5, 7, 9]), rng.uniform(-20, 20))
        return Rendered(pixels, (text,), fmt)
    if category == "jpeg":
        pixels = plain_line(text, rng, printed_font(rng, text), size)
        return Rendered(pixels, (text,), "jpg", rng.randint(10, 25))
    if category == "low_contrast":
        return Rendered(low_contrast_line(text, rng, size), (text,), fmt)
    if category == "rotated":
        pixels = plain_line(text, rng, printed_font(rng, text), size)
        angle = rng.uniform(2, 5) * rng.choice([-1, 1])
        return Rendered(rotate_expand(pixels, angle, pixels[0, 0]), (text,), fmt)
    if category == "background":
        return Rendered(background_line(text, rng, np_rng, size), (text,), fmt)
    if category == "small":
        return Rendered(small_line(text, rng), (text,), fmt)
    raise ValueError(f"unknown line category {category!r}")


def low_contrast_line(text: str, rng: random.Random, size: int) -> np.ndarray:
    mask = render_mask(text, load_font(printed_font(rng, text), size))
    bg_v = rng.randint(170, 235)
    delta = rng.randint(40, 70)
    fg_v = bg_v - delta if rng.random() < 0.8 else min(255, bg_v + delta)
    tint = rng.randint(-8, 8)
    return crop_with_margin(
        mask, rng, lambda h, w: solid(h, w, (bg_v, bg_v, bg_v + tint)), (fg_v, fg_v, fg_v + tint)
    )


def background_line(text: str, rng: random.Random, np_rng: np.random.Generator, size: int) -> np.ndarray:
    mask = render_mask(text, load_font(printed_font(rng, text), size))
    style = rng.choice(["gradient", "textured", "paper"])
    if style == "gradient":
        # Both ends light or both dark, so one text colour can contrast with the whole strip.
        lo, hi = (150, 255) if rng.random() < 0.6 else (0, 110)
        c1, c2 = random_colour(rng, lo, hi), random_colour(rng, lo, hi)
        angle = rng.uniform(0, math.pi)

        def make_bg(h: int, w: int) -> np.ndarray:
            return gradient(h, w, c1, c2, angle)

        tones = [luminance(c1), luminance(c2)]
    elif style == "textured":
        base = random_colour(rng, 60, 230)

        def make_bg(h: int, w: int) -> np.ndarray:
            return textured(h, w, np_rng, base)

        tones = [luminance(base) - 25, luminance(base) + 25]
    else:

        def make_bg(h: int, w: int) -> np.ndarray:
            return paper(h, w, np_rng)

        tones = [230.0, 246.0]
    colour = contrasting_colour(rng, tones, 90)
    return crop_with_margin(mask, rng, make_bg, colour)


def small_line(text: str, rng: random.Random) -> np.ndarray:
    """Text whose glyphs are 10-14 px tall (font size chosen to hit that ink height)."""
    font_name = printed_font(rng, text)
    target = rng.randint(10, 14)
    size = target
    for candidate in range(8, 24):
        top, bottom = load_font(font_name, candidate).getbbox("国H", anchor="ls")[1::2]
        if bottom - top >= target:
            size = candidate
            break
    return plain_line(text, rng, font_name, size)
