"""PDFs for the tests: a real text layer (`text_pdf`, written by PDFium: `bench.kit.text_pdfs`),
page images only (`scanned_pdf`), and the text a PDF reader would copy out (`pdf_text`)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium

from bench.kit.render import render_page
from bench.kit.text_pdfs import Placed
from bench.kit.text_pdfs import placed_text_pdf as text_pdf

__all__ = ["Placed", "pdf_text", "scanned_pdf", "text_pdf"]


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
