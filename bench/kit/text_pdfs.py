"""PDFs with a real text layer, written by PDFium itself (pypdfium2's raw API).

A text object in a font is what a word processor's export contains: visible glyphs with their
character codes. The service must return that text without OCR (`pdf_text=auto`) and can still
OCR the same page (`pdf_text=ocr`), so one file checks both paths.
"""

from __future__ import annotations

import ctypes
import io
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Placed = tuple[str, float, float, float]
"""Text, x and y of its baseline start in points from the bottom-left, font size in points."""


def placed_text_pdf(
    pages: Sequence[Sequence[Placed]], size: tuple[float, float] = (400, 300), font_file: Path | None = None
) -> bytes:
    """One page of `size` points per item of `pages`, each text placed where it says; in Helvetica,
    or in `font_file` (a TrueType font) embedded, as word processors do."""
    document = pdfium.PdfDocument.new()
    if font_file is None:
        font = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
    else:
        data = font_file.read_bytes()
        buffer = (ctypes.c_ubyte * len(data)).from_buffer_copy(data)
        font = pdfium_c.FPDFText_LoadFont(document.raw, buffer, len(data), pdfium_c.FPDF_FONT_TRUETYPE, 0)
    for items in pages:
        page = document.new_page(*size)
        for text, x, y, font_size in items:
            obj = pdfium_c.FPDFPageObj_CreateTextObj(document.raw, font, font_size)
            wide = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
        page.close()
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()
