"""The S3 upload trigger: `uploads/<key>` in, `results/<key>.json` out, directly or through a job.

Rules, and why:
- It writes only under `results/` and `jobs/`, never under `uploads/`, so it cannot trigger itself.
- A PDF or multi-page TIFF with more pages than one chunk (`OCR_JOB_CHUNK_PAGES`) becomes a job
  (`handler.jobs`): the trigger cuts it into chunks and queues them, and the workers write the
  result. Anything shorter is read here, as before.
- It is idempotent: S3 may deliver an event more than once, so a result already written for the
  same ETag (kept as the result's `source-etag` metadata), or a job fully queued for it, means
  there is nothing to do.
- A file the service rejects (corrupt, unsupported, too large, a bad option) gets an error JSON
  result, because retrying cannot fix the input. So does a file that needs more time than the
  invocation has (`time_budget_exceeded`, checked between stages before Lambda's timeout).
  Anything else (S3 down, access denied, models missing) is logged and raised, so Lambda retries
  the event and then sends it to the dead-letter queue.
- Every record of an event is attempted before the first real failure is re-raised; a malformed
  record, or one for another bucket, is logged and counted, never retried (a retry cannot mend it).
- No web framework is imported: a trigger's cold start pays only for what it uses.
"""

from __future__ import annotations

# First, before the imports below: the models load on the second vCPU while boto3 imports.
from handler import preload  # isort: skip

preload.start()

# isort: split
import logging
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handler import logs, service, storage
from handler.deadline import Deadline
from handler.errors import error_body, is_client_error
from handler.jobs import split
from handler.jobs.keys import JobKeys
from handler.jobs.queue import default_sqs_client
from handler.s3_events import S3Event, S3EventRecord
from handler.settings import Settings, get_settings
from ocr_core import OcrError
from ocr_core.errors import InputTooLargeError, TimeBudgetExceededError
from ocr_core.options import parse_upload_options

log = logging.getLogger("ocr.s3_trigger")

ETAG_METADATA = storage.ETAG_METADATA


def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    """Lambda entry point."""
    settings = get_settings()
    logs.configure(settings.log_level)
    request_id = getattr(context, "aws_request_id", "")
    s3 = storage.default_s3_client()
    return process_event(event, s3, settings, request_id, Deadline.for_invocation(context))


def process_event(
    event: Any,
    s3: Any,
    settings: Settings | None = None,
    request_id: str = "",
    deadline: Deadline | None = None,
    sqs: Any = None,
) -> dict[str, int]:
    """Handle every record; returns how many ended each way, raises the first real failure.

    `sqs` sends a job's chunks (default: boto3's client, built only when a job needs it)."""
    settings = settings or get_settings()
    outcomes: Counter[str] = Counter()
    failures: list[Exception] = []
    for record in S3Event(event).records:
        if isinstance(record, str):
            log.warning("malformed record; skipped", extra={"request_id": request_id, "reason": record})
            outcomes["malformed"] += 1
            continue
        try:
            outcomes[process_record(record, s3, settings, request_id, deadline, sqs)] += 1
        except Exception as error:
            log.exception("record failed", extra=_fields(record, request_id))
            failures.append(error)
            outcomes["failed"] += 1
    log.info("event done", extra={"request_id": request_id, "outcomes": dict(outcomes)})
    if failures:
        raise failures[0]
    return dict(outcomes)


