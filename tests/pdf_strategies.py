"""Hypothesis strategies for PDF structure: filters, ToUnicode maps, page trees, object streams.

`tests/test_fuzz.py` feeds what these build to the decoder and the API. Each document is written
byte by byte (`bench.kit.pdf_bytes`) from drawn parts: a page tree of drawn depth and width
(perhaps listing itself among its kids, perhaps with a lying /Count); content streams of text,
paths, images and forms (a form may draw itself) under a drawn filter chain (Flate, Flate twice,
ASCIIHex, ASCII85, RunLength, or garbage that claims to be Flate), some inflating far beyond
their size; a font whose ToUnicode CMap maps codes to drawn UTF-16 units (lone surrogates
included); images of drawn size, depth and colour space; and a cross-reference table, an xref
stream with objects packed into a padded object stream, or no usable xref at all (PDFium
rebuilds it by scanning).
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Callable

from hypothesis import strategies as st

from bench.kit.hostile_pdfs import MiB
from bench.kit.pdf_bytes import (
    deflate_repeated,
    document,
    document_with_xref_stream,
    object_stream,
    stream,
    to_unicode_cmap,
)

SHORT_INFLATED = (0, 1024, MiB, 64 * MiB)
LONG_INFLATED = (*SHORT_INFLATED, 700 * MiB, 2048 * MiB)
"""Payload sizes a stream may inflate to: `make fuzz` adds ones past the worker's memory cap."""
SIDES = (1, 3, 100, 2000, 70_000)
COLOUR_SPACES = (
    (b"/DeviceGray", 1),
    (b"/DeviceRGB", 3),
    (b"/DeviceCMYK", 4),
    (b"[/Indexed /DeviceRGB 1 <000000FFFFFF>]", 1),
)
FILTERS = ("none", "flate", "flate2", "hex", "a85", "runlength", "garbage")
UNITS = st.one_of(
    st.integers(0xD800, 0xDFFF), st.integers(0, 0xFFFF), st.sampled_from([0x0000, 0x000A, 0x0020, 0xFFFE])
)
"""UTF-16 code units for ToUnicode targets, lone surrogates drawn as often as anything else."""


def run_length(data: bytes) -> bytes:
    """RunLengthDecode's encoding with literal runs only (a decoder must accept it)."""
    out = bytearray()
    for start in range(0, len(data), 128):
        chunk = data[start : start + 128]
        out += bytes([len(chunk) - 1]) + chunk
    return bytes(out + b"\x80")


ENCODERS: dict[str, tuple[bytes, Callable[[bytes], bytes]]] = {
    "none": (b"", lambda data: data),
    "flate": (b"/Filter /FlateDecode", zlib.compress),
    "flate2": (b"/Filter [/FlateDecode /FlateDecode]", lambda data: zlib.compress(zlib.compress(data))),
    "hex": (b"/Filter /ASCIIHexDecode", lambda data: data.hex().encode() + b">"),
    "a85": (b"/Filter /ASCII85Decode", lambda data: base64.a85encode(data) + b"~>"),
    "runlength": (b"/Filter /RunLengthDecode", run_length),
    "garbage": (b"/Filter /FlateDecode", lambda data: data[::-1]),
}


@st.composite
def encoded_stream(draw: st.DrawFn, entries: bytes, data: bytes, sizes: tuple[int, ...]) -> bytes:
    """`data` under a drawn filter chain, or (for a drawn size) padded by spaces to inflate that far."""
    inflated = draw(st.sampled_from(sizes))
    if inflated > len(data):
        payload = deflate_repeated(b" ", inflated, prefix=data + b"\n")
        if draw(st.booleans()):
            return stream(entries + b" /Filter [/FlateDecode /FlateDecode]", zlib.compress(payload))
        return stream(entries + b" /Filter /FlateDecode", payload)
    filter_entry, encode = ENCODERS[draw(st.sampled_from(FILTERS))]
    body = stream(entries + b" " + filter_entry, encode(data))
    if draw(st.integers(0, 9)) == 0:  # a /Length that lies
        body = body.replace(b"/Length ", b"/Length 1", 1)
    return body


@st.composite
def content(draw: st.DrawFn, forms: bool = True) -> bytes:
    """A content stream of drawn operators: text in /F1, rectangles, paths, /Im1 and (`forms`) /Fm1."""
    text = st.binary(min_size=1, max_size=24).map(lambda raw: raw.replace(b"(", b"").replace(b")", b""))
    operator = st.one_of(
        st.builds(
            lambda t, y: b"BT /F1 12 Tf 40 %d Td (%s) Tj ET" % (y, t.replace(b"\\", b"")),
            text,
            st.integers(0, 800),
        ),
        st.builds(lambda x, y: b"%d %d 50 20 re f" % (x, y), st.integers(-100, 700), st.integers(-100, 900)),
        st.just(b"0 0 m 600 800 l 300 0 l h S"),
        st.builds(
            lambda w, h: b"q %d 0 0 %d 20 20 cm /Im1 Do Q" % (w, h), st.integers(0, 600), st.integers(0, 800)
        ),
        st.just(b"/Fm1 Do" if forms else b"n"),
        st.sampled_from([b"q", b"Q", b"1 0 0 1 5 5 cm", b"0.5 g", b"ET", b"(unbalanced"]),
    )
    return b"\n".join(draw(st.lists(operator, min_size=1, max_size=12)))


