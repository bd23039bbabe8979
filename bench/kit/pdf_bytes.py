"""PDF files written byte by byte, and zlib streams that inflate to any size in milliseconds.

The hostile PDFs of `tests/hostile_pdfs.py` need structures no PDF library writes on purpose:
a stream whose inflated size lies about its `/Length`'s meaning, a page object hidden in an
object stream, a page tree that loops. So objects are written as the bytes they are, with a
correct cross-reference table (or xref stream) so PDFium reads them without repair.

A 2 GB payload is never built: a deflate stream of a periodic input reaches a steady state in
which each further megabyte of input compresses to the same bytes (after a sync flush), so the
stream is a head, one block repeated, and a tail; the Adler-32 checksum is combined arithmetically.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping, Sequence

GiB = 1 << 30
MiB = 1 << 20
CHUNK = MiB
"""Input compressed per step of the steady-state search: about 1 KB of output per step."""
_ADLER_BASE = 65521
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """Adler-32 of A+B from Adler-32 of A, of B and len(B) (zlib's adler32_combine)."""
    rem = second_length % _ADLER_BASE
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % _ADLER_BASE
    sum1 += (second & 0xFFFF) + _ADLER_BASE - 1
    sum2 += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + _ADLER_BASE - rem
    return (sum1 % _ADLER_BASE) | ((sum2 % _ADLER_BASE) << 16)


def _adler_repeated(chunk: bytes, times: int) -> int:
    """Adler-32 of `chunk * times` by doubling, without building it."""
    result, length = 1, 0
    power, power_length = zlib.adler32(chunk), len(chunk)
    while times:
        if times & 1:
            result = adler32_combine(result, power, power_length)
            length += power_length
        power = adler32_combine(power, power, power_length)
        power_length *= 2
        times >>= 1
    return result


def deflate_repeated(unit: bytes, total: int, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """A zlib stream inflating to `prefix + unit * n + suffix`, about `total` bytes long in all."""
    repeats = max(total - len(prefix) - len(suffix), 0) // len(unit)
    chunk = unit * max(1, CHUNK // len(unit))
    per_chunk = len(chunk) // len(unit)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)  # raw deflate: header and checksum are ours
    parts = [compressor.compress(prefix)]
    adler = zlib.adler32(prefix)
    previous = b""
    while repeats >= per_chunk:
        out = compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
        parts.append(out)
        adler = adler32_combine(adler, zlib.adler32(chunk), len(chunk))
        repeats -= per_chunk
        if out == previous:  # steady state: every further chunk compresses to the same bytes
            times = repeats // per_chunk
            parts.append(out * times)
            adler = adler32_combine(adler, _adler_repeated(chunk, times), len(chunk) * times)
            repeats -= times * per_chunk
        previous = out
    tail = unit * repeats + suffix
    parts.append(compressor.compress(tail) + compressor.flush())
    adler = adler32_combine(adler, zlib.adler32(tail), len(tail))
    return b"\x78\xda" + b"".join(parts) + struct.pack(">I", adler)


def stream(entries: bytes, payload: bytes) -> bytes:
    """A stream object's body: its dictionary (without << >>) gets the right /Length."""
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream"


def ref(number: int) -> bytes:
    return b"%d 0 R" % number


def document(objects: Sequence[bytes], root: int = 1, trailer: bytes = b"", header: bytes = HEADER) -> bytes:
    """A PDF whose object n is `objects[n - 1]`, with a classic xref table and trailer."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %s %s >>\n" % (len(objects) + 1, ref(root), trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def document_with_xref_stream(
    objects: Sequence[bytes], compressed: dict[int, tuple[int, int]], root: int = 1, padding: int = 0
) -> bytes:
    """A PDF 1.5 file with an xref stream; `compressed` maps object numbers that live inside an
    object stream to (that stream's object number, index in it). Those slots in `objects` are
    ignored (pass b""). `padding` zero bytes follow the xref rows once inflated."""
    out = bytearray(HEADER)
    rows: list[bytes] = [struct.pack(">BIH", 0, 0, 0xFFFF)]
    for number, body in enumerate(objects, start=1):
        if number in compressed:
            holder, index = compressed[number]
            rows.append(struct.pack(">BIH", 2, holder, index))
            continue
        rows.append(struct.pack(">BIH", 1, len(out), 0))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_number = len(objects) + 1
    rows.append(struct.pack(">BIH", 1, len(out), 0))
    entries = b"/Type /XRef /Size %d /W [1 4 2] /Root %s /Filter /FlateDecode" % (xref_number + 1, ref(root))
    xref_at = len(out)
    table = b"".join(rows)
    payload = deflate_repeated(b"\x00", len(table) + padding, prefix=table)
    out += b"%d 0 obj\n" % xref_number + stream(entries, payload) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def object_stream(bodies: Sequence[tuple[int, bytes]], padding: int = 0) -> bytes:
    """An /ObjStm holding `bodies` ((number, body) pairs), its data padded with `padding` spaces
    (inflated, never built: see `deflate_repeated`)."""
    offsets, data = [], bytearray()
    for number, body in bodies:
        offsets.append(b"%d %d" % (number, len(data)))
        data += body + b"\n"
    head = b" ".join(offsets) + b"\n"
    payload = deflate_repeated(b" ", len(head) + len(data) + padding, prefix=head + bytes(data))
    entries = b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(bodies), len(head))
    return stream(entries, payload)


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
    return stream(entries + b" " + b"/Filter /FlateDecode", deflate_repeated(unit, inflated, prefix, suffix))


def to_unicode_cmap(mapping: Mapping[int, str]) -> bytes:
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
