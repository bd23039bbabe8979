"""The end of a job: when every chunk is stored, exactly one worker merges them, once.

After storing its chunk, a worker lists the chunk records (S3 lists are strongly consistent). If
all are there, it takes the merge lock: a conditional create (`If-None-Match: *`) that S3 grants
to one writer only; the others get 412 and stop. The lock holds a lease, the end of its taker's
invocation: a worker that dies while merging (killed, timed out) cannot outlive it, so once it has
passed, the next delivery of any chunk of the job (SQS delivers the dead worker's message again)
takes the lock over, with `If-Match` on the lock it found, so again only one can. A merge that
ends marks the lock done, and no delivery after that merges again.

The merge reads the records in chunk order and combines their results into the same JSON as
`POST /ocr` for those pages; pages no retry could read are named: each gets a `page_failed`
warning and the job's `pages_failed`. A job where no page could be read ends as an error result
(the pages' own error when they all failed alike, else `job_failed`). Exports (text, Markdown,
JSON Lines, and the searchable PDF, joined from the chunks' PDFs one at a time by `pdf_concat`)
are written before the result, so a client that sees the result finds its exports. A job whose
upload was replaced by a newer version writes nothing: that version's own job or read answers
instead.
"""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from handler import storage
from handler.errors import INTERNAL_CODE, JobFailedError, error_body
from handler.jobs.combine import combine
from handler.jobs.keys import JobKeys, chunk_numbers
from handler.jobs.records import CHUNK_FAILED, ChunkRecord, Manifest, PageError, failed_pages
from ocr_core import OcrResult
from ocr_core.options import FORMATS, parse_upload_options
from ocr_core.output.exports import MEDIA_TYPES, export_file
from ocr_core.output.pdf_concat import concat_pdfs
from ocr_core.output.result import OcrWarning
from ocr_core.output.result_json import result_from_dict
from ocr_core.output.warnings import pages_capped

log = logging.getLogger("ocr.jobs")

FILE_EXPORTS = tuple(output for output in FORMATS if output not in ("json", "pdf"))
"""Exports written from the merged result (the searchable PDF is joined from the chunks' PDFs)."""
JOB_FAILED = JobFailedError.code
PRECONDITION_FAILED = "PreconditionFailed"
FETCH_THREADS = 8
"""Chunk records and PDFs fetched at once by the merge."""


def finish(s3: Any, keys: JobKeys, chunks: int, lease_until: float, request_id: str) -> str:
    """Merge the job if every chunk is stored and this worker gets the lock until `lease_until`
    (seconds since the epoch: when its invocation ends at the latest).

    Returns what happened: "waiting" (chunks missing), "merged_elsewhere", "superseded", "merged".
    """
    if len(chunk_numbers(storage.list_keys(s3, keys.bucket, keys.chunks))) < chunks:
        return "waiting"
    lock = take_lock(s3, keys, lease_until)
    if lock is None:
        return "merged_elsewhere"
    manifest = Manifest.from_dict(storage.read_json(s3, keys.bucket, keys.manifest, missing_ok=False))
    if storage.upload_etag(s3, keys.bucket, keys.upload_key) != keys.etag:
        log.info("job superseded by a newer upload; not merged", extra={"key": keys.upload_key})
        outcome = "superseded"
    elif storage.result_etag(s3, keys.bucket, keys.result) == keys.etag:
        outcome = "merged_before"  # by a worker that died before it could mark the lock done
    else:
        merge(s3, manifest, request_id)
        outcome = "merged"
    storage.put_json(s3, keys.bucket, keys.merge_lock, {"done": True}, IfMatch=lock)
    return outcome


def take_lock(s3: Any, keys: JobKeys, lease_until: float) -> str | None:
    """The merge lock for this worker until `lease_until` (its ETag), or None if another holds it or
    the merge is done."""
    claim = {"holder": str(uuid.uuid4()), "lease_until": lease_until}
    try:
        return _put_lock(s3, keys, claim, IfNoneMatch="*")
    except Exception as error:  # botocore's ClientError
        if storage.s3_error_code(error) != PRECONDITION_FAILED:
            raise
    found = s3.get_object(Bucket=keys.bucket, Key=keys.merge_lock)
    held = storage.parse_json(found["Body"])
    if not isinstance(held, dict) or held.get("done") or float(held.get("lease_until", 0)) > time.time():
        return None
    log.warning("the merge lock's holder died; taking the merge over", extra={"key": keys.upload_key})
    try:
        return _put_lock(s3, keys, claim, IfMatch=found["ETag"])
    except Exception as error:
        if storage.s3_error_code(error) != PRECONDITION_FAILED:
            raise
        return None  # another delivery took it over first


def _put_lock(s3: Any, keys: JobKeys, claim: dict[str, Any], **condition: str) -> str:
    body = storage.json_bytes(claim)
    return str(s3.put_object(Bucket=keys.bucket, Key=keys.merge_lock, Body=body, **condition)["ETag"])


