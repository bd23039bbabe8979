"""Drawing the table set's pages: a title, the table (boxed, booktabs or bare), a note, a camera.

Column widths fit the widest single cell plus padding; a spanning cell widens its last column if
it needs more room. Text is left-aligned, numbers right-aligned, header cells centred, as in
printed tables. Rotation and the photographed look (perspective, uneven light, blur, noise,
JPEG-like softness) are applied to the finished page, so the structure stays exactly the labels'.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bench.evalset import (
    add_noise,
    font_covers,
    gaussian_blur,
    load_font,
    perspective,
    rotate_expand,
    to_uint8,
)

if TYPE_CHECKING:  # tableset imports this module to draw its pages
    from bench.tableset import Recipe, Spec, TruthCell

LATIN_FONTS = ("dejavu_sans", "liberation_sans", "liberation_serif", "noto_sans_sc")
CJK_FONTS = ("noto_sans_sc", "noto_serif_sc", "wqy_microhei")
MARGIN = 70
NUMBER = re.compile(r"^[\d.,:%-]+$")


def _font(spec: Spec, rng: random.Random, size: int) -> ImageFont.FreeTypeFont:
    texts = "".join(cell.text for cell in spec.table.cells) + spec.title + spec.note
    pool = [name for name in (CJK_FONTS if spec.cjk else LATIN_FONTS) if font_covers(name, texts)]
    return load_font(rng.choice(pool), size)


def _widths(spec: Spec, font: ImageFont.FreeTypeFont, pad: int) -> list[int]:
    cols = [2 * pad + font.size] * spec.table.cols
    for cell in spec.table.cells:
        if cell.col_span == 1:
            cols[cell.col] = max(cols[cell.col], int(font.getlength(cell.text)) + 2 * pad)
    for cell in spec.table.cells:
        if cell.col_span > 1:
            need = int(font.getlength(cell.text)) + 2 * pad
            have = sum(cols[cell.col : cell.col + cell.col_span])
            cols[cell.col + cell.col_span - 1] += max(0, need - have)
    return cols


def _edges(sizes: list[int], start: int) -> list[int]:
    edges = [start]
    for size in sizes:
        edges.append(edges[-1] + size)
    return edges


def render_page(spec: Spec, recipe: Recipe, rng: random.Random) -> np.ndarray:
    """The page as HxWx3 float32 RGB, degraded as the recipe says."""
    size = rng.randint(22, 30)
    font = _font(spec, rng, size)
    ruled = spec.rules == "grid"
    pad = int(size * (rng.uniform(0.5, 1.0) if ruled else rng.uniform(0.8, 1.4)))
    xs = _edges(_widths(spec, font, pad), MARGIN)
    row_h = int(size * rng.uniform(1.8, 2.3))
    top = MARGIN + 3 * size
    ys = _edges([row_h] * spec.table.rows, top)
    width = max(xs[-1] + MARGIN, int(font.getlength(spec.title)) + 2 * MARGIN)
    height = ys[-1] + 3 * size + MARGIN
    ink = rng.randint(10, 60)
    image = Image.new("RGB", (width, height), (rng.randint(238, 255),) * 3)
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, MARGIN), spec.title, font=font, fill=(ink,) * 3)
    draw.text((MARGIN, ys[-1] + int(1.3 * size)), spec.note, font=font, fill=(ink,) * 3)
    if ruled and rng.random() < 0.35:  # a shaded header band
        shade = rng.randint(215, 235)
        header_bottom = ys[spec.table.header_rows]
        draw.rectangle((xs[0], ys[0], xs[-1], header_bottom), fill=(shade, shade, shade))
    _rules(draw, spec, xs, ys, rng)
    for cell in spec.table.cells:
        _cell_text(draw, cell, font, xs, ys, pad, cell.row < spec.table.header_rows, ink)
    pixels = np.asarray(image, dtype=np.float32)
    return _camera(pixels, recipe, rng)


def _rules(draw: ImageDraw.ImageDraw, spec: Spec, xs: list[int], ys: list[int], rng: random.Random) -> None:
    grey = rng.randint(0, 130)
    thick = rng.choice((1, 1, 2, 2, 3))
    colour = (grey, grey, grey)
    if spec.rules == "grid":
        for cell in spec.table.cells:
            box = (xs[cell.col], ys[cell.row], xs[cell.col + cell.col_span], ys[cell.row + cell.row_span])
            draw.rectangle(box, outline=colour, width=thick)
    elif spec.rules == "hrules":
        for y, weight in ((ys[0], thick + 1), (ys[spec.table.header_rows], thick), (ys[-1], thick + 1)):
            draw.line((xs[0], y, xs[-1], y), fill=colour, width=weight)


def _cell_text(
    draw: ImageDraw.ImageDraw,
    cell: TruthCell,
    font: ImageFont.FreeTypeFont,
    xs: list[int],
    ys: list[int],
    pad: int,
    header: bool,
    ink: int,
) -> None:
    if not cell.text:
        return
    left, right = xs[cell.col] + pad, xs[cell.col + cell.col_span] - pad
    middle = (ys[cell.row] + ys[cell.row + cell.row_span]) // 2
    length = font.getlength(cell.text)
    if header:
        x = (left + right - length) / 2
    elif NUMBER.match(cell.text):
        x = right - length
    else:
        x = left
    draw.text((x, middle), cell.text, font=font, fill=(ink,) * 3, anchor="lm")


def _camera(pixels: np.ndarray, recipe: Recipe, rng: random.Random) -> np.ndarray:
    np_rng = np.random.default_rng(rng.randrange(2**32))
    background = pixels[2, 2].tolist()
    if recipe.rotate:
        angle = rng.uniform(0.8, recipe.rotate) * rng.choice((-1, 1))
        pixels = rotate_expand(pixels, angle, background)
    if recipe.photo:
        pixels = perspective(pixels, rng, rng.uniform(0.01, 0.03))
        w = pixels.shape[1]
        light = np.linspace(rng.uniform(0.75, 0.9), rng.uniform(0.95, 1.05), w, dtype=np.float32)
        pixels = pixels * light[None, :, None] * rng.uniform(0.9, 1.0)
        pixels = gaussian_blur(pixels, rng.uniform(0.6, 1.1))
        pixels = add_noise(pixels, np_rng, rng.uniform(3.0, 6.0))
    else:
        pixels = add_noise(pixels, np_rng, 1.5)
    return pixels


def save(pixels: np.ndarray, path: Path) -> None:
    Image.fromarray(to_uint8(pixels), "RGB").save(path, "PNG")
