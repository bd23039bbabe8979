"""PDFs with a real text layer, written by PDFium itself (pypdfium2's raw API).

A text object in a standard font is what a word processor's export contains: visible glyphs
with their character codes. The service must return that text without OCR (`pdf_text=auto`)
and can still OCR the same page (`pdf_text=ocr`), so one file checks both paths.
"""

from __future__ import annotations

import ctypes
import io
from collections.abc import Sequence

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from bench.kit.render import render_page

Placed = tuple[str, float, float, float]
"""Text, x and y of its baseline start in points from the bottom-left, font size in points."""


def text_pdf(pages: Sequence[Sequence[Placed]], size: tuple[float, float] = (400, 300)) -> bytes:
    document = pdfium.PdfDocument.new()
    font = pdfium_c.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
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


def pdf_text(data: bytes) -> list[str]:
    """Each page's extracted text, as a PDF reader's copy-and-paste would give it."""
    document = pdfium.PdfDocument(data)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def scanned_pdf(pages: int = 3) -> bytes:
    """A PDF of page images only ("Scanned page N"), no text layer: what a scanner writes."""
    images = [render_page([f"Scanned page {n}"], size=40, width=600) for n in range(1, pages + 1)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=100)
    return buffer.getvalue()
