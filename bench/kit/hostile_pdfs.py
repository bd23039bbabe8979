"""Hostile PDFs, built in memory: small files whose content costs PDFium gigabytes or minutes.

Each case is a few kilobytes to a few megabytes (within the synchronous upload limit) and names
what makes it hostile: a page content stream that inflates to 2 GB, an image whose stream inflates
far beyond its declared size, a font program of a gigabyte, forms that draw themselves; the
cases of document structure live in `tests/hostile_pdf_structure.py`. `CASES` lists them all:
`tests/test_memory_bounds.py` runs each through the Lambda API handler in a fresh process and
bounds the peak RSS; `make fuzz` runs larger ones (`tests/test_fuzz.py`).

Only the standard library (and Pillow for the one JPEG case): the files are written byte by byte
(`bench.kit.pdf_bytes`), so they hold exactly the structures under test.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from bench.kit.hostile_pdf_structure import (
    bomb_after_big_pages,
    many_pages,
    object_stream_padding,
    page_tree_deep,
    page_tree_loop,
    xref_stream_padding,
)
from bench.kit.pdf_bytes import (
    GiB,
    MiB,
    deflate_repeated,
    document,
    flate,
    one_page,
    ref,
    stream,
)

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
SHOW_TEXT = b"BT /F1 24 Tf 72 700 Td (Hello PDF) Tj ET"


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


@dataclass(frozen=True)
class HostilePdf:
    name: str
    build: Callable[..., bytes]
    """Builds the file at its default size; its keyword arguments scale it (`make fuzz` goes larger)."""


CASES = tuple(
    HostilePdf(build.__name__, build)
    for build in (
        content_spaces,
        content_paths,
        content_one_path,
        content_text,
        content_array_repeat,
        double_flate,
        run_length,
        annotation_appearance,
        form_fanout,
        form_self_recursion,
        image_overflow,
        image_declared_huge,
        jpeg_declared_huge,
        icc_profile,
        font_program,
        shading_function,
        bomb_after_big_pages,
        object_stream_padding,
        xref_stream_padding,
        page_tree_deep,
        page_tree_loop,
        many_pages,
    )
)
CASES_BY_NAME = {case.name: case for case in CASES}

HOSTILE_PAGE_SPEC = ",".join(["1-10000"] * 3100)[: 24 * 1024]
"""A 24 KB `pages` value: thousands of ranges naming tens of millions of pages (2.3 GB expanded)."""
