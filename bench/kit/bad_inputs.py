"""Hostile and odd input files, built in memory, with the answer the service owes each one.

Generated, not checked in: each file says in code what makes it hostile (a header declaring
50000x50000 pixels, a flipped CRC byte, an encryption dictionary), files stay small, and the
matrix in tests/test_bad_inputs.py feeds the same cases to the HTTP API and the S3 trigger;
`make load` (bench/load.py) mixes some of them into its traffic. The PDFs are in `raw_pdfs`.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from PIL import Image

from bench.kit.raw_pdfs import (
    blank_pdf,
    corrupt_pdf,
    encrypted_pdf,
    huge_page_pdf,
    huge_pages_pdf,
    many_pages_pdf,
    pageless_pdf,
    text_pdf,
)
from bench.kit.render import encode, render_line, render_page

BOMB_SIDE = 50_000
LONG_NAME_CHARS = 300


@dataclass(frozen=True)
class BadInput:
    """One hostile input and what the service must answer for it.

    `pages` is the page count a 200 must report; `words` are words its text must contain
    (loose on purpose: the matrix is about robustness, recognition quality is tested elsewhere).
    """

    name: str
    build: Callable[[], bytes]
    status: int
    code: str | None = None
    filename: str = "upload.png"
    content_type: str = "image/png"
    pages: int | None = None
    words: tuple[str, ...] = ()
    empty: bool = False
    query: dict[str, str] = field(default_factory=dict)

    def data(self) -> bytes:
        return _built(self.build)


@cache
def _built(build: Callable[[], bytes]) -> bytes:
    return build()


# ---- images --------------------------------------------------------------------------------------


def line_png() -> bytes:
    return encode(render_line("Hello 2024 你好"))


def truncated_jpeg() -> bytes:
    data = encode(render_page(["Truncated JPEG 截断"], width=600), "JPEG", quality=90)
    return data[: len(data) // 2]


def truncated_png() -> bytes:
    data = line_png()
    return data[: len(data) // 2]


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of each chunk after the signature."""
    chunks, offset = [], 8
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        chunks.append((kind, data[offset + 8 : offset + 8 + length]))
        offset += 12 + length
    return chunks


def png_from_chunks(chunks: Sequence[tuple[bytes, bytes]], bad_crc: bytes = b"") -> bytes:
    """Reassemble chunks; the chunk type named by `bad_crc` gets a wrong checksum."""
    out = [b"\x89PNG\r\n\x1a\n"]
    for kind, payload in chunks:
        crc = zlib.crc32(kind + payload) ^ (0xFFFFFFFF if kind == bad_crc else 0)
        out.append(struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc))
    return b"".join(out)


def png_bad_header_crc() -> bytes:
    return png_from_chunks(png_chunks(line_png()), bad_crc=b"IHDR")


def png_bad_data_crc() -> bytes:
    """IDAT bytes damaged in the middle and its CRC left stale: what a bad download looks like."""
    chunks = png_chunks(line_png())
    damaged = []
    for kind, payload in chunks:
        if kind == b"IDAT":
            middle = len(payload) // 2
            payload = (
                payload[:middle]
                + bytes(b ^ 0xFF for b in payload[middle : middle + 16])
                + payload[middle + 16 :]
            )
        damaged.append((kind, payload))
    out = [b"\x89PNG\r\n\x1a\n"]
    for (kind, payload), (_, original) in zip(damaged, chunks, strict=True):
        crc = zlib.crc32(kind + original)  # the checksum of the undamaged bytes
        out.append(struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc))
    return b"".join(out)