def merge(s3: Any, manifest: Manifest, request_id: str) -> dict[str, Any]:
    """Write the exports and then the result of a job whose chunks are all stored; returns the result."""
    keys = manifest.keys
    with ThreadPoolExecutor(FETCH_THREADS) as pool:
        records = list(pool.map(lambda k: _record(s3, keys, k), range(len(manifest.chunks))))
    errors = [error for record in records for error in record.errors]
    results = [result_from_dict(record.result) for record in records if record.result is not None]
    source = {"bucket": keys.bucket, "key": keys.upload_key, "etag": keys.etag}
    if results:
        layout = parse_upload_options(manifest.options).ocr.layout
        result = _with_job_warnings(combine(results, layout), manifest, errors)
        exports = _write_exports(s3, keys, result, [r.chunk for r in records if r.result is not None])
        body = {**result.to_dict(), "request_id": request_id, "cached": False, "exports": exports}
    else:
        body = error_body(*_job_error(errors), request_id)
    body["source"] = source
    body["job"] = {
        "pages_total": manifest.pages_total,
        "chunks": len(manifest.chunks),
        "pages_failed": failed_pages(errors),
    }
    metadata = {storage.ETAG_METADATA: keys.etag}
    storage.put_json(s3, keys.bucket, keys.result, body, Metadata=metadata)
    log.info(
        "job merged",
        extra={"key": keys.upload_key, "pages": manifest.pages_total, "failed": len(failed_pages(errors))},
    )
    return body


def _with_job_warnings(result: OcrResult, manifest: Manifest, errors: Sequence[PageError]) -> OcrResult:
    """The document-level warnings first (as the engine puts them), then each page's, failed ones too."""
    notes: list[OcrWarning] = []
    if manifest.options.get("pages") in (None, ""):
        notes += pages_capped(manifest.document_pages, manifest.pages_total)
    failed = {
        error.page: OcrWarning(
            "page_failed", f"page {error.page} could not be read ({error.code}): {error.message}", error.page
        )
        for error in errors
    }
    by_page: dict[int | None, list[OcrWarning]] = {}
    for note in result.warnings:
        by_page.setdefault(note.page, []).append(note)
    notes += by_page.pop(None, [])
    for pages in manifest.chunks:
        for page in pages:
            notes += by_page.get(page, []) + ([failed[page]] if page in failed else [])
    return replace(result, warnings=tuple(notes))  # everything else as combined, tables too


def _job_error(errors: Sequence[PageError]) -> tuple[str, str]:
    pages = failed_pages(errors)
    codes = {error.code for error in errors}
    code = codes.pop() if len(codes) == 1 else JOB_FAILED
    if code in (INTERNAL_CODE, CHUNK_FAILED):
        code = JOB_FAILED
    first = errors[0].message if errors else ""
    return code, f"no page of the document could be read ({len(pages)} pages failed); first error: {first}"


def _write_exports(s3: Any, keys: JobKeys, result: OcrResult, pdf_chunks: Sequence[int]) -> dict[str, str]:
    """Every export of the result, written once; returns format -> key."""
    written = {}
    for output in FILE_EXPORTS:
        exported = export_file(result, [], output)
        key = keys.export(output, exported.extension)  # a CSV of several tables is a ZIP
        s3.put_object(Bucket=keys.bucket, Key=key, Body=exported.content, ContentType=exported.media_type)
        written[output] = key
    with tempfile.TemporaryDirectory(prefix="ocr-merge-") as folder:
        joined = Path(folder) / "document.pdf"
        concat_pdfs(_chunk_pdfs(s3, keys, pdf_chunks, Path(folder)), joined)
        s3.upload_file(
            str(joined), keys.bucket, keys.export("pdf"), ExtraArgs={"ContentType": MEDIA_TYPES["pdf"]}
        )
    written["pdf"] = keys.export("pdf")
    return written


def _record(s3: Any, keys: JobKeys, chunk: int) -> ChunkRecord:
    return ChunkRecord.from_dict(
        storage.read_json(s3, keys.bucket, keys.chunk_record(chunk), missing_ok=False)
    )


def _chunk_pdfs(s3: Any, keys: JobKeys, chunks: Sequence[int], folder: Path) -> Iterator[Path]:
    """Each chunk's searchable PDF on disk, in order, fetched a few ahead of the join (S3's latency,
    not its bandwidth, is what a long document's many parts cost), and deleted once joined."""
    paths = [folder / f"{chunk}.pdf" for chunk in chunks]
    with ThreadPoolExecutor(FETCH_THREADS) as pool:
        pending: deque[Future[int]] = deque()
        for index, path in enumerate(paths):
            while len(pending) < FETCH_THREADS and index + len(pending) < len(paths):
                ahead = index + len(pending)
                pending.append(
                    pool.submit(
                        storage.download, s3, keys.bucket, keys.chunk_pdf(chunks[ahead]), paths[ahead]
                    )
                )
            pending.popleft().result()
            yield path
            path.unlink()
