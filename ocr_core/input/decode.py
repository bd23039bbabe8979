"""Turn uploaded bytes into RGB uint8 pages, safely.

Order matters for safety: sniff the real format, check the byte size, read the declared
pixel size from the header (Pillow's `open` reads only the header) and check it, and only
then decode. Every failure becomes a typed error; nothing from Pillow leaks out.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from PIL import (
    BmpImagePlugin,
    ExifTags,
    Image,
    ImageOps,
    JpegImagePlugin,
    PngImagePlugin,
    TiffImagePlugin,
    WebPImagePlugin,
)

from ocr_core.errors import (
    EmptyInputError,
    InputTooLargeError,
    InvalidImageError,
    OcrError,
    UnsupportedMediaTypeError,
)
from ocr_core.imaging import luminance
from ocr_core.input.formats import sniff_kind
from ocr_core.input.page import Page, check_pixels, check_total_pixels
from ocr_core.input.page_selection import PageRef, select_pages
from ocr_core.limits import DEFAULT_LIMITS, Limits

# Importing the plugins registers exactly the formats we accept, and spares Pillow's scan of
# every plugin at first open (a cold-start cost).
_PILLOW_FORMATS = tuple(
    plugin_format
    for plugin_format, plugin in (
        ("JPEG", JpegImagePlugin),
        ("PNG", PngImagePlugin),
        ("WEBP", WebPImagePlugin),
        ("BMP", BmpImagePlugin),
        ("TIFF", TiffImagePlugin),
    )
    if plugin
)
_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")


def decode(
    data: bytes,
    limits: Limits = DEFAULT_LIMITS,
    pages: Sequence[PageRef] | None = None,
    password: str | None = None,
    text_layer: bool = False,
    deadline: float | None = None,
) -> list[Page]:
    """Decode an image or PDF into pages. `pages` selects 1-based (or negative) PDF/TIFF pages.

    `password` opens an encrypted PDF; `text_layer` also reads each PDF page's own text;
    `deadline` (`time.monotonic()`) stops a long PDF between pages.
    """
    if not data:
        raise EmptyInputError("the file is empty")
    if len(data) > limits.max_bytes:
        raise InputTooLargeError(f"the file has {len(data)} bytes; the limit is {limits.max_bytes} bytes")
    kind = sniff_kind(data)
    if kind == "gif":
        raise UnsupportedMediaTypeError("GIF is not supported; send PNG, JPEG, WebP, BMP, TIFF or PDF")
    if kind == "pdf":
        from ocr_core.input.pdf import render_pdf

        return render_pdf(data, limits, pages, password, text_layer, deadline)
    with _pillow_errors(kind):
        image = Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS)
        frames = getattr(image, "n_frames", 1) if kind == "tiff" else 1
        numbers = select_pages(pages, frames, limits.max_pdf_pages) if frames > 1 else [1]
        # Every selected frame's header is checked before the first is decoded: the frames of a
        # small multi-page TIFF can pass the per-image limit one by one and still total gigabytes.
        check_total_pixels([_frame_size(image, number, limits) for number in numbers], limits)
        decoded = []
        for number in numbers:
            image.seek(number - 1)
            decoded.append(Page(number, to_rgb8(upright(image)), count=frames))
        return decoded


def _frame_size(image: Image.Image, number: int, limits: Limits) -> tuple[int, int]:
    image.seek(number - 1)  # reads that frame's header only
    check_pixels(image.width, image.height, limits)
    return image.width, image.height


@contextmanager
def _pillow_errors(kind: str) -> Iterator[None]:
    """Translate whatever Pillow raises on a hostile or broken file into our typed errors.

    Image plugins fail in many ways on fuzzed input (OSError, SyntaxError, struct.error,
    even IndexError or ZeroDivisionError); all of them mean "this file is not a valid image".
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except OcrError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InputTooLargeError(f"the {kind.upper()} image declares too many pixels") from error
    except MemoryError as error:
        raise InputTooLargeError(f"the {kind.upper()} image is too large to decode") from error
    except Exception as error:
        raise InvalidImageError(f"the {kind.upper()} file is corrupt or truncated") from error


def upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF Orientation tag says (camera photos); itself if untagged.

    `ImageOps.exif_transpose` copies an untagged image, and one copy fewer per request is
    measurable on a line crop."""
    image.load()  # a PNG's EXIF chunk may follow its pixels
    if image.getexif().get(ExifTags.Base.Orientation, 1) == 1:
        return image
    transposed = ImageOps.exif_transpose(image)
    return transposed if transposed is not None else image


def to_rgb8(image: Image.Image) -> np.ndarray:
    """Any Pillow mode (1-bit, palette, gray, 16-bit, CMYK, alpha) to RGB uint8."""
    mode = image.mode
    if mode in _SIXTEEN_BIT_MODES or mode == "F":
        return _gray_to_rgb(_to_8bit(np.asarray(image)))
    if (mode == "P" and "transparency" in image.info) or mode in ("PA", "LA", "La", "RGBa"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        rgba = np.asarray(image)
        return composite_alpha(rgba[:, :, :3], rgba[:, :, 3])
    return np.asarray(image if image.mode == "RGB" else image.convert("RGB"))


def _to_8bit(values: np.ndarray) -> np.ndarray:
    values = values.astype(np.float64)
    if values.dtype.kind == "f" and values.max(initial=0) <= 1.0 and values.min(initial=0) >= 0.0:
        values = values * 255.0
    elif values.max(initial=0) > 255:
        values = values / 257.0  # 16-bit samples: 65535 maps to 255
    return values.round().clip(0, 255).astype(np.uint8)


def _gray_to_rgb(gray: np.ndarray) -> np.ndarray:
    return np.repeat(gray[:, :, None], 3, axis=2)


def composite_alpha(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Put transparent-background art on a backdrop that contrasts with its visible pixels.

    White text on a transparent background would vanish on white, black text on black.
    The visible pixels' mean brightness picks the backdrop: dark ink gets white, light gets black.
    """
    weight = alpha.astype(np.float32) / 255.0
    if float(weight.min()) >= 1.0:
        return np.ascontiguousarray(rgb)
    visible = float(weight.sum())
    ink = float((luminance(rgb) * weight).sum() / visible) if visible > 0 else 0.0
    backdrop = 0.0 if ink > 127 else 255.0
    mixed = rgb.astype(np.float32) * weight[:, :, None] + backdrop * (1.0 - weight[:, :, None])
    return mixed.round().clip(0, 255).astype(np.uint8)