def png_bomb(side: int = BOMB_SIDE) -> bytes:
    """A valid PNG start declaring side x side RGB pixels (7.5 GB decoded), a few KB on disk."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    row = b"\0" + b"\0" * (3 * side)
    compressor = zlib.compressobj(9)
    idat = compressor.compress(row * 40) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return png_from_chunks([(b"IHDR", header), (b"IDAT", idat)])


def tiff_frames_bomb(frames: int = 20, side: int = 6000) -> bytes:
    """Frames each within the per-image limit that together decode to 2 GB: a few KB as CCITT G4."""
    blank = Image.new("1", (side, side), 1)
    buffer = io.BytesIO()
    blank.save(
        buffer, format="TIFF", save_all=True, append_images=[blank] * (frames - 1), compression="group4"
    )
    return buffer.getvalue()


def one_pixel() -> bytes:
    return encode(Image.new("RGB", (1, 1), "white"))


def solid(color: str, size: tuple[int, int] = (640, 480)) -> Callable[[], bytes]:
    def build() -> bytes:
        return encode(Image.new("RGB", size, color))

    build.__name__ = f"solid_{color}"
    return build


def thin(width: int, height: int) -> Callable[[], bytes]:
    def build() -> bytes:
        return encode(Image.new("L", (width, height), 0))

    build.__name__ = f"thin_{width}x{height}"
    return build


def animated_gif() -> bytes:
    frames = [render_line(text).convert("P") for text in ("frame one", "frame two")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def cmyk_jpeg() -> bytes:
    return encode(render_line("CMYK print 2024", size=40).convert("CMYK"), "JPEG", quality=95)


def sixteen_bit_tiff() -> bytes:
    gray = np.asarray(render_line("Sixteen bit 16", size=40).convert("L"), dtype=np.uint16) * 257
    return encode(Image.fromarray(gray), "TIFF")


def multipage_tiff() -> bytes:
    frames = [render_line(text, size=36) for text in ("Page one", "Page two", "Page three")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def gray_alpha_webp() -> bytes:
    rgba = render_line("Alpha WebP", size=36).convert("RGBA")
    return encode(rgba, "WEBP", lossless=True)


# ---- not images ----------------------------------------------------------------------------------


def text_file() -> bytes:
    return b"This is a plain text file, renamed to .png by someone.\n"


def html_page() -> bytes:
    return b"<!doctype html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"


def svg_image() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>hi</text></svg>'


def zip_archive() -> bytes:
    return b"PK\x03\x04" + b"\0" * 60


# ---- the matrix ----------------------------------------------------------------------------------

UNICODE_NAME = "发票 扫描件 ünïcødé 📄.png"
LONG_NAME = "长" * (LONG_NAME_CHARS - 4) + ".png"

CASES: tuple[BadInput, ...] = (
    BadInput("zero_bytes", lambda: b"", 400, "empty_input"),
    BadInput("text_named_png", text_file, 415, "unsupported_media_type", "notes.png"),
    BadInput("html", html_page, 415, "unsupported_media_type", "page.html", "text/html"),
    BadInput("svg", svg_image, 415, "unsupported_media_type", "logo.svg", "image/svg+xml"),
    BadInput("zip", zip_archive, 415, "unsupported_media_type", "a.zip", "application/zip"),
    BadInput("animated_gif", animated_gif, 415, "unsupported_media_type", "anim.gif", "image/gif"),
    BadInput("truncated_jpeg", truncated_jpeg, 422, "invalid_image", "cut.jpg", "image/jpeg"),
    BadInput("truncated_png", truncated_png, 422, "invalid_image"),
    BadInput("png_bad_header_crc", png_bad_header_crc, 422, "invalid_image"),
    BadInput("png_bad_data_crc", png_bad_data_crc, 422, "invalid_image"),
    BadInput("png_bomb_50000x50000", png_bomb, 413, "input_too_large"),
    BadInput("tiff_frames_bomb", tiff_frames_bomb, 413, "input_too_large", "bomb.tif", "image/tiff"),
    BadInput("one_pixel", one_pixel, 200, empty=True, pages=1),
    BadInput("one_by_4000", thin(4000, 1), 200, empty=True, pages=1),
    BadInput("4000_by_one", thin(1, 4000), 200, empty=True, pages=1),
    BadInput("all_white", solid("white"), 200, empty=True, pages=1),
    BadInput("all_black", solid("black"), 200, empty=True, pages=1),
    BadInput("cmyk_jpeg", cmyk_jpeg, 200, None, "cmyk.jpg", "image/jpeg", pages=1, words=("CMYK",)),
    BadInput(
        "tiff_16bit", sixteen_bit_tiff, 200, None, "deep.tif", "image/tiff", pages=1, words=("Sixteen",)
    ),
    BadInput(
        "tiff_multipage", multipage_tiff, 200, None, "scan.tif", "image/tiff", pages=3, words=("one", "three")
    ),
    BadInput("webp_alpha", gray_alpha_webp, 200, None, "a.webp", "image/webp", pages=1, words=("WebP",)),
    BadInput("pdf_encrypted", encrypted_pdf, 422, "invalid_image", "locked.pdf", "application/pdf"),
    # Issue 8: a document over the page cap is read up to the cap, with a warning (not refused).
    BadInput("pdf_500_pages", many_pages_pdf, 200, None, "long.pdf", "application/pdf", pages=20, empty=True),
    BadInput(
        "pdf_500_pages_selected",
        many_pages_pdf,
        200,
        None,
        "long.pdf",
        "application/pdf",
        pages=2,
        empty=True,
        query={"pages": "1,-1"},
    ),
    BadInput("pdf_corrupt", corrupt_pdf, 422, "invalid_image", "broken.pdf", "application/pdf"),
    BadInput("pdf_no_pages", pageless_pdf, 422, "invalid_image", "empty.pdf", "application/pdf"),
    BadInput("pdf_no_text", blank_pdf, 200, None, "blank.pdf", "application/pdf", pages=1, empty=True),
    BadInput("pdf_huge_page", huge_page_pdf, 200, None, "poster.pdf", "application/pdf", pages=1, empty=True),
    BadInput("pdf_huge_pages", huge_pages_pdf, 413, "input_too_large", "posters.pdf", "application/pdf"),
    BadInput("pdf_text", text_pdf, 200, None, "doc.pdf", "application/pdf", pages=1, words=("PDF",)),
    BadInput("unicode_filename", line_png, 200, None, UNICODE_NAME, pages=1, words=("Hello",)),
    BadInput("long_filename", line_png, 200, None, LONG_NAME, pages=1, words=("Hello",)),
    BadInput(
        "jpeg_named_png", lambda: encode(render_line("Hello 2024"), "JPEG"), 200, None, "x.png", pages=1
    ),
)
"""Every case: fed as a file to POST /ocr and as an upload to the S3 trigger."""

CASES_BY_NAME = {case.name: case for case in CASES}
