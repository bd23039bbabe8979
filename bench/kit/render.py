"""Known text drawn into plain images, so a check compares recognition with an answer it wrote.

Black on white in one face (`fonts.FONTS["noto_sans_cjk"]` unless told): what the tests and the
sample events need. The bench cases and the evaluation set draw their own scenes with the same
fonts (`bench/cases.py`, `bench/evalset/`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

from bench.kit.fonts import load_font

DEFAULT_FACE = "noto_sans_cjk"


def font(size: int = 32, name: str = DEFAULT_FACE) -> ImageFont.FreeTypeFont:
    """A face of `fonts.FONTS` at `size` pixels."""
    return load_font(name, size)


def render_line(
    text: str,
    size: int = 32,
    margin: int = 6,
    fg: str = "black",
    bg: str = "white",
    face: str = DEFAULT_FACE,
) -> Image.Image:
    """A tight crop of one line, like a user's cropped text line."""
    drawn = font(size, face)
    left, top, right, bottom = drawn.getbbox(text)
    image = Image.new("RGB", (right - left + 2 * margin, bottom - top + 2 * margin), bg)
    ImageDraw.Draw(image).text((margin - left, margin - top), text, font=drawn, fill=fg)
    return image


def render_page(
    lines: Sequence[str], size: int = 32, width: int = 900, spacing: float = 2.2, margin: int = 40
) -> Image.Image:
    """A simple page: lines left-aligned, `spacing` line heights apart, top to bottom."""
    drawn = font(size)
    height = int(2 * margin + spacing * size * len(lines))
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for index, text in enumerate(lines):
        draw.text((margin, margin + int(index * spacing * size)), text, font=drawn, fill="black")
    return image


def encode(image: Image.Image, fmt: str = "PNG", **params: object) -> bytes:
    """The image as file bytes; `params` are Pillow's save options (quality, optimize ...)."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()
