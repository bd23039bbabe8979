"""Pixel operations the engine needs, on RGB uint8 numpy arrays, via Pillow.

Pillow (about 20 MB) stands in for OpenCV (about 160 MB unpacked): the function package
must stay under Lambda's 250 MB limit, and Pillow's resampling is as good for this job.
"""

from __future__ import annotations

import numpy as np
from PIL import Image


def resize(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """Bilinear resize; Pillow filters over the source footprint, so downscaling does not alias."""
    if image.shape[1] == width and image.shape[0] == height:
        return image
    resized = Image.fromarray(image).resize((width, height), Image.Resampling.BILINEAR)
    return np.asarray(resized)


def warp_quad(image: np.ndarray, box: np.ndarray, width: int, height: int) -> np.ndarray:
    """Map the quadrilateral `box` (TL, TR, BR, BL) onto a width x height rectangle."""
    tl, tr, br, bl = box.astype(np.float64)
    quad = (*tl, *bl, *br, *tr)  # Pillow wants upper-left, lower-left, lower-right, upper-right
    warped = Image.fromarray(image).transform(
        (width, height), Image.Transform.QUAD, quad, resample=Image.Resampling.BICUBIC
    )
    return np.asarray(warped)


def rotate_90_ccw(image: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(image, 1))


def rotate_180(image: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(image[::-1, ::-1])


def luminance(image: np.ndarray) -> np.ndarray:
    """ITU-R 601 luma of an RGB image as float32 (what 'brightness' means for ink vs paper)."""
    return image.astype(np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


LUMA_WEIGHTS_256 = (77, 150, 29)
"""ITU-R 601 luma weights in 1/256ths (they sum to 256), for 8-bit integer luma."""


def luma8(image: np.ndarray) -> np.ndarray:
    """Integer ITU-R 601 luma (0..255) of an RGB uint8 image, in uint16 arithmetic: a few times
    cheaper than the float version where whole levels are all that is needed (histograms)."""
    r, g, b = (image[:, :, channel].astype(np.uint16) for channel in range(3))
    red, green, blue = LUMA_WEIGHTS_256
    return (r * red + g * green + b * blue + 128) >> 8


def percentiles_of_levels(levels: np.ndarray, percents: tuple[float, ...]) -> list[float]:
    """`np.percentile(levels, percents)` for integers 0..255, from a 256-bin histogram.

    Same order statistics and linear interpolation as numpy's default, in one counting pass
    instead of a partial sort.
    """
    ranks = np.cumsum(np.bincount(levels.ravel(), minlength=256))
    last = int(ranks[-1]) - 1
    values: list[float] = []
    for percent in percents:
        position = percent / 100 * last
        low, high = np.searchsorted(ranks, [np.floor(position), np.ceil(position)], side="right")
        values.append(float(low + (high - low) * (position - np.floor(position))))
    return values


def to_bgr_chw(
    image: np.ndarray,
    scale: float | np.ndarray,
    offset: float | np.ndarray,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """RGB HxWx3 uint8 -> BGR 3xHxW float32 as (pixel * scale - offset): PP-OCR models take BGR.

    `scale` and `offset` are scalars or per-channel (BGR order) arrays. With `out` (e.g. a line's
    slot in a batch tensor) the result is written there: two passes over the pixels instead of
    four copies.
    """
    chw = image[:, :, ::-1].transpose(2, 0, 1)
    if out is None:
        out = np.empty(chw.shape, np.float32)
    np.multiply(chw, _per_channel(scale), out=out)
    out -= _per_channel(offset)
    return out


def _per_channel(value: float | np.ndarray) -> np.ndarray:
    return np.asarray(value, np.float32).reshape(-1, 1, 1)
