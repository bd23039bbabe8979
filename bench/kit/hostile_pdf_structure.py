"""Hostile PDFs by document structure: page trees that nest, loop or run long, a page held in a
padded object stream, an xref stream of gigabytes, a bomb after pages of pixels; and a text
layer whose ToUnicode map gives lone surrogates. `tests/hostile_pdfs.py` lists them with the rest.
"""

from __future__ import annotations

from bench.kit.pdf_bytes import (
    GiB,
    document,
    document_with_xref_stream,
    flate,
    object_stream,
    one_page,
    ref,
    stream,
    to_unicode_cmap,
)


def bomb_after_big_pages(pages: int = 19, inflated: int = 2 * GiB) -> bytes:
    """`pages` pages of 5 megapixels at 200 dpi (all of `max_total_pixels` with the last), then a
    page whose content inflates to gigabytes: the service holds the first pages' pixels while
    PDFium works on the last, the worst moment for the two processes together."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for number in range(pages + 1):
        content = flate(b" ", inflated) if number == pages else stream(b"", b"0 0 100 100 re f")
        objects.append(content)
        kids.append(len(objects) + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 684 947] /Contents %s >>" % ref(len(objects))
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(ref(kid) for kid in kids), pages + 1)
    return document(objects)


def object_stream_padding(inflated: int = 2 * GiB) -> bytes:
    """The page object lives in an object stream padded with gigabytes of spaces."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"",
        stream(b"", b"0 0 100 100 re f"),
        object_stream([(3, page)], padding=inflated),
    ]
    return document_with_xref_stream(objects, {3: (5, 0)})


def xref_stream_padding(inflated: int = 2 * GiB) -> bytes:
    """The cross-reference stream itself inflates to gigabytes (zeros after the real rows)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        stream(b"", b"0 0 100 100 re f"),
    ]
    return document_with_xref_stream(objects, {}, padding=inflated)


def page_tree_deep(depth: int = 20_000) -> bytes:
    """Page-tree nodes nested `depth` deep above one page (recursion in every tree walk)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = 2 + level
        objects.append(
            b"<< /Type /Pages /Kids [%s] /Count 1 /Parent %s >>" % (ref(number + 1), ref(max(number - 1, 2)))
        )
    objects.append(b"<< /Type /Page /Parent %s /MediaBox [0 0 612 792] >>" % ref(depth + 1))
    return document(objects)


def page_tree_loop() -> bytes:
    """A page-tree node that lists itself (and its parent) among its kids."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 3 >>",
        b"<< /Type /Pages /Kids [4 0 R 3 0 R 2 0 R] /Count 2 /Parent 2 0 R >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] >>",
    ]
    return document(objects)


def many_pages(count: int = 35_000) -> bytes:
    """`count` pages sharing one content stream (the page cap must hold before any work per page)."""
    kids = b" ".join(ref(4 + index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        stream(b"", b"0 0 100 100 re f"),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * count
    return document(objects)


# ---- text that is not Unicode --------------------------------------------------------------------


def to_unicode_text(text: bytes, mapping: dict[int, str]) -> bytes:
    """A page showing `text` (one-byte codes) in Helvetica whose ToUnicode CMap is `mapping`."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    content = stream(b"", b"BT /F1 36 Tf 50 600 Td (" + text + b") Tj ET")
    return one_page(content, b"<< /Font << /F1 5 0 R >> >>", [font, stream(b"", to_unicode_cmap(mapping))])


def lone_surrogate_text() -> bytes:
    """'A' maps to U+D800 (a lone high surrogate), 'Z' to U+DC00 (a lone low one); the rest is text."""
    return to_unicode_text(b"Hello A World Z end", {0x41: "D800", 0x5A: "DC00"})
