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

from bench.evalset.degrade import add_noise, gaussian_blur, perspective, rotate_expand
from bench.kit.canvas import to_uint8
from bench.kit.fonts import font_covers, load_font

if TYPE_CHECKING:  # tableset imports this module to draw its pages
    from bench.tableset import Recipe, Spec, TruthCell, TruthTable

LATIN_FONTS = ("dejavu_sans", "liberation_sans", "liberation_serif", "noto_sans_sc")
CJK_FONTS = ("noto_sans_sc", "noto_serif_sc", "wqy_microhei")
MARGIN = 70
NUMBER = re.compile(r"^[\d.,:%-]+$")


def _font(spec: Spec, rng: random.Random, size: int) -> ImageFont.FreeTypeFont:
    cells = "".join(cell.text for cell in spec.table.cells) if spec.table else ""
    texts = (cells + spec.title + spec.note + "".join(spec.above + spec.below)).replace("\n", "")
    pool = [name for name in (CJK_FONTS if spec.cjk else LATIN_FONTS) if font_covers(name, texts)]
    return load_font(rng.choice(pool), size)


def _text_width(font: ImageFont.FreeTypeFont, text: str) -> int:
    return int(max(font.getlength(part) for part in text.split("\n")))


def _widths(table: TruthTable, font: ImageFont.FreeTypeFont, pad: int) -> list[int]:
    cols = [2 * pad + font.size] * table.cols
    for cell in table.cells:
        if cell.col_span == 1:
            cols[cell.col] = max(cols[cell.col], _text_width(font, cell.text) + 2 * pad)
    for cell in table.cells:
        if cell.col_span > 1:
            need = _text_width(font, cell.text) + 2 * pad
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
    ink = (rng.randint(10, 60),) * 3
    pitch = int(size * 1.7)
    prose = [spec.title, *spec.above]
    y = MARGIN + pitch * len(prose) + size
    grid: tuple[list[int], list[int], int] | None = None
    if spec.table is not None:
        grid = _grid(spec, font, rng, y)
        y = grid[1][-1]
    after = [*spec.below, spec.note]
    lengths = [font.getlength(text) for text in prose + after]
    width = max([grid[0][-1] + MARGIN] if grid else [], default=0)
    width = max(width, int(max(lengths)) + 2 * MARGIN)
    height = y + size + pitch * len(after) + MARGIN
    image = Image.new("RGB", (width, height), (rng.randint(238, 255),) * 3)
    draw = ImageDraw.Draw(image)
    for k, text in enumerate(prose):
        draw.text((MARGIN, MARGIN + k * pitch), text, font=font, fill=ink)
    for k, text in enumerate(after):
        draw.text((MARGIN, y + size + k * pitch), text, font=font, fill=ink)
    if spec.table is not None and grid is not None:
        _table(draw, spec, spec.table, font, grid, rng, ink)
    return _camera(np.asarray(image, dtype=np.float32), recipe, rng)


def _grid(
    spec: Spec, font: ImageFont.FreeTypeFont, rng: random.Random, top: int
) -> tuple[list[int], list[int], int]:
    """Column edges, row edges (a row with a two-line cell is taller) and the cell padding."""
    assert spec.table is not None
    size = font.size
    loose = rng.uniform(0.35, 0.55) if spec.tight else rng.uniform(0.8, 1.4)
    pad = int(size * (rng.uniform(0.5, 1.0) if spec.rules == "grid" else loose))
    xs = _edges(_widths(spec.table, font, pad), MARGIN)
    row_h = int(size * rng.uniform(1.8, 2.3))
    wrapped = {cell.row for cell in spec.table.cells if "\n" in cell.text}
    heights = [row_h + (int(1.25 * size) if r in wrapped else 0) for r in range(spec.table.rows)]
    return xs, _edges(heights, top), pad


def _table(
    draw: ImageDraw.ImageDraw,
    spec: Spec,
    table: TruthTable,
    font: ImageFont.FreeTypeFont,
    grid: tuple[list[int], list[int], int],
    rng: random.Random,
    ink: tuple[int, ...],
) -> None:
    xs, ys, pad = grid
    if spec.rules == "grid" and rng.random() < 0.35:  # a shaded header band
        shade = rng.randint(215, 235)
        draw.rectangle((xs[0], ys[0], xs[-1], ys[table.header_rows]), fill=(shade, shade, shade))
    _rules(draw, spec.rules, table, xs, ys, rng)
    for cell in table.cells:
        _cell_text(draw, cell, font, xs, ys, pad, cell.row < table.header_rows, ink)


def _rules(
    draw: ImageDraw.ImageDraw, rules: str, table: TruthTable, xs: list[int], ys: list[int], rng: random.Random
) -> None:
    grey = rng.randint(0, 130)
    thick = rng.choice((1, 1, 2, 2, 3))
    colour = (grey, grey, grey)
    if rules == "grid":
        for cell in table.cells:
            box = (xs[cell.col], ys[cell.row], xs[cell.col + cell.col_span], ys[cell.row + cell.row_span])
            draw.rectangle(box, outline=colour, width=thick)
    elif rules == "hrules":
        for y, weight in ((ys[0], thick + 1), (ys[table.header_rows], thick), (ys[-1], thick + 1)):
            draw.line((xs[0], y, xs[-1], y), fill=colour, width=weight)


def _cell_text(
    draw: ImageDraw.ImageDraw,
    cell: TruthCell,
    font: ImageFont.FreeTypeFont,
    xs: list[int],
    ys: list[int],
    pad: int,
    header: bool,
    ink: tuple[int, ...],
) -> None:
    if not cell.text:
        return
    left, right = xs[cell.col] + pad, xs[cell.col + cell.col_span] - pad
    parts = cell.text.split("\n")
    step = int(1.25 * font.size)
    middle = (ys[cell.row] + ys[cell.row + cell.row_span]) // 2 - step * (len(parts) - 1) // 2
    for k, part in enumerate(parts):
        length = font.getlength(part)
        if header:
            x = (left + right - length) / 2
        elif NUMBER.match(part):
            x = right - length
        else:
            x = left
        draw.text((x, middle + k * step), part, font=font, fill=ink, anchor="lm")


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
