"""Rectangles of a page to skip: watermarks, letterheads, page numbers, a stamp.

A region is given in page pixels or, when all four numbers are within 0..1, as fractions of the
page (so one setting fits pages of any size, e.g. the bottom tenth: `0,0.9,1,1`). The region is
painted over with the page's background colour before detection, so the detector never sees the
text and cannot merge it with its neighbours; any line whose centre still falls inside a region
(e.g. a PDF text-layer line) is dropped as well.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr_core.errors import InvalidOptionError

MAX_REGIONS = 32


@dataclass(frozen=True)
class IgnoreRegion:
    """Left, top, right, bottom; in pixels, or in fractions of the page when `relative`."""

    left: float
    top: float
    right: float
    bottom: float
    relative: bool = False

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """Integer pixel bounds clipped to the page (right and bottom exclusive)."""
        sx, sy = (width, height) if self.relative else (1, 1)
        left = int(np.clip(round(self.left * sx), 0, width))
        top = int(np.clip(round(self.top * sy), 0, height))
        right = int(np.clip(round(self.right * sx), 0, width))
        bottom = int(np.clip(round(self.bottom * sy), 0, height))
        return left, top, right, bottom


def parse_regions(value: object) -> tuple[IgnoreRegion, ...]:
    """`"x0,y0,x1,y1;x0,y0,x1,y1"` (query form) or `[[x0, y0, x1, y1], ...]` (JSON form)."""
    if value is None or value == "" or value == []:
        return ()
    if isinstance(value, str):
        parts = [part for part in re.split(r"[;|]", value) if part.strip()]
        quads: list[object] = [part.split(",") for part in parts]
    elif isinstance(value, list | tuple) and not any(isinstance(item, list | tuple) for item in value):
        quads = [value]  # one rectangle given as a flat list
    elif isinstance(value, list | tuple):
        quads = list(value)
    else:
        raise InvalidOptionError(f"ignore: {_FORMS}")
    if len(quads) > MAX_REGIONS:
        raise InvalidOptionError(f"ignore: at most {MAX_REGIONS} rectangles")
    return tuple(_region(quad) for quad in quads)


_FORMS = "give rectangles as x0,y0,x1,y1;... or [[x0, y0, x1, y1], ...]"


def _region(quad: object) -> IgnoreRegion:
    numbers = _four_numbers(quad)
    if numbers is None:
        raise InvalidOptionError(f"ignore: each rectangle is four numbers x0,y0,x1,y1; {_FORMS}")
    left, top, right, bottom = numbers
    if right <= left or bottom <= top or min(numbers) < 0:
        raise InvalidOptionError(f"ignore: {numbers} needs 0 <= x0 < x1 and 0 <= y0 < y1")
    return IgnoreRegion(left, top, right, bottom, relative=max(numbers) <= 1.0)


def _four_numbers(quad: object) -> list[float] | None:
    """Four finite numbers from a list of numbers or numeric strings; None for any other shape."""
    if not isinstance(quad, list | tuple) or len(quad) != 4:
        return None
    numbers = []
    for item in quad:
        if isinstance(item, bool) or not isinstance(item, int | float | str):
            return None
        try:
            number = float(str(item).strip())
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        numbers.append(number)
    return numbers


def mask_regions(image: np.ndarray, regions: Sequence[IgnoreRegion]) -> np.ndarray:
    """A copy of the page with every region filled with the page's background colour."""
    if not regions:
        return image
    height, width = image.shape[:2]
    masked = image.copy()
    fill = background_colour(image)
    for region in regions:
        left, top, right, bottom = region.pixels(width, height)
        masked[top:bottom, left:right] = fill
    return masked


def background_colour(image: np.ndarray) -> np.ndarray:
    """The median colour of the page's border: paper, not ink, on nearly every scan or photo."""
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    return np.median(border, axis=0).astype(image.dtype)


def inside_any(
    box: np.ndarray | Sequence[Sequence[float]], regions: Sequence[IgnoreRegion], size: tuple[int, int]
) -> bool:
    """True when the centre of the 4-point `box` lies in one of the regions (page `size` = w, h)."""
    if not regions:
        return False
    points = np.asarray(box, dtype=np.float64)
    cx, cy = points[:, 0].mean(), points[:, 1].mean()
    for region in regions:
        left, top, right, bottom = region.pixels(*size)
        if left <= cx < right and top <= cy < bottom:
            return True
    return False
