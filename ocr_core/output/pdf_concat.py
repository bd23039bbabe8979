"""One searchable PDF from several: a job's chunks each write theirs, the merge joins them in order.

The parts are PDFs this service wrote (`pdf_writer`, or this module): numbered objects, a plain
cross-reference table, one page tree. Joining streams them: each part is read alone, its
objects are renumbered and appended to the output file, and only the new page tree, catalogue
and cross-reference table are written at the end. Memory holds one part at a time, whatever the
length of the document. (PDFium's page import was measured first: it keeps every imported object
in memory until the output is saved, 280 MB more for 400 scanned pages, so a 1,000-page job
would not fit a worker's memory.)

Each part keeps its own glyph-less font and ToUnicode map; its pages point at them, so every
page's invisible text extracts as it did in its part. Anything that is not a PDF of that shape
is refused (InvalidImageError): this joins our own output, it is not a general PDF merger.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ocr_core.errors import InvalidImageError

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PAGES_ID, CATALOG_ID = 1, 2
"""The output's page tree and catalogue, written last but numbered first."""
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF = re.compile(rb"xref\s+0\s+(\d+)\s+")
_ROOT = re.compile(rb"/Root\s+(\d+)\s+0\s+R")
_PAGES = re.compile(rb"/Pages\s+(\d+)\s+0\s+R")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_REFERENCE = re.compile(rb"(?<![\d.])(\d+)\s+0\s+R")
_OBJECT = re.compile(rb"(\d+)\s+0\s+obj\s")


@dataclass(frozen=True)
class _Part:
    objects: dict[int, bytes]
    """Object number -> its body (between `N 0 obj` and `endobj`), in the part's numbering."""
    pages_id: int
    kids: list[int]
    skipped: frozenset[int]
    """The part's catalogue and page tree: replaced by the output's own."""


def concat_pdfs(parts: Iterable[Path], output: Path) -> int:
    """Write the pages of `parts`, in order, to `output`; returns the page count.

    `parts` may be a generator that fetches each part just before it is needed (e.g. from S3),
    so only one part is on disk and in memory at a time."""
    offsets: dict[int, int] = {}
    kids: list[int] = []
    with output.open("wb") as out:
        out.write(HEADER)
        next_id = CATALOG_ID + 1
        for path in parts:
            part = _parse(path.read_bytes(), path.name)
            numbers = {
                old: next_id + i for i, old in enumerate(n for n in part.objects if n not in part.skipped)
            }
            numbers[part.pages_id] = PAGES_ID
            for old, new in numbers.items():
                if old not in part.skipped:
                    offsets[new] = _write(out, new, _renumber(part.objects[old], numbers))
            kids += [numbers[kid] for kid in part.kids]
            next_id += len(numbers) - 1
        refs = " ".join(f"{kid} 0 R" for kid in kids)
        offsets[PAGES_ID] = _write(
            out, PAGES_ID, f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode()
        )
        offsets[CATALOG_ID] = _write(out, CATALOG_ID, f"<< /Type /Catalog /Pages {PAGES_ID} 0 R >>".encode())
        _finish(out, offsets)
    return len(kids)


def _parse(data: bytes, name: str) -> _Part:
    try:
        xref = int(_match(_STARTXREF, data[-64:]).group(1))
        table = _match(_XREF, data, xref)
        count = int(table.group(1))
        rows = [data[table.end() + 20 * i : table.end() + 20 * i + 20] for i in range(count)]
        starts = {i: int(row[:10]) for i, row in enumerate(rows) if row[17:18] == b"n"}
        ends = sorted([*starts.values(), xref])
        objects = {
            number: _body(data, start, ends[ends.index(start) + 1]) for number, start in starts.items()
        }
        root = int(_match(_ROOT, data, xref).group(1))
        pages_id = int(_match(_PAGES, _dictionary(objects[root])).group(1))
        kids = [
            int(kid) for kid in _REFERENCE.findall(_match(_KIDS, _dictionary(objects[pages_id])).group(1))
        ]
    except (ValueError, KeyError, IndexError) as error:
        raise InvalidImageError(f"the PDF part {name} is not a searchable PDF this service wrote") from error
    return _Part(objects, pages_id, kids, frozenset({root, pages_id}))


def _match(pattern: re.Pattern[bytes], data: bytes, start: int = 0) -> re.Match[bytes]:
    found = pattern.search(data, start)
    if found is None:
        raise ValueError(f"no {pattern.pattern!r}")
    return found


def _body(data: bytes, start: int, end: int) -> bytes:
    """The object at `start`, up to where the next one (or the xref table) begins, without its frame."""
    header = _OBJECT.match(data, start)
    if header is None:
        raise ValueError(f"no object at {start}")
    body = data[header.end() : end].rstrip()
    if not body.endswith(b"endobj"):
        raise ValueError(f"object at {start} has no endobj")
    return body[: -len(b"endobj")].rstrip(b"\r\n")


def _dictionary(body: bytes) -> bytes:
    """The object's dictionary: everything before its stream data, if it has any."""
    stream = body.find(b">>\nstream\n")
    return body if stream < 0 else body[: stream + 2]


def _renumber(body: bytes, numbers: dict[int, int]) -> bytes:
    """References in the dictionary renumbered; stream data (JPEG, content) left byte for byte."""
    head = _dictionary(body)
    renumbered = _REFERENCE.sub(lambda ref: b"%d 0 R" % numbers[int(ref.group(1))], head)
    return renumbered + body[len(head) :]


def _write(out: BinaryIO, number: int, body: bytes) -> int:
    offset = out.tell()
    out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    return offset


def _finish(out: BinaryIO, offsets: dict[int, int]) -> None:
    size = max(offsets) + 1
    xref = out.tell()
    out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    for number in range(1, size):
        out.write(f"{offsets[number]:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {size} /Root {CATALOG_ID} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
