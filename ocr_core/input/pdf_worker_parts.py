"""The PDFium worker's cutting of a long document into parts (`count`, `part`), for `pdf_split`.

Runs inside the worker process (imported there as a top-level module beside `pdf_worker`, with
only the standard library and pypdfium2). The file is opened by path, so PDFium reads it as it
needs it and never holds it whole; it is closed again after each request, as PDFium keeps every
object it parsed until then. A part of an encrypted PDF is written unencrypted.
"""

from __future__ import annotations

import os
from typing import Any

PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


def split(pdfium: Any, op: str, request: dict[str, Any]) -> dict[str, Any]:
    """`count`: the page count of the PDF at `path`; `part`: its `pages` (0-based) written to `out`."""
    try:
        source = pdfium.PdfDocument(str(request["path"]), password=request.get("password"))
    except pdfium.PdfiumError as error:
        return {"error": "password" if getattr(error, "err_code", None) == PASSWORD_ERROR else "corrupt"}
    try:
        if op == "count":
            return {"pages": len(source)}
        part = pdfium.PdfDocument.new()
        try:
            part.import_pages(source, [int(index) for index in request["pages"]])
            part.save(str(request["out"]))
        finally:
            part.close()
        return {"bytes": os.path.getsize(request["out"])}
    finally:
        source.close()
