"""Cut a PDF into smaller PDFs of given pages, for a job's chunks, without rendering anything.

PDFium opens the document from a file path and reads objects as they are needed, so a document
of hundreds of megabytes never sits whole in memory; each part is a new document holding only
its pages' objects (content, images, fonts, text layer), imported by PDFium. A part of an
encrypted PDF is written unencrypted: the password is needed once, here, and the workers that
read the parts never see it.

Every call holds `_PDFIUM_LOCK`, like rendering does (PDFium is not thread-safe, see
`ocr_core.input.pdf`); the lock is taken per call, so an open source document does not block
other threads between parts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import pypdfium2 as pdfium

from ocr_core.errors import InvalidImageError
from ocr_core.input.pdf import _PDFIUM_LOCK, open_pdf


class PdfSource:
    """A PDF opened from a file, cut into parts of chosen pages (1-based numbers)."""

    def __init__(self, path: Path, password: str | None = None) -> None:
        with _PDFIUM_LOCK:
            # PDFium opens a path as it opens bytes, reading the file lazily; open_pdf maps its errors.
            self._document = open_pdf(str(path), password)  # type: ignore[arg-type]
            self.page_count = len(self._document)

    def part(self, numbers: Sequence[int]) -> bytes:
        """A PDF of these pages, in this order."""
        with _PDFIUM_LOCK:
            part = pdfium.PdfDocument.new()
            try:
                part.import_pages(self._document, [number - 1 for number in numbers])
                buffer = io.BytesIO()
                part.save(buffer)
                return buffer.getvalue()
            except pdfium.PdfiumError as error:
                raise InvalidImageError("the PDF has a page that cannot be copied") from error
            finally:
                part.close()

    def close(self) -> None:
        with _PDFIUM_LOCK:
            self._document.close()

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
