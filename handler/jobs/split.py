"""The trigger's half of a job: count the pages, cut them into chunks, store the parts, queue them.

The upload is already on local disk (streamed there by the trigger), and PDFium or Pillow reads
it from there page by page, so the trigger's memory holds one part at a time whatever the size of
the document. Each chunk is queued as soon as its part is stored, so workers start reading the
first pages while the trigger is still cutting the last ones.

Order matters for retries: the manifest, then each part followed by its message, then the
`queued` marker. The trigger skips a version whose marker exists; any earlier crash leaves no
marker, so the retried event redoes every step (same keys, same bytes) and a message sent twice
is a duplicate the workers ignore.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from handler import storage
from handler.jobs.keys import JobKeys
from handler.jobs.queue import send_chunks
from handler.jobs.records import Manifest
from handler.settings import Settings
from ocr_core import OcrError
from ocr_core.input.formats import sniff_kind
from ocr_core.input.page_selection import select_pages
from ocr_core.input.pdf_split import PdfSource
from ocr_core.input.tiff_split import TiffSource
from ocr_core.options import RequestOptions

log = logging.getLogger("ocr.jobs")

PART_TARGET_BYTES = storage.WHOLE_READ_MAX_BYTES
"""Largest average part: heavy pages make smaller chunks, so no read holds more than about this much
of the file (or one page), however large the upload (up to OCR_PRESIGN_MAX_BYTES)."""
SPLITTABLE = {"pdf": "pdf", "tiff": "tiff"}
"""Kinds of document a job can cut, and the extension of their parts."""
SNIFF_BYTES = 2048


def chunk_pages(numbers: Sequence[int], size: int) -> list[tuple[int, ...]]:
    """`numbers` in consecutive chunks of at most `size`, as even as possible (17 by 8: 6, 6, 5),
    so no chunk is left to finish alone after the others."""
    count = math.ceil(len(numbers) / size)
    chunks, start = [], 0
    for index in range(count):
        length = len(numbers) // count + (1 if index < len(numbers) % count else 0)
        chunks.append(tuple(numbers[start : start + length]))
        start += length
    return chunks


def part_pages(chunk: int, file_bytes: int, page_count: int) -> int:
    """Pages per part: the chunk size, fewer when the document's pages average so many bytes that
    a chunk of them would exceed PART_TARGET_BYTES (a short document of huge scans becomes a job
    too, one page per part at the least)."""
    average = file_bytes / max(page_count, 1)
    return max(1, min(chunk, int(PART_TARGET_BYTES // max(average, 1.0))))


def queue_if_long(
    s3: Any,
    sqs: Any,
    path: Path,
    source: JobKeys,
    options: RequestOptions,
    raw_options: dict[str, Any],
    settings: Settings,
) -> Manifest | None:
    """Queue the upload at `path` as a job if it has more pages than one part; None: read it inline.

    Raises the engine's errors for a file it cannot open (corrupt, wrong password, a selection
    outside the document), which the trigger writes as the upload's error result."""
    if not settings.job_queue_url:
        return None
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    try:
        kind = SPLITTABLE.get(sniff_kind(head))
    except OcrError:  # not a document at all: the inline read reports it as for any upload
        return None
    if kind is None:
        return None
    with _open(path, kind, options, settings) as document:
        numbers = select_pages(options.ocr.pages, document.page_count, settings.job_max_pages)
        size = part_pages(settings.chunk_pages, path.stat().st_size, document.page_count)
        if len(numbers) <= size:
            return None
        manifest = Manifest(
            bucket=source.bucket,
            key=source.upload_key,
            etag=source.etag,
            document_pages=document.page_count,
            chunks=tuple(chunk_pages(numbers, size)),
            options={name: value for name, value in raw_options.items() if name != "password"},
            part_extension=kind,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        storage.put_json(s3, source.bucket, source.manifest, manifest.to_dict())
        for index, pages in enumerate(manifest.chunks):
            s3.put_object(Bucket=source.bucket, Key=source.part(index, kind), Body=document.part(pages))
            send_chunks(sqs, settings.job_queue_url, [manifest.message(index)])
    s3.put_object(Bucket=source.bucket, Key=source.queued, Body=b"")
    log.info(
        "job queued",
        extra={"key": source.upload_key, "pages": manifest.pages_total, "chunks": len(manifest.chunks)},
    )
    return manifest


def _open(path: Path, kind: str, options: RequestOptions, settings: Settings) -> PdfSource | TiffSource:
    if kind == "pdf":
        return PdfSource(path, options.ocr.password, settings.upload_limits())
    return TiffSource(path, settings.upload_limits())
