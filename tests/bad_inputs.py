"""Hostile and odd input files, built in memory, with the answer the service owes each one.

Generated, not checked in: each file says in code what makes it hostile (a header declaring
50000x50000 pixels, a flipped CRC byte, an encryption dictionary), files stay small, and the
matrix in tests/test_bad_inputs.py feeds the same cases to the HTTP API and the S3 trigger.

The encrypted PDF is a real one: the standard security handler (revision 2, 40-bit RC4, as in
PDF 1.3) with the user password "secret"; pypdfium2 cannot write encryption and no PDF writer
is among our dependencies, so the few lines of key derivation and RC4 live here.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from PIL import Image

from tests.render import encode, render_line, render_page

PDF_PASSWORD = "secret"
BOMB_SIDE = 50_000
PDF_PAGE_COUNT = 500
LONG_NAME_CHARS = 300


@dataclass(frozen=True)
class BadInput:
    """One hostile input and what the service must answer for it.

    `pages` is the page count a 200 must report; `words` are words its text must contain
    (loose on purpose: the matrix is about robustness, recognition quality is tested elsewhere).
    """

    name: str
    build: Callable[[], bytes]
    status: int
    code: str | None = None
    filename: str = "upload.png"
    content_type: str = "image/png"
    pages: int | None = None
    words: tuple[str, ...] = ()
    empty: bool = False
    query: dict[str, str] = field(default_factory=dict)

    def data(self) -> bytes:
        return _built(self.build)


@cache
def _built(build: Callable[[], bytes]) -> bytes:
    return build()


# ---- images --------------------------------------------------------------------------------------


def line_png() -> bytes:
    return encode(render_line("Hello 2024 你好"))


def truncated_jpeg() -> bytes:
    data = encode(render_page(["Truncated JPEG 截断"], width=600), "JPEG", quality=90)
    return data[: len(data) // 2]


def truncated_png() -> bytes:
    data = line_png()
    return data[: len(data) // 2]


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of each chunk after the signature."""
    chunks, offset = [], 8
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        chunks.append((kind, data[offset + 8 : offset + 8 + length]))
        offset += 12 + length
    return chunks


def png_from_chunks(chunks: Sequence[tuple[bytes, bytes]], bad_crc: bytes = b"") -> bytes:
    """Reassemble chunks; the chunk type named by `bad_crc` gets a wrong checksum."""
    out = [b"\x89PNG\r\n\x1a\n"]
    for kind, payload in chunks:
        crc = zlib.crc32(kind + payload) ^ (0xFFFFFFFF if kind == bad_crc else 0)
        out.append(struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc))
    return b"".join(out)


def png_bad_header_crc() -> bytes:
    return png_from_chunks(png_chunks(line_png()), bad_crc=b"IHDR")


def png_bad_data_crc() -> bytes:
    """IDAT bytes damaged in the middle and its CRC left stale: what a bad download looks like."""
    chunks = png_chunks(line_png())
    damaged = []
    for kind, payload in chunks:
        if kind == b"IDAT":
            middle = len(payload) // 2
            payload = (
                payload[:middle]
                + bytes(b ^ 0xFF for b in payload[middle : middle + 16])
                + payload[middle + 16 :]
            )
        damaged.append((kind, payload))
    out = [b"\x89PNG\r\n\x1a\n"]
    for (kind, payload), (_, original) in zip(damaged, chunks, strict=True):
        crc = zlib.crc32(kind + original)  # the checksum of the undamaged bytes
        out.append(struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc))
    return b"".join(out)


