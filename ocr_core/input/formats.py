"""Name a file's format from its magic bytes.

The client's Content-Type and file name are not trusted: a text file named .png must get a
clear "unsupported" answer, and a JPEG sent as application/octet-stream must still work.
"""

from __future__ import annotations

from ocr_core.errors import UnsupportedMediaTypeError

IMAGE_KINDS = ("jpeg", "png", "webp", "bmp", "tiff")
"""Formats we decode; PDFs are rendered page by page."""

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
    """One of IMAGE_KINDS, "pdf", or "gif" (recognised, then refused); else UnsupportedMediaTypeError."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    # Some PDF writers put junk before the header; PDF readers accept it within the first 1 KB.
    if b"%PDF-" in data[:1024]:
        return "pdf"
    raise UnsupportedMediaTypeError("the file is not a supported image (JPEG, PNG, WebP, BMP, TIFF) or PDF")
