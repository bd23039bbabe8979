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


def to_bgr_chw(image: np.ndarray, scale: float, offset: np.ndarray | float) -> np.ndarray:
    """RGB HxWx3 uint8 -> BGR 3xHxW float32 as (pixel * scale - offset): PP-OCR models take BGR."""
    bgr = image[:, :, ::-1].astype(np.float32)
    return (bgr * scale - offset).transpose(2, 0, 1)
