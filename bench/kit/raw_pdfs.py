"""PDFs written byte by byte: plain text, encrypted, long, blank, pageless, damaged, huge.

Each file says in code what makes it odd (an encryption dictionary, 500 page objects sharing
one stream, a page declared 200 x 200 inches), and stays a few KB.

The encrypted PDF is a real one: the standard security handler (revision 2, 40-bit RC4, as in
PDF 1.3) with the user password "secret"; pypdfium2 cannot write encryption and no PDF writer
is among our dependencies, so the few lines of key derivation and RC4 live here.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence

from bench.kit.pdf_bytes import document

PDF_PASSWORD = "secret"
PDF_PAGE_COUNT = 500

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
    """A PDF 1.4 file from object bodies (object n is objects[n-1]); object 1 must be the catalog."""
    return document(objects, trailer=trailer_extra, header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")


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
