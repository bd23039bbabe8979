"""Limits that protect the engine from hostile or accidental huge inputs.

They are plain values with safe defaults; the handler layer fills them from the environment
(one `Settings` there), the CLI from its flags. An explicit argument always wins.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Caps checked before the expensive step they guard."""

    max_bytes: int = 20 * 1024 * 1024
    """Largest accepted input file."""
    max_pixels: int = 40_000_000
    """Largest decoded image (width x height), read from the header before decoding: stops bombs."""
    max_side: int = 20_000
    """Longest accepted image side in pixels."""
    max_total_pixels: int = 100_000_000
    """Most pixels of all pages of one request together (300 MB as RGB), checked before decoding any.

    Without it a 1 MB TIFF of 20 blank 6000x6000 frames, or a 3 KB PDF of 20 poster-sized pages,
    decodes to 2.5-3 GB while every page passes `max_pixels`: more than a 2 GB Lambda has.
    20 A4 pages at 200 dpi are 77 million pixels.
    """
    max_pdf_pages: int = 20
    """Most PDF pages rendered in one request."""
    pdf_dpi: int = 200
    """PDF render resolution; 200 dpi keeps 8-pt text above the recognizer's useful height."""
    max_lines: int = 2_000
    """Most text lines recognised per page: bounds time on pathological images."""
    pdf_memory_bytes: int = 512 * 1024 * 1024
    """Address-space cap of the PDFium worker process (`ocr_core.input.pdf_process`).

    A PDF's compressed streams (content, images, fonts, colour profiles, object streams) may
    inflate to gigabytes; PDFium allocates what they ask for, so it runs in a process of its
    own with this cap, and a file that needs more gets a 413. Room for a legitimate worst case:
    a page rendered at `max_pixels` (120 MB of RGB) or a 600-dpi A4 scan (a 35-megapixel JPEG),
    with PDFium's decode buffers; small enough that the worker plus the service process (models
    and `max_total_pixels` of pages) stay under 1 GB.
    """
    pdf_seconds: float = 10.0
    """Longest one PDFium step may take: opening the file, reading page sizes, or rendering one
    page with its text layer. A few kilobytes of nested forms can draw a billion times; past
    this the worker is stopped and the request gets a 413. A 600-dpi scanned page takes ~2 s."""
    max_text_chars: int = 200_000
    """Most characters read from PDF text layers in one request (all pages together).

    Millions of shown characters fit in a few kilobytes of compressed content stream, and each
    costs memory as a character with its box; a dense printed page has under 10,000.
    """


DEFAULT_LIMITS = Limits()