def png_bomb(side: int = BOMB_SIDE) -> bytes:
    """A valid PNG start declaring side x side RGB pixels (7.5 GB decoded), a few KB on disk."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    row = b"\0" + b"\0" * (3 * side)
    compressor = zlib.compressobj(9)
    idat = compressor.compress(row * 40) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return png_from_chunks([(b"IHDR", header), (b"IDAT", idat)])


def tiff_frames_bomb(frames: int = 20, side: int = 6000) -> bytes:
    """Frames each within the per-image limit that together decode to 2 GB: a few KB as CCITT G4."""
    blank = Image.new("1", (side, side), 1)
    buffer = io.BytesIO()
    blank.save(
        buffer, format="TIFF", save_all=True, append_images=[blank] * (frames - 1), compression="group4"
    )
    return buffer.getvalue()


def one_pixel() -> bytes:
    return encode(Image.new("RGB", (1, 1), "white"))


def solid(color: str, size: tuple[int, int] = (640, 480)) -> Callable[[], bytes]:
    def build() -> bytes:
        return encode(Image.new("RGB", size, color))

    build.__name__ = f"solid_{color}"
    return build


def thin(width: int, height: int) -> Callable[[], bytes]:
    def build() -> bytes:
        return encode(Image.new("L", (width, height), 0))

    build.__name__ = f"thin_{width}x{height}"
    return build


def animated_gif() -> bytes:
    frames = [render_line(text).convert("P") for text in ("frame one", "frame two")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def cmyk_jpeg() -> bytes:
    return encode(render_line("CMYK print 2024", size=40).convert("CMYK"), "JPEG", quality=95)


def sixteen_bit_tiff() -> bytes:
    gray = np.asarray(render_line("Sixteen bit 16", size=40).convert("L"), dtype=np.uint16) * 257
    return encode(Image.fromarray(gray), "TIFF")


def multipage_tiff() -> bytes:
    frames = [render_line(text, size=36) for text in ("Page one", "Page two", "Page three")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def gray_alpha_webp() -> bytes:
    rgba = render_line("Alpha WebP", size=36).convert("RGBA")
    return encode(rgba, "WEBP", lossless=True)


# ---- not images ----------------------------------------------------------------------------------


def text_file() -> bytes:
    return b"This is a plain text file, renamed to .png by someone.\n"


def html_page() -> bytes:
    return b"<!doctype html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"


def svg_image() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>hi</text></svg>'


def zip_archive() -> bytes:
    return b"PK\x03\x04" + b"\0" * 60


# ---- PDFs ----------------------------------------------------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_PDF_ID = bytes(range(16))
_PERMISSIONS = -44  # print and copy allowed: (0xFFFFFFD4 as a signed 32-bit int)


def rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


def _standard_security(user: str, owner: str) -> tuple[bytes, bytes, bytes]:
    """(file key, /O, /U) of the standard security handler, revision 2 (PDF 1.7, 7.6.3.3-7.6.3.4)."""
    owner_key = hashlib.md5(_padded(owner), usedforsecurity=False).digest()[:5]
    o_value = rc4(owner_key, _padded(user))
    seed = _padded(user) + o_value + struct.pack("<i", _PERMISSIONS) + _PDF_ID
    key = hashlib.md5(seed, usedforsecurity=False).digest()[:5]
    return key, o_value, rc4(key, _PAD)


def _object_key(key: bytes, number: int) -> bytes:
    salt = key + struct.pack("<I", number)[:3] + b"\0\0"
    return hashlib.md5(salt, usedforsecurity=False).digest()[: len(key) + 5]


def pdf_document(objects: Sequence[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF from object bodies (object n is objects[n-1]); object 1 must be the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer_extra + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _text_content(text: str) -> bytes:
    return b"BT /F1 36 Tf 72 700 Td (" + text.encode("latin-1") + b") Tj ET"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_pdf(text: str = "Plain PDF text") -> bytes:
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(_text_content(text)),
            _FONT,
        ]
    )


def encrypted_pdf(text: str = "Top secret", password: str = PDF_PASSWORD) -> bytes:
    """A one-page PDF whose content stream is RC4-encrypted; opening it needs `password`."""
    key, o_value, u_value = _standard_security(password, owner="owner-" + password)
    content = rc4(_object_key(key, 4), _text_content(text))
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + o_value.hex().encode()
        + b"> /U <"
        + u_value.hex().encode()
        + b"> /P %d >>" % _PERMISSIONS
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        _FONT,
        encrypt,
    ]
    file_id = _PDF_ID.hex().encode()
    return pdf_document(objects, b"/Encrypt 6 0 R /ID [<" + file_id + b"> <" + file_id + b">] ")


def many_pages_pdf(count: int = PDF_PAGE_COUNT) -> bytes:
    """`count` blank pages sharing one empty content stream: a small file, a long document."""
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        _stream(b""),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 200] /Contents 3 0 R >>"  # not line-shaped
    return pdf_document(objects + [page] * count)


def blank_pdf() -> bytes:
    return many_pages_pdf(1)


def pageless_pdf() -> bytes:
    return pdf_document([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def corrupt_pdf() -> bytes:
    """A PDF header followed by damaged bytes: no object, no xref, nothing a repair can save."""
    return b"%PDF-1.7\n" + bytes((i * 37) % 251 for i in range(2000))


def huge_page_pdf() -> bytes:
    """One page declared 200 x 200 inches (the PDF maximum): rendering must stay within the pixel cap."""
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R >>",
            _stream(b""),
        ]
    )


def huge_pages_pdf(count: int = 20) -> bytes:
    """`count` pages at the pixel cap each: within the page cap, gigabytes if all were rendered."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        _stream(b""),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 3 0 R >>"
    return pdf_document(objects + [page] * count)


