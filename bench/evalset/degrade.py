"""What cameras and scanners do to text: noise, blur, rotation, an oblique view."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import cv2
import numpy as np


def add_noise(image: np.ndarray, np_rng: np.random.Generator, sigma: float) -> np.ndarray:
    return image + np_rng.normal(0, sigma, image.shape).astype(np.float32)


def gaussian_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(image, (0, 0), sigmaX=sigma)


def motion_blur(image: np.ndarray, length: int, angle_deg: float) -> np.ndarray:
    line = np.zeros((length, length), np.float32)
    line[length // 2, :] = 1.0
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle_deg, 1.0)
    kernel = np.asarray(cv2.warpAffine(line, rotation, (length, length)), np.float32)
    return cv2.filter2D(image, -1, kernel / kernel.sum())


def rotate_expand(image: np.ndarray, angle_deg: float, fill: Sequence[float]) -> np.ndarray:
    """Rotate about the centre on a canvas grown to hold the whole rotated image."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = math.ceil(h * sin + w * cos), math.ceil(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    return cv2.warpAffine(
        image,
        matrix,
        (new_w, new_h),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=tuple(float(c) for c in fill),
    )


def perspective(image: np.ndarray, rng: random.Random, strength: float) -> np.ndarray:
    """Move each corner inwards by up to ``strength`` of the side: a slightly oblique photo."""
    h, w = image.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    dx, dy = w * strength, h * strength
    dst = np.array(
        [
            [rng.uniform(0, dx), rng.uniform(0, dy)],
            [w - rng.uniform(0, dx), rng.uniform(0, dy)],
            [w - rng.uniform(0, dx), h - rng.uniform(0, dy)],
            [rng.uniform(0, dx), h - rng.uniform(0, dy)],
        ],
        np.float32,
    )
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
