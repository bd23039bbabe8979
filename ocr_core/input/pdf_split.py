"""Cut a PDF into smaller PDFs of given pages, for a job's chunks, without rendering anything.

The cutting runs in the PDFium worker process (`pdf_process`), under the same memory and time
limits as rendering: an upload is a stranger's file whoever cuts it. The worker opens the file by
path, so PDFium reads it as it needs it and a document of hundreds of megabytes never sits whole
in memory; each part is a new document holding only its pages' objects, written to a file and
read back. PDFium keeps every object it parsed until a document is closed, so each part opens the
file anew. A part of an encrypted PDF is written unencrypted: the password is needed once, here,
and the workers that read the parts never see it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from ocr_core.input.pdf import raise_for
from ocr_core.input.pdf_process import WORKER
from ocr_core.limits import DEFAULT_LIMITS, Limits


class PdfSource:
    """A PDF file, cut into parts of chosen pages (1-based numbers)."""

    def __init__(self, path: Path, password: str | None = None, limits: Limits = DEFAULT_LIMITS) -> None:
        self._path, self._password, self._limits = path, password, limits
        answer = self._call({"op": "count"})
        pages = answer.get("pages")
        if not isinstance(pages, int) or pages < 0:
            raise WORKER.protocol_error()
        self.page_count = pages

    def part(self, numbers: Sequence[int]) -> bytes:
        """A PDF of these pages, in this order."""
        with tempfile.TemporaryDirectory(dir=self._path.parent) as folder:
            out = Path(folder) / "part.pdf"
            self._call({"op": "part", "pages": [number - 1 for number in numbers], "out": str(out)})
            return out.read_bytes()

    def _call(self, request: dict[str, Any]) -> dict[str, Any]:
        with WORKER.lock:
            WORKER.start(self._limits.pdf_memory_bytes, self._limits.pdf_seconds)
            answer, _ = WORKER.call({**request, "path": str(self._path), "password": self._password})
        raise_for(answer, self._password, self._limits)
        return answer

    def close(self) -> None:
        """Nothing stays open between parts; here for `with`."""

    def __enter__(self) -> PdfSource:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
