"""Cut a PDF into smaller PDFs of given pages, for a job's chunks, without rendering anything.

PDFium opens the document from a file path and reads objects as they are needed, so a document
of hundreds of megabytes never sits whole in memory; each part is a new document holding only
its pages' objects (content, images, fonts, text layer), imported by PDFium. A part of an
encrypted PDF is written unencrypted: the password is needed once, here, and the workers that
read the parts never see it.

Every call holds `_PDFIUM_LOCK`, like rendering does (PDFium is not thread-safe, see
`ocr_core.input.pdf`), and opens and closes its own documents, so nothing of PDFium lives
between calls.
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
    """A PDF opened from a file, cut into parts of chosen pages (1-based numbers).

    PDFium keeps every object it has parsed until the document is closed, so a source that stays
    open grows by the objects of every part cut from it (as much as the file by the last part).
    Each part therefore opens the file anew: the cost is a reparse of the cross-reference table,
    and memory holds one part's objects at a time."""

    def __init__(self, path: Path, password: str | None = None) -> None:
        self._path, self._password = path, password
        with _PDFIUM_LOCK:
            document = self._open()
            try:
                self.page_count = len(document)
            finally:
                document.close()

    def part(self, numbers: Sequence[int]) -> bytes:
        """A PDF of these pages, in this order."""
        with _PDFIUM_LOCK:
            source, part = self._open(), pdfium.PdfDocument.new()
            try:
                part.import_pages(source, [number - 1 for number in numbers])
                buffer = io.BytesIO()
                part.save(buffer)
                return buffer.getvalue()
            except pdfium.PdfiumError as error:
                raise InvalidImageError("the PDF has a page that cannot be copied") from error
            finally:
                part.close()
                source.close()

    def _open(self) -> pdfium.PdfDocument:
        # PDFium opens a path as it opens bytes, reading the file lazily; open_pdf maps its errors.
        return open_pdf(str(self._path), self._password)  # type: ignore[arg-type]

    def close(self) -> None:
        """Nothing stays open between parts; here for `with`."""

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
