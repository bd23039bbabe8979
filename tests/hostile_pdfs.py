"""Hostile PDFs, built in memory: small files whose content costs PDFium gigabytes or minutes.

Each case is a few kilobytes to a few megabytes (within the synchronous upload limit) and names
what makes it hostile: a page content stream that inflates to 2 GB, an image whose stream inflates
far beyond its declared size, a font program of a gigabyte, a page hidden in an object stream of
a gigabyte, a page tree that loops. `tests/test_memory_bounds.py` runs each through the Lambda
API handler in a fresh process and bounds the peak RSS; `tests/test_fuzz.py` mixes their parts.

Only the standard library (and Pillow for the one JPEG case): the files are written byte by byte
(`tests.helpers.pdf_bytes`), so they hold exactly the structures under test.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tests.helpers.pdf_bytes import (
    deflate_repeated,
    document,
    document_with_xref_stream,
    object_stream,
    ref,
    stream,
)

GiB = 1 << 30
MiB = 1 << 20
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
SHOW_TEXT = b"BT /F1 24 Tf 72 700 Td (Hello PDF) Tj ET"
FLATE = b"/Filter /FlateDecode"


def one_page(
    content: bytes, resources: bytes = b"<< >>", extra: Sequence[bytes] = (), page: bytes = b""
) -> bytes:
    """A one-page PDF: objects 1-4 are catalog, page tree, page and `content` (a stream object);
    `extra` objects are numbered from 5 (`resources` and `page` entries may refer to them)."""
    return document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
            + resources
            + b" /Contents 4 0 R "
            + page
            + b">>",
            content,
            *extra,
        ]
    )


def flate(
    unit: bytes, inflated: int, prefix: bytes = b"", suffix: bytes = b"", entries: bytes = b""
) -> bytes:
    """A FlateDecode stream object inflating to about `inflated` bytes of `unit` repeated."""
    return stream(entries + b" " + FLATE, deflate_repeated(unit, inflated, prefix, suffix))


def image_resources(number: int = 5) -> bytes:
    return b"<< /XObject << /Im1 %s >> >>" % ref(number)


DRAW_IMAGE = stream(b"", b"q 500 0 0 500 50 50 cm /Im1 Do Q")


# ---- content streams -----------------------------------------------------------------------------


def content_spaces(inflated: int = 2 * GiB) -> bytes:
    """The reported case: the page's content stream is FlateDecode of spaces."""
    return one_page(flate(b" ", inflated))


def content_paths(inflated: int = 256 * MiB) -> bytes:
    """Millions of tiny stroked paths: each is a page object in PDFium's memory."""
    return one_page(flate(b"1 1 m 2 2 l S\n", inflated))


def content_one_path(inflated: int = 64 * MiB) -> bytes:
    """One filled path of four million segments across the page: little memory, minutes to fill."""
    return one_page(flate(b"612 792 l 0 0 l ", inflated, b"0 0 m ", b"f\n"))


def content_text(inflated: int = 64 * MiB) -> bytes:
    """Millions of shown characters: the text layer holds an entry per character."""
    body = flate(b"(ABCDEFGHIJKLMNOP) Tj\n", inflated, b"BT /F1 1 Tf 72 700 Td\n", b"ET\n")
    return one_page(body, b"<< /Font << /F1 5 0 R >> >>", [HELVETICA])


def content_array_repeat(inflated: int = 1 * GiB, repeats: int = 8) -> bytes:
    """/Contents names one inflating stream many times: PDFium joins them into one buffer."""
    page = b"/Contents [" + b" ".join([ref(5)] * repeats) + b"]"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page + b" >>",
        b"null",
        flate(b" ", inflated),
    ]
    return document(objects)


def double_flate(inflated: int = 2 * GiB) -> bytes:
    """[/FlateDecode /FlateDecode]: deflate of a deflate bomb, a few kilobytes for 2 GB."""
    payload = zlib.compress(deflate_repeated(b" ", inflated), 9)
    return one_page(stream(b"/Filter [/FlateDecode /FlateDecode]", payload))


