"""Decoding: every accepted format and layout to RGB pages, and a typed error for everything else."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from bench.kit.render import encode, render_line
from ocr_core.errors import EmptyInputError, InputTooLargeError, InvalidImageError, UnsupportedMediaTypeError
from ocr_core.input.decode import composite_alpha, decode
from ocr_core.limits import Limits


def _rgb_image(width: int = 40, height: int = 20) -> Image.Image:
    pixels = np.zeros((height, width, 3), dtype=np.uint8)
    pixels[:, : width // 2] = (255, 0, 0)  # left half red, right half black: orientation is checkable
    return Image.fromarray(pixels)


@pytest.mark.parametrize(
    ("fmt", "params"),
    [("PNG", {}), ("JPEG", {"quality": 95}), ("WEBP", {"lossless": True}), ("BMP", {}), ("TIFF", {})],
)
def test_decode_each_format_returns_rgb_page(fmt: str, params: dict[str, object]) -> None:
    pages = decode(encode(_rgb_image(), fmt, **params))
    assert len(pages) == 1
    image = pages[0].image
    assert image.shape == (20, 40, 3) and image.dtype == np.uint8
    assert image[10, 5, 0] > 200 and image[10, 5, 2] < 60  # red stays red (no BGR/RGB swap)


@pytest.mark.parametrize("mode", ["L", "1", "P"])
def test_decode_gray_bilevel_and_palette_become_three_channels(mode: str) -> None:
    image = decode(encode(_rgb_image().convert(mode)))[0].image
    assert image.shape == (20, 40, 3)


def test_decode_16bit_png_scales_to_8bit() -> None:
    values = np.full((10, 10), 65535, dtype=np.uint16)
    values[:, :5] = 0
    image = decode(encode(Image.fromarray(values)))[0].image
    assert image[0, 9].tolist() == [255, 255, 255] and image[0, 0].tolist() == [0, 0, 0]


@pytest.mark.parametrize(("ink", "expected_backdrop"), [((255, 255, 255), 0), ((0, 0, 0), 255)])
def test_decode_transparent_background_gets_contrasting_backdrop(
    ink: tuple[int, int, int], expected_backdrop: int
) -> None:
    rgba = np.zeros((20, 40, 4), dtype=np.uint8)
    rgba[5:15, 5:35, :3] = ink
    rgba[5:15, 5:35, 3] = 255
    image = decode(encode(Image.fromarray(rgba, "RGBA")))[0].image
    assert image[0, 0].tolist() == [expected_backdrop] * 3
    assert image[10, 10].tolist() == list(ink)


def test_composite_alpha_keeps_opaque_image_untouched() -> None:
    rgb = np.full((4, 4, 3), 90, dtype=np.uint8)
    assert composite_alpha(rgb, np.full((4, 4), 255, dtype=np.uint8)).tolist() == rgb.tolist()


def test_decode_jpeg_applies_exif_orientation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display needs a 90-degree clockwise turn
    data = encode(_rgb_image(40, 20), "JPEG", quality=95, exif=exif)
    image = decode(data)[0].image
    assert image.shape == (40, 20, 3)
    assert image[5, 10, 0] > 200  # the red half is now on top


def test_decode_multipage_tiff_returns_selected_pages() -> None:
    frames = [_rgb_image(), _rgb_image().convert("L"), _rgb_image()]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    assert [page.number for page in decode(buffer.getvalue())] == [1, 2, 3]
    assert [page.number for page in decode(buffer.getvalue(), pages=(-1,))] == [3]


def test_decode_pdf_renders_each_page_at_limit_dpi() -> None:
    buffer = io.BytesIO()
    first = render_line("第一页 page one")
    first.save(buffer, format="PDF", save_all=True, append_images=[render_line("second")], resolution=72)
    pages = decode(buffer.getvalue(), Limits(pdf_dpi=144))
    assert [page.number for page in pages] == [1, 2]
    assert pages[0].image.shape[1] == pytest.approx(first.width * 2, abs=2)


def test_decode_pdf_with_too_many_pages_reads_up_to_the_cap() -> None:
    buffer = io.BytesIO()
    render_line("x").save(buffer, format="PDF", save_all=True, append_images=[render_line("y")] * 4)
    pages = decode(buffer.getvalue(), Limits(max_pdf_pages=3))
    assert [page.number for page in pages] == [1, 2, 3] and pages[0].count == 5
    with pytest.raises(InputTooLargeError, match="4 pages selected"):
        decode(buffer.getvalue(), Limits(max_pdf_pages=3), pages=(1, 2, 3, 4))
    assert len(decode(buffer.getvalue(), Limits(max_pdf_pages=3), pages=(1, 2))) == 2


def test_decode_empty_raises_empty_input() -> None:
    with pytest.raises(EmptyInputError):
        decode(b"")


@pytest.mark.parametrize(
    "data", [b"hello, this is text", b"<!doctype html><html></html>", b"GIF89a" + b"\0" * 20]
)
def test_decode_non_image_raises_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedMediaTypeError):
        decode(data)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_decode_truncated_file_raises_invalid(fmt: str) -> None:
    data = encode(render_line("truncated"), fmt)
    with pytest.raises(InvalidImageError):
        decode(data[: len(data) // 2])


def test_decode_corrupt_pdf_raises_invalid() -> None:
    with pytest.raises(InvalidImageError):
        decode(b"%PDF-1.7\n this is not really a pdf")


def test_decode_over_byte_limit_raises_too_large() -> None:
    with pytest.raises(InputTooLargeError, match="bytes"):
        decode(encode(_rgb_image()), Limits(max_bytes=10))


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge image: a decompression bomb's first bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat_data = zlib.compress(b"\0" * 1000)
    idat = (
        struct.pack(">I", len(idat_data))
        + b"IDAT"
        + idat_data
        + struct.pack(">I", zlib.crc32(b"IDAT" + idat_data))
    )
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat


def test_decode_png_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(InputTooLargeError, match="pixels"):
        decode(_png_declaring(50_000, 50_000), Limits(max_side=100_000))
    with pytest.raises(InputTooLargeError, match="side"):
        decode(_png_declaring(30_000, 10))
