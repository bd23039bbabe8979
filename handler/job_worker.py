"""The job worker: Lambda's SQS event source hands it chunk messages; it reads, stores and merges.

One message is one chunk of one job (`handler.jobs`). For each, in order:
- a chunk already stored (a duplicate delivery, or a retry after a crash past the store) is not
  read again: only the job's end is checked;
- a chunk of a replaced upload (the key holds a newer version) is dropped: that version has its job;
- the delivery that reaches the queue's maxReceiveCount (`OCR_JOB_MAX_RECEIVES`) does not try
  again: it records the chunk's pages as failed and reports the message failed, so SQS moves it to
  the dead-letter queue while the job still ends, with those pages named;
- otherwise the chunk is read (`jobs.chunk`), its PDF and then its record stored (the record is
  what says "done"), and the job's end checked (`jobs.merge.finish`).
A message that fails is reported in `batchItemFailures` (partial batch responses), so only it
comes back, after `OCR_JOB_RETRY_DELAY_S`; a worker killed mid-chunk reports nothing, and SQS
delivers the message again when its visibility timeout ends. A malformed message is logged and
dropped: no retry can mend it; so is one for a bucket other than `OCR_UPLOAD_BUCKET`.

No web framework is imported: a worker's cold start pays only for the engine and boto3.
"""

from __future__ import annotations

# First, before the imports below: the models load on the second vCPU while boto3 imports.
from handler import preload  # isort: skip

preload.start()

# isort: split
import json
import logging
import time
from dataclasses import replace
from typing import Any

from handler import logs, storage
from handler.deadline import LAMBDA_MARGIN_S, Deadline
from handler.jobs import chunk, merge, queue
from handler.jobs.records import CHUNK_FAILED, ChunkMessage, ChunkRecord, PageError
from handler.settings import Settings, get_settings

log = logging.getLogger("ocr.job_worker")

MERGE_RESERVE_S = 15.0
"""Invocation time kept back from reading for storing the chunk and, for the last one, the merge."""
GAVE_UP = "gave_up"
MAX_INVOCATION_S = 900.0
"""Lambda's longest timeout: the merge lease of a worker that does not know its own."""


def handler(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    """Lambda entry point (SQS event source with ReportBatchItemFailures)."""
    settings = get_settings()
    logs.configure(settings.log_level)
    s3, sqs = storage.default_s3_client(), queue.default_sqs_client()
    request_id = getattr(context, "aws_request_id", "")
    return process_batch(event, s3, sqs, settings, request_id, Deadline.for_invocation(context))


def process_batch(
    event: Any, s3: Any, sqs: Any, settings: Settings, request_id: str = "", deadline: Deadline | None = None
) -> dict[str, list[dict[str, str]]]:
    """Every message of the batch; the ones to deliver again are returned as `batchItemFailures`."""
    failures: list[dict[str, str]] = []
    records = event.get("Records") if isinstance(event, dict) else None
    for record in records if isinstance(records, list) else []:
        message_id = record.get("messageId") if isinstance(record, dict) else None
        if not isinstance(message_id, str) or not message_id:
            log.warning("record without a messageId; skipped", extra={"request_id": request_id})
            continue
        receipt = str(record.get("receiptHandle", ""))
        try:
            outcome = process_message(record, s3, settings, request_id, deadline)
        except Exception:
            log.exception("chunk failed; SQS delivers it again", extra={"request_id": request_id})
            failures.append({"itemIdentifier": message_id})
            queue.retry_in(sqs, settings.job_queue_url, receipt, settings.job_retry_delay_s)
            continue
        if outcome == GAVE_UP:  # on to the dead-letter queue at its next receive, now
            failures.append({"itemIdentifier": message_id})
            queue.retry_in(sqs, settings.job_queue_url, receipt, 0)
    return {"batchItemFailures": failures}


def process_message(
    record: dict[str, Any],
    s3: Any,
    settings: Settings,
    request_id: str = "",
    deadline: Deadline | None = None,
) -> str:
    """One chunk message; returns what happened (see the module docstring), raises to retry."""
    try:
        message = ChunkMessage.from_dict(json.loads(record.get("body") or ""))
    except (ValueError, KeyError, TypeError) as error:
        log.warning(
            "malformed chunk message; dropped", extra={"request_id": request_id, "reason": str(error)}
        )
        return "malformed"
    if settings.upload_bucket and message.bucket != settings.upload_bucket:
        log.warning("chunk message for another bucket; dropped", extra={"request_id": request_id})
        return "other_bucket"
    keys = message.keys
    lease_until = time.time() + (deadline.remaining() + LAMBDA_MARGIN_S if deadline else MAX_INVOCATION_S)
    fields = {"request_id": request_id, "key": message.key, "chunk": message.chunk}
    if storage.exists(s3, message.bucket, keys.chunk_record(message.chunk)):
        outcome = merge.finish(s3, keys, message.chunks, lease_until, request_id)
        log.info("chunk already stored", extra={**fields, "job": outcome})
        return "duplicate"
    if storage.upload_etag(s3, message.bucket, message.key) != message.etag:
        log.info("chunk of a replaced upload; dropped", extra=fields)
        return "superseded"
    receives = _receive_count(record)
    if receives >= settings.job_max_receives:
        _store(s3, message, _gave_up(message, receives), None)
        outcome = merge.finish(s3, keys, message.chunks, lease_until, request_id)
        log.error(
            "chunk failed on every delivery; its pages are recorded as failed",
            extra={**fields, "job": outcome},
        )
        return GAVE_UP
    if not storage.exists(s3, message.bucket, keys.started):  # a HEAD costs a twelfth of a PUT
        s3.put_object(Bucket=message.bucket, Key=keys.started, Body=b"")
    started = time.perf_counter()
    data = s3.get_object(Bucket=message.bucket, Key=message.part)["Body"].read()
    fetched = time.perf_counter()
    reading_deadline = deadline.at - MERGE_RESERVE_S if deadline else None
    output = chunk.read_chunk(data, message, settings, request_id, reading_deadline)
    result = replace(
        output.record, receives=receives, seconds={"fetch": fetched - started, **output.record.seconds}
    )
    _store(s3, message, result, output.pdf)
    outcome = merge.finish(s3, keys, message.chunks, lease_until, request_id)
    log.info("chunk stored", extra={**fields, "job": outcome, "seconds": result.seconds})
    return "stored"


def _store(s3: Any, message: ChunkMessage, record: ChunkRecord, pdf: bytes | None) -> None:
    """The PDF first, then the record: a record means its chunk is complete."""
    keys = message.keys
    if pdf is not None:
        s3.put_object(Bucket=message.bucket, Key=keys.chunk_pdf(message.chunk), Body=pdf)
    storage.put_json(s3, message.bucket, keys.chunk_record(message.chunk), record.to_dict())


def _gave_up(message: ChunkMessage, receives: int) -> ChunkRecord:
    text = (
        f"the chunk of pages {message.pages[0]}-{message.pages[-1]} failed on each of its "
        f"{receives - 1} attempts (the worker's log has why; the message is in the dead-letter queue)"
    )
    errors = tuple(PageError(page, CHUNK_FAILED, text) for page in message.pages)
    return ChunkRecord(message.chunk, message.pages, None, errors, receives=receives)


def _receive_count(record: dict[str, Any]) -> int:
    attributes = record.get("attributes") if isinstance(record.get("attributes"), dict) else {}
    try:
        return int((attributes or {}).get("ApproximateReceiveCount", 1))
    except (TypeError, ValueError):
        return 1
