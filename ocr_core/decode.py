"""Turn uploaded bytes into BGR uint8 pages, safely.

Order matters for safety: sniff the real format, check byte size, read the declared pixel
size from the header and check it, and only then decode. Every failure is a typed error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ocr_core.errors import (
    EmptyInputError,
    InputTooLargeError,
    InvalidImageError,
    UnsupportedMediaTypeError,
)
from ocr_core.image_header import Header, read_header
from ocr_core.limits import Limits


@dataclass(frozen=True)
class Page:
    """One decoded page: BGR uint8 pixels and its 1-based number in the document."""

    number: int
    image: np.ndarray


def decode(data: bytes, limits: Limits = Limits(), pages: Sequence[int] | None = None) -> list[Page]:
    """Decode an image or PDF into pages. `pages` selects 1-based PDF/TIFF pages."""
    if not data:
        raise EmptyInputError("the file is empty")
    if len(data) > limits.max_bytes:
        raise InputTooLargeError(
            f"the file has {len(data)} bytes; the limit is {limits.max_bytes} bytes"
        )
    header = read_header(data)
    if header.kind == "gif":
        raise UnsupportedMediaTypeError("GIF is not supported; send PNG, JPEG, WebP, BMP or TIFF")
    if header.kind == "pdf":
        from ocr_core.pdf import render_pdf  # imported on demand: PDFium is only needed for PDFs

        return render_pdf(data, limits, pages)
    check_pixels(header.width, header.height, limits)
    if header.kind == "tiff":
        return _decode_tiff(data, limits, pages)
    return [Page(1, _decode_single(data, header))]


def check_pixels(width: int, height: int, limits: Limits) -> None:
    if max(width, height) > limits.max_side:
        raise InputTooLargeError(
            f"the image is {width}x{height}; the longest side allowed is {limits.max_side} pixels"
        )
    if width * height > limits.max_pixels:
        raise InputTooLargeError(
            f"the image is {width}x{height} = {width * height} pixels; "
            f"the limit is {limits.max_pixels} pixels"
        )


def _decode_single(data: bytes, header: Header) -> np.ndarray:
    buffer = np.frombuffer(data, dtype=np.uint8)
    if header.kind in ("jpeg", "bmp"):
        if header.kind == "jpeg":
            _check_jpeg_complete(data)
        # IMREAD_COLOR applies the EXIF orientation, so phone photos come out upright.
        image = cv2.imdecode(buffer, cv2.IMREAD_COLOR)
    else:
        # PNG/WebP may carry alpha or 16-bit samples that IMREAD_COLOR would flatten badly.
        image = cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED)
    if image is None:
        raise InvalidImageError(f"the {header.kind.upper()} file is corrupt or truncated")
    return to_bgr8(image)


def _decode_tiff(data: bytes, limits: Limits, pages: Sequence[int] | None) -> list[Page]:
    ok, images = cv2.imdecodemulti(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    if not ok or not images:
        raise InvalidImageError("the TIFF file is corrupt or truncated")
    from ocr_core.page_selection import select_pages

    numbers = select_pages(pages, len(images), limits.max_pdf_pages)
    decoded = []
    for number in numbers:
        image = images[number - 1]
        check_pixels(image.shape[1], image.shape[0], limits)
        decoded.append(Page(number, to_bgr8(image)))
    return decoded


def _check_jpeg_complete(data: bytes) -> None:
    """libjpeg fills a truncated file with grey and only warns: refuse it instead."""
    scan = data.find(b"\xff\xda")
    end = data.rfind(b"\xff\xd9")
    if scan < 0 or end < scan:
        raise InvalidImageError("the JPEG file is truncated")


def to_bgr8(image: np.ndarray) -> np.ndarray:
    """Any decoded layout (gray, 16-bit, alpha) to 3-channel 8-bit BGR."""
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        image = cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    channels = image.shape[2]
    if channels == 1:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if channels == 2:
        gray, alpha = image[:, :, 0], image[:, :, 1]
        return composite_alpha(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR), alpha)
    if channels == 4:
        return composite_alpha(image[:, :, :3], image[:, :, 3])
    return np.ascontiguousarray(image[:, :, :3])


def composite_alpha(bgr: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Put transparent-background art on a backdrop that contrasts with its visible pixels.

    White text on a transparent background would vanish on white; black text on black.
    The visible pixels' mean brightness picks the backdrop: dark ink gets white, light gets black.
    """
    weight = alpha.astype(np.float32) / 255.0
    if float(weight.min()) >= 1.0:
        return np.ascontiguousarray(bgr)
    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)
    visible = weight.sum()
    ink = float((gray * weight).sum() / visible) if visible > 0 else 0.0
    backdrop = 0.0 if ink > 127 else 255.0
    mixed = bgr.astype(np.float32) * weight[:, :, None] + backdrop * (1.0 - weight[:, :, None])
    return mixed.round().clip(0, 255).astype(np.uint8)