def process_record(
    record: S3EventRecord,
    s3: Any,
    settings: Settings,
    request_id: str,
    deadline: Deadline | None = None,
    sqs: Any = None,
) -> str:
    """One record: "written", "error_written", or why nothing was written."""
    target = storage.result_key(record.key)
    if target is None or not record.event_name.startswith("ObjectCreated"):
        log.warning("not an upload; ignored", extra=_fields(record, request_id))
        return "ignored"
    if settings.upload_bucket and record.bucket != settings.upload_bucket:
        log.warning("event for another bucket; ignored", extra=_fields(record, request_id))
        return "other_bucket"
    written_for = storage.result_etag(s3, record.bucket, target)
    if record.etag and written_for == record.etag:
        log.info("result exists for this etag; skipped", extra=_fields(record, request_id))
        return "duplicate"
    stored = _get_upload(s3, record)
    if stored is None:
        log.warning("object is gone; skipped", extra=_fields(record, request_id))
        return "gone"
    etag = str(stored.get("ETag", record.etag)).strip('"')
    job = JobKeys(record.bucket, record.key, etag)
    if written_for == etag or (settings.jobs_enabled and storage.exists(s3, record.bucket, job.queued)):
        # A stale event (delivered after a newer upload's) for an object whose current version
        # already has its result or its job: reading it again would only do the same work twice.
        stored["Body"].close()
        log.info(
            "stale event; result or job exists for the current object", extra=_fields(record, request_id)
        )
        return "duplicate"
    with tempfile.TemporaryDirectory(prefix="ocr-upload-") as folder:
        reader = _Reader(s3, sqs, settings, request_id, deadline)
        body = reader.recognize(stored, record, job, Path(folder))
    if body is None:
        log.info("job queued", extra=_fields(record, request_id))
        return "job_queued"
    body["source"] = {"bucket": record.bucket, "key": record.key, "etag": etag}
    storage.put_json(s3, record.bucket, target, body, Metadata={ETAG_METADATA: etag})
    outcome = "written" if body["success"] else "error_written"
    log.info(outcome, extra={**_fields(record, request_id), "result_key": target, **_summary(body)})
    return outcome


@dataclass(frozen=True)
class _Reader:
    """What reading an upload needs besides the upload itself."""

    s3: Any
    sqs: Any
    settings: Settings
    request_id: str
    deadline: Deadline | None

    def recognize(
        self, stored: dict[str, Any], record: S3EventRecord, job: JobKeys, folder: Path
    ) -> dict[str, Any] | None:
        """The API's JSON for the object, or its error JSON when the input is at fault; None when
        the upload became a job (the job writes the result). The file is streamed to `folder`
        first, so a long document is cut into chunks from disk, never held whole in memory."""
        settings, limits, stream = self.settings, self.settings.upload_limits(), stored["Body"]
        try:
            size = int(stored.get("ContentLength", 0))
            if size > limits.max_bytes:
                raise InputTooLargeError(
                    f"the file has {size} bytes; uploads are limited to {limits.max_bytes}"
                )
            raw = storage.upload_options(self.s3, record.bucket, record.key, stored.get("Metadata") or {})
            options = parse_upload_options(raw, settings.default_preset)
            path = folder / "upload"
            storage.save_stream(stream, path)
            if settings.jobs_enabled:
                sqs = self.sqs or default_sqs_client()
                if split.queue_if_long(self.s3, sqs, path, job, options, raw, settings) is not None:
                    return None
            at = self.deadline.at if self.deadline else None
            reply = service.answer(path.read_bytes(), options, settings, limits, self.request_id, at)
        except OcrError as error:
            if not (is_client_error(error) or isinstance(error, TimeBudgetExceededError)):
                raise
            return error_body(error.code, error.message, self.request_id)
        finally:
            stream.close()
        return reply.body


def _get_upload(s3: Any, record: S3EventRecord) -> dict[str, Any] | None:
    try:
        stored: dict[str, Any] = s3.get_object(Bucket=record.bucket, Key=record.key)
    except Exception as error:  # botocore's ClientError, imported by boto3 only
        if storage.s3_error_code(error) in storage.MISSING_CODES:
            return None
        raise
    return stored


def _fields(record: S3EventRecord, request_id: str) -> dict[str, Any]:
    return {"request_id": request_id, "bucket": record.bucket, "key": record.key, "etag": record.etag}


def _summary(body: dict[str, Any]) -> dict[str, Any]:
    if not body["success"]:
        return {"error_code": body["error"]["code"]}
    return {"lines": len(body["results"]), "total_time_ms": body["total_time_ms"]}
