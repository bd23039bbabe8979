"""Read the format and pixel size of an image from its first bytes, without decoding it.

Checking size from the header is what stops decompression bombs: a few-KB PNG can declare
50000 x 50000 pixels, and we must refuse it before a decoder allocates 7.5 GB.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ocr_core.errors import InvalidImageError, UnsupportedMediaTypeError


@dataclass(frozen=True)
class Header:
    kind: str
    width: int
    height: int


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"%PDF-", "pdf"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def sniff_kind(data: bytes) -> str:
    """Name the format from magic bytes; the client's Content-Type and file name are not trusted."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    # Some PDF writers put junk before the header; readers accept it within the first 1 KB.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    raise UnsupportedMediaTypeError(
        "the file is not a supported image (JPEG, PNG, WebP, BMP, TIFF) or PDF"
    )


def read_header(data: bytes) -> Header:
    kind = sniff_kind(data)
    reader = _READERS.get(kind)
    if reader is None:
        return Header(kind, 0, 0)
    try:
        width, height = reader(data)
    except (struct.error, IndexError, ValueError) as error:
        raise InvalidImageError(f"the {kind.upper()} header is truncated or corrupt") from error
    if width <= 0 or height <= 0:
        raise InvalidImageError(f"the {kind.upper()} header declares an empty image")
    return Header(kind, width, height)


def _png_size(data: bytes) -> tuple[int, int]:
    if data[12:16] != b"IHDR":
        raise ValueError("no IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int]:
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            raise ValueError("marker expected")
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            offset += 2
            continue
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        if marker in _SOF_MARKERS:
            height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
            return width, height
        if marker == 0xDA:
            break
        offset += 2 + length
    raise ValueError("no frame header")


def _bmp_size(data: bytes) -> tuple[int, int]:
    (header_size,) = struct.unpack("<I", data[14:18])
    if header_size == 12:
        width, height = struct.unpack("<HH", data[18:22])
        return width, height
    width, height = struct.unpack("<ii", data[18:26])
    return width, abs(height)


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        (bits,) = struct.unpack("<I", data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise ValueError("unknown WebP chunk")


def _tiff_size(data: bytes) -> tuple[int, int]:
    endian = "<" if data[:2] == b"II" else ">"
    (ifd,) = struct.unpack(endian + "I", data[4:8])
    (count,) = struct.unpack(endian + "H", data[ifd : ifd + 2])
    sizes: dict[int, int] = {}
    for index in range(count):
        entry = data[ifd + 2 + 12 * index : ifd + 14 + 12 * index]
        tag, field_type = struct.unpack(endian + "HH", entry[:4])
        if tag in (256, 257):
            fmt = "H" if field_type == 3 else "I"
            (sizes[tag],) = struct.unpack(endian + fmt, entry[8 : 8 + struct.calcsize(fmt)])
    return sizes[256], sizes[257]


_READERS = {
    "png": _png_size,
    "jpeg": _jpeg_size,
    "bmp": _bmp_size,
    "webp": _webp_size,
    "tiff": _tiff_size,
}