def run_length(inflated: int = 192 * MiB) -> bytes:
    """RunLengthDecode: every two bytes become 129 (another filter than Flate)."""
    return one_page(stream(b"/Filter /RunLengthDecode", b"\x80 " * (inflated // 129) + b"\x80"))


def annotation_appearance(inflated: int = 2 * GiB) -> bytes:
    """An annotation's appearance stream (drawn with the page) inflating to gigabytes."""
    annot = b"<< /Type /Annot /Subtype /Square /Rect [50 50 550 700] /AP << /N 6 0 R >> >>"
    form = flate(b" ", inflated, entries=b"/Type /XObject /Subtype /Form /BBox [0 0 500 650]")
    return one_page(stream(b"", b""), extra=[annot, form], page=b"/Annots [5 0 R]")


def form_fanout(depth: int = 9, fan: int = 10) -> bytes:
    """Form XObjects each drawing the next `fan` times: fan**depth leaf draws (a time bomb)."""
    forms = []
    for level in range(depth):
        number = 5 + level
        if level == depth - 1:
            body = b"0 0 1 1 re f"
            resources = b"<< >>"
        else:
            body = b"/F Do " * fan
            resources = b"<< /XObject << /F %s >> >>" % ref(number + 1)
        forms.append(
            stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources " + resources, body)
        )
    return one_page(stream(b"", b"/F Do"), b"<< /XObject << /F 5 0 R >> >>", forms)


def form_self_recursion(draws: int = 2) -> bytes:
    """A form XObject that draws itself `draws` times: exponential up to PDFium's nesting limit."""
    resources = b"<< /XObject << /Fm1 5 0 R >> >>"
    form = stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources " + resources,
        b"/Fm1 Do\n" * draws + b"0 0 10 10 re f",
    )
    return one_page(stream(b"", b"/Fm1 Do"), resources, [form])


# ---- images, fonts, colour -----------------------------------------------------------------------


def image_overflow(inflated: int = 2 * GiB) -> bytes:
    """A 100x100 gray image whose stream inflates to gigabytes (far beyond its 10,000 bytes)."""
    image = flate(
        b"\x00",
        inflated,
        entries=b"/Type /XObject /Subtype /Image /Width 100 /Height 100 "
        b"/ColorSpace /DeviceGray /BitsPerComponent 8",
    )
    return one_page(DRAW_IMAGE, image_resources(), [image])


def image_declared_huge(side: int = 60_000, inflated: int = 2 * GiB) -> bytes:
    """An RGB image declaring side x side pixels (10.8 GB at 60,000), its stream 2 GB of zeros."""
    entries = b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB " % (side, side)
    image = flate(b"\x00", min(inflated, side * side * 3), entries=entries + b"/BitsPerComponent 8")
    return one_page(DRAW_IMAGE, image_resources(), [image])


def jpeg_declared_huge(side: int = 65_000) -> bytes:
    """A DCTDecode image whose JPEG frame header declares side x side pixels."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", side, side)
    entries = b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB " % (side, side)
    image = stream(entries + b"/BitsPerComponent 8 /Filter /DCTDecode", bytes(data))
    return one_page(DRAW_IMAGE, image_resources(), [image])


def icc_profile(inflated: int = 2 * GiB) -> bytes:
    """An image in an /ICCBased colour space whose profile stream inflates to gigabytes."""
    image = stream(
        b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace [/ICCBased 6 0 R] "
        b"/BitsPerComponent 8",
        b"\x80" * 12,
    )
    profile = flate(b"\x00", inflated, entries=b"/N 3")
    return one_page(DRAW_IMAGE, image_resources(), [image, profile])


def font_program(inflated: int = 2 * GiB) -> bytes:
    """A TrueType font whose embedded program (/FontFile2) inflates to gigabytes."""
    font = (
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 65 /LastChar 90 "
        b"/Widths [" + b"500 " * 26 + b"] /FontDescriptor 6 0 R >>"
    )
    descriptor = (
        b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 7 0 R >>"
    )
    program = flate(b"\x00", inflated, prefix=b"\x00\x01\x00\x00", entries=b"/Length1 %d" % inflated)
    return one_page(stream(b"", SHOW_TEXT), b"<< /Font << /F1 5 0 R >> >>", [font, descriptor, program])


def shading_function(side: int = 30_000) -> bytes:
    """A function-based shading sampled on a side x side grid (2.7 GB of samples at 30,000)."""
    function = flate(
        b"\x00",
        side * side * 3,
        entries=b"/FunctionType 0 /Domain [0 1 0 1] "
        b"/Range [0 1 0 1 0 1] /Size [%d %d] /BitsPerSample 8" % (side, side),
    )
    shading = b"<< /ShadingType 1 /ColorSpace /DeviceRGB /Function 6 0 R >>"
    return one_page(stream(b"", b"/Sh1 sh"), b"<< /Shading << /Sh1 5 0 R >> >>", [shading, function])


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


# ---- document structure --------------------------------------------------------------------------


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


def to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    """A ToUnicode CMap mapping one-byte codes to UTF-16BE hex strings (which may be lone surrogates)."""
    chars = b"".join(b"<%02X> <%s>\n" % (code, target.encode()) for code, target in mapping.items())
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"%d beginbfchar\n" % len(mapping) + chars + b"endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )


def to_unicode_text(text: bytes, mapping: dict[int, str]) -> bytes:
    """A page showing `text` (one-byte codes) in Helvetica whose ToUnicode CMap is `mapping`."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    content = stream(b"", b"BT /F1 36 Tf 50 600 Td (" + text + b") Tj ET")
    return one_page(content, b"<< /Font << /F1 5 0 R >> >>", [font, stream(b"", to_unicode_cmap(mapping))])


def lone_surrogate_text() -> bytes:
    """'A' maps to U+D800 (a lone high surrogate), 'Z' to U+DC00 (a lone low one); the rest is text."""
    return to_unicode_text(b"Hello A World Z end", {0x41: "D800", 0x5A: "DC00"})


@dataclass(frozen=True)
class HostilePdf:
    name: str
    build: Callable[..., bytes]
    """Builds the file at its default size; its keyword arguments scale it (`make fuzz` goes larger)."""


CASES = (
    HostilePdf("content_spaces", content_spaces),
    HostilePdf("content_paths", content_paths),
    HostilePdf("content_one_path", content_one_path),
    HostilePdf("content_text", content_text),
    HostilePdf("content_array_repeat", content_array_repeat),
    HostilePdf("double_flate", double_flate),
    HostilePdf("run_length", run_length),
    HostilePdf("annotation_appearance", annotation_appearance),
    HostilePdf("form_fanout", form_fanout),
    HostilePdf("form_self_recursion", form_self_recursion),
    HostilePdf("image_overflow", image_overflow),
    HostilePdf("image_declared_huge", image_declared_huge),
    HostilePdf("jpeg_declared_huge", jpeg_declared_huge),
    HostilePdf("icc_profile", icc_profile),
    HostilePdf("font_program", font_program),
    HostilePdf("shading_function", shading_function),
    HostilePdf("bomb_after_big_pages", bomb_after_big_pages),
    HostilePdf("object_stream_padding", object_stream_padding),
    HostilePdf("xref_stream_padding", xref_stream_padding),
    HostilePdf("page_tree_deep", page_tree_deep),
    HostilePdf("page_tree_loop", page_tree_loop),
    HostilePdf("many_pages", many_pages),
)
CASES_BY_NAME = {case.name: case for case in CASES}

HOSTILE_PAGE_SPEC = ",".join(["1-10000"] * 3100)[: 24 * 1024]
"""A 24 KB `pages` value: thousands of ranges naming tens of millions of pages (2.3 GB expanded)."""
