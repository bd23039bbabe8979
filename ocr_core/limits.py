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


DEFAULT_LIMITS = Limits()