class Objects:
    """Objects numbered from 1 in the order added; `streams` lists which are streams."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.streams: set[int] = set()

    def add(self, body: bytes, is_stream: bool = False) -> int:
        self.bodies.append(body)
        if is_stream:
            self.streams.add(len(self.bodies))
        return len(self.bodies)

    def set(self, number: int, body: bytes) -> None:
        self.bodies[number - 1] = body


@st.composite
def resources(draw: st.DrawFn, objects: Objects, sizes: tuple[int, ...], recursion: bool) -> bytes:
    """A font with a drawn ToUnicode map, an image of drawn geometry, and a form that may (with
    `recursion`) draw itself: twice is exponential up to PDFium's nesting limit, a time bomb."""
    mapping = {
        code: "".join(f"{unit:04X}" for unit in draw(st.lists(UNITS, min_size=1, max_size=2)))
        for code in draw(st.lists(st.integers(0x20, 0xFF), min_size=1, max_size=8, unique=True))
    }
    cmap = objects.add(draw(encoded_stream(b"", to_unicode_cmap(mapping), sizes)), True)
    font = objects.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>" % cmap)
    width, height = draw(st.sampled_from(SIDES)), draw(st.sampled_from(SIDES))
    space, components = draw(st.sampled_from(COLOUR_SPACES))
    depth = draw(st.sampled_from([1, 2, 4, 8, 16]))
    pixels = bytes(min(width * height * components * depth // 8 + 1, 4096))
    entries = b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent %d"
    image = objects.add(draw(encoded_stream(entries % (width, height, space, depth), pixels, sizes)), True)
    form = objects.add(b"")
    names = b"<< /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R /Fm1 %d 0 R >> >>" % (font, image, form)
    form_entries = b"/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources " + names
    objects.set(form, draw(encoded_stream(form_entries, draw(content(forms=recursion)), sizes)))
    objects.streams.add(form)
    return names


@st.composite
def page_tree(
    draw: st.DrawFn, objects: Objects, parent: int, names: bytes, depth: int, sizes: tuple[int, ...]
) -> int:
    """Kids of `parent`, pages or (below `depth`) more nodes; returns the pages they claim to hold."""
    kids, count = [], 0
    for _ in range(draw(st.integers(1, 3))):
        if depth > 0 and draw(st.booleans()):
            node = objects.add(b"")
            count += draw(page_tree(objects, node, names, depth - 1, sizes))
            kids.append(node)
            continue
        body = draw(content())
        stream_number = objects.add(draw(encoded_stream(b"", body, sizes)), True)
        box = draw(st.sampled_from([b"[0 0 612 792]", b"[0 0 300 200]", b"[0 0 0 0]", b"[0 0 14400 14400]"]))
        kids.append(
            objects.add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources %s /Contents %d 0 R >>"
                % (parent, box, names, stream_number)
            )
        )
        count += 1
    if draw(st.integers(0, 9)) == 0:
        kids.append(parent)  # a node listing itself
    if draw(st.integers(0, 9)) == 0:
        count = draw(st.sampled_from([0, 2**31, -1]))  # a /Count that lies
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    objects.set(parent, b"<< /Type /Pages /Kids [%s] /Count %d /Parent 2 0 R >>" % (refs, count))
    return count


@st.composite
def pdf_documents(draw: st.DrawFn, long_run: bool = False, recursion: bool = True) -> bytes:
    """A whole PDF: catalog (1), page-tree root (2), resources, pages; then one of three xref layouts.

    `long_run` adds streams inflating past the worker's memory cap; `recursion` self-drawing forms."""
    sizes = LONG_INFLATED if long_run else SHORT_INFLATED
    objects = Objects()
    objects.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.add(b"")
    names = draw(resources(objects, sizes, recursion))
    draw(page_tree(objects, 2, names, draw(st.integers(0, 3)), sizes))
    layout = draw(st.sampled_from(["table", "object_stream", "no_xref"]))
    if layout == "object_stream":
        packed = [number for number in range(2, len(objects.bodies) + 1) if number not in objects.streams]
        holder = objects.add(
            object_stream([(n, objects.bodies[n - 1]) for n in packed], draw(st.sampled_from(sizes)))
        )
        compressed = {number: (holder, index) for index, number in enumerate(packed)}
        return document_with_xref_stream(
            [b"" if n in compressed else body for n, body in enumerate(objects.bodies, 1)], compressed
        )
    data = document(objects.bodies)
    return data[: data.rindex(b"xref\n")] if layout == "no_xref" else data