# ---- the matrix ----------------------------------------------------------------------------------

UNICODE_NAME = "发票 扫描件 ünïcødé 📄.png"
LONG_NAME = "长" * (LONG_NAME_CHARS - 4) + ".png"

CASES: tuple[BadInput, ...] = (
    BadInput("zero_bytes", lambda: b"", 400, "empty_input"),
    BadInput("text_named_png", text_file, 415, "unsupported_media_type", "notes.png"),
    BadInput("html", html_page, 415, "unsupported_media_type", "page.html", "text/html"),
    BadInput("svg", svg_image, 415, "unsupported_media_type", "logo.svg", "image/svg+xml"),
    BadInput("zip", zip_archive, 415, "unsupported_media_type", "a.zip", "application/zip"),
    BadInput("animated_gif", animated_gif, 415, "unsupported_media_type", "anim.gif", "image/gif"),
    BadInput("truncated_jpeg", truncated_jpeg, 422, "invalid_image", "cut.jpg", "image/jpeg"),
    BadInput("truncated_png", truncated_png, 422, "invalid_image"),
    BadInput("png_bad_header_crc", png_bad_header_crc, 422, "invalid_image"),
    BadInput("png_bad_data_crc", png_bad_data_crc, 422, "invalid_image"),
    BadInput("png_bomb_50000x50000", png_bomb, 413, "input_too_large"),
    BadInput("tiff_frames_bomb", tiff_frames_bomb, 413, "input_too_large", "bomb.tif", "image/tiff"),
    BadInput("one_pixel", one_pixel, 200, empty=True, pages=1),
    BadInput("one_by_4000", thin(4000, 1), 200, empty=True, pages=1),
    BadInput("4000_by_one", thin(1, 4000), 200, empty=True, pages=1),
    BadInput("all_white", solid("white"), 200, empty=True, pages=1),
    BadInput("all_black", solid("black"), 200, empty=True, pages=1),
    BadInput("cmyk_jpeg", cmyk_jpeg, 200, None, "cmyk.jpg", "image/jpeg", pages=1, words=("CMYK",)),
    BadInput(
        "tiff_16bit", sixteen_bit_tiff, 200, None, "deep.tif", "image/tiff", pages=1, words=("Sixteen",)
    ),
    BadInput(
        "tiff_multipage", multipage_tiff, 200, None, "scan.tif", "image/tiff", pages=3, words=("one", "three")
    ),
    BadInput("webp_alpha", gray_alpha_webp, 200, None, "a.webp", "image/webp", pages=1, words=("WebP",)),
    BadInput("pdf_encrypted", encrypted_pdf, 422, "invalid_image", "locked.pdf", "application/pdf"),
    # Issue 8: a document over the page cap is read up to the cap, with a warning (not refused).
    BadInput("pdf_500_pages", many_pages_pdf, 200, None, "long.pdf", "application/pdf", pages=20, empty=True),
    BadInput(
        "pdf_500_pages_selected",
        many_pages_pdf,
        200,
        None,
        "long.pdf",
        "application/pdf",
        pages=2,
        empty=True,
        query={"pages": "1,-1"},
    ),
    BadInput("pdf_corrupt", corrupt_pdf, 422, "invalid_image", "broken.pdf", "application/pdf"),
    BadInput("pdf_no_pages", pageless_pdf, 422, "invalid_image", "empty.pdf", "application/pdf"),
    BadInput("pdf_no_text", blank_pdf, 200, None, "blank.pdf", "application/pdf", pages=1, empty=True),
    BadInput("pdf_huge_page", huge_page_pdf, 200, None, "poster.pdf", "application/pdf", pages=1, empty=True),
    BadInput("pdf_huge_pages", huge_pages_pdf, 413, "input_too_large", "posters.pdf", "application/pdf"),
    BadInput("pdf_text", text_pdf, 200, None, "doc.pdf", "application/pdf", pages=1, words=("PDF",)),
    BadInput("unicode_filename", line_png, 200, None, UNICODE_NAME, pages=1, words=("Hello",)),
    BadInput("long_filename", line_png, 200, None, LONG_NAME, pages=1, words=("Hello",)),
    BadInput(
        "jpeg_named_png", lambda: encode(render_line("Hello 2024"), "JPEG"), 200, None, "x.png", pages=1
    ),
)
"""Every case: fed as a file to POST /ocr and as an upload to the S3 trigger."""

CASES_BY_NAME = {case.name: case for case in CASES}
