"""Text as alpha masks composited onto float canvases: scenes with any background and ink.

A canvas is an HxWx3 float32 RGB array, so backgrounds, blending and degradations add up
without clipping until the image is stored (`to_uint8`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

RGB = tuple[int, int, int]
REFERENCE_GLYPHS = "国Hgy"
"""A tall ideograph, a capital and two descenders: the vertical extent of a normal line."""


def reference_band(font: ImageFont.FreeTypeFont) -> tuple[int, int]:
    """Top and bottom of a tall glyph run relative to the baseline, so crops of flat
    text (e.g. "一二三", "----") still get a normal line height like a user's crop."""
    _, top, _, bottom = font.getbbox(REFERENCE_GLYPHS, anchor="ls")
    return int(top), int(bottom)


def render_mask(text: str, font: ImageFont.FreeTypeFont, jitter: random.Random | None = None) -> np.ndarray:
    """Text as a float alpha mask (0..1), cropped to the ink horizontally and to the
    line band vertically. With ``jitter`` each character wobbles like handwriting."""
    size = int(font.size)
    width = int(font.getlength(text) * 1.3) + 4 * size
    height = 4 * size
    baseline = 2 * size
    image = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(image)
    if jitter is None:
        draw.text((size, baseline), text, font=font, fill=255, anchor="ls")
    else:
        x = float(size)
        for char in text:
            dy = jitter.uniform(-0.05, 0.05) * size
            draw.text((x, baseline + dy), char, font=font, fill=255, anchor="ls")
            x += font.getlength(char) * jitter.uniform(0.97, 1.08)
    mask = np.asarray(image, dtype=np.float32) / 255.0
    ys, xs = np.nonzero(mask > 0.02)
    band_top, band_bottom = reference_band(font)
    top = min(int(ys.min()), baseline + band_top)
    bottom = max(int(ys.max()) + 1, baseline + band_bottom)
    return mask[top:bottom, int(xs.min()) : int(xs.max()) + 1]


def compose(bg: np.ndarray, mask: np.ndarray, colour: RGB, x: int, y: int) -> None:
    """Alpha-blend a text mask of one colour onto ``bg`` (float32 HxWx3) in place."""
    h, w = mask.shape
    region = bg[y : y + h, x : x + w]
    alpha = mask[..., None]
    region[:] = region * (1.0 - alpha) + np.asarray(colour, np.float32) * alpha


def solid(h: int, w: int, colour: Sequence[float]) -> np.ndarray:
    """A canvas of one colour."""
    return np.broadcast_to(np.asarray(colour, np.float32), (h, w, 3)).copy()


def to_uint8(image: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def to_image(pixels: np.ndarray) -> Image.Image:
    """A canvas (or uint8 array) as an RGB Pillow image, rounded and clipped."""
    return Image.fromarray(to_uint8(pixels), "RGB")
