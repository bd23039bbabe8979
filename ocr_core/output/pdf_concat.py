"""One searchable PDF from several: a job's chunks each write theirs, the merge joins them in order.

PDFium imports each part's pages (page images, invisible text, the glyph-less font and its
ToUnicode map) into a new document, one part at a time, and writes the result to a file. The
parts are opened from files and closed once imported, and nothing is rendered: memory holds the
compressed objects of the output document, never pixels. Every call holds `_PDFIUM_LOCK`
(PDFium is not thread-safe, see `ocr_core.input.pdf`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pypdfium2 as pdfium

from ocr_core.errors import InvalidImageError
from ocr_core.input.pdf import _PDFIUM_LOCK


def concat_pdfs(parts: Iterable[Path], output: Path) -> int:
    """Write the pages of `parts`, in order, to `output`; returns the page count.

    `parts` may be a generator that fetches each part just before it is needed (e.g. from S3),
    so only one part is on disk at a time; the lock is not held while it fetches.
    """
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument.new()
    try:
        for path in parts:
            with _PDFIUM_LOCK:
                _append(document, path)
        with _PDFIUM_LOCK:
            document.save(str(output))
            return len(document)
    finally:
        with _PDFIUM_LOCK:
            document.close()


def _append(document: pdfium.PdfDocument, path: Path) -> None:
    try:
        part = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise InvalidImageError(f"the PDF part {path.name} is corrupt") from error
    try:
        document.import_pages(part)
    finally:
        part.close()
