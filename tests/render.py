"""Render known text into images, so tests check recognition against an answer they wrote.

Fonts come from Debian packages that `make test` installs (fonts-noto-cjk, fonts-arphic-ukai).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

NOTO_SANS_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")


def font(size: int = 32, path: Path = NOTO_SANS_CJK) -> ImageFont.FreeTypeFont:
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make system-deps` (Debian font packages)")
    return ImageFont.truetype(str(path), size)


def render_line(
    text: str, size: int = 32, margin: int = 6, fg: str = "black", bg: str = "white"
) -> Image.Image:
    """A tight crop of one line, like a user's cropped text line."""
    face = font(size)
    left, top, right, bottom = face.getbbox(text)
    image = Image.new("RGB", (right - left + 2 * margin, bottom - top + 2 * margin), bg)
    ImageDraw.Draw(image).text((margin - left, margin - top), text, font=face, fill=fg)
    return image


def render_page(
    lines: Sequence[str], size: int = 32, width: int = 900, spacing: float = 2.2, margin: int = 40
) -> Image.Image:
    """A simple page: lines left-aligned, well separated, top to bottom."""
    face = font(size)
    height = int(2 * margin + spacing * size * len(lines))
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for index, text in enumerate(lines):
        draw.text((margin, margin + int(index * spacing * size)), text, font=face, fill="black")
    return image


def encode(image: Image.Image, fmt: str = "PNG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def without_cjk_spacing(text: str) -> str:
    """Drop spaces next to CJK characters: "北京 Beijing" and "北京Beijing" read the same.

    The space between Chinese and Latin text is typography that recognizers disagree on (the
    evaluation normalises it the same way); spaces between Latin words still count.
    """

    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +| +(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
