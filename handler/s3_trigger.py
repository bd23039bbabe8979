"""The S3 upload trigger: `uploads/<key>` in, `results/<key>.json` out.

Rules, and why:
- It writes only under `results/`, never under `uploads/`, so it cannot trigger itself.
- It is idempotent: S3 may deliver an event more than once, so a result already written for the
  same ETag (kept as the result's `source-etag` metadata) means there is nothing to do.
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
import json
import logging
from collections import Counter
from typing import Any

from handler import logs, service, storage
from handler.deadline import Deadline
from handler.errors import error_body, is_client_error
from handler.s3_events import S3Event, S3EventRecord
from handler.settings import Settings, get_settings
from ocr_core import OcrError
from ocr_core.errors import InputTooLargeError, TimeBudgetExceededError
from ocr_core.options import parse_upload_options

log = logging.getLogger("ocr.s3_trigger")

ETAG_METADATA = "source-etag"


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
) -> dict[str, int]:
    """Handle every record; returns how many ended each way, raises the first real failure."""
    settings = settings or get_settings()
    outcomes: Counter[str] = Counter()
    failures: list[Exception] = []
    for record in S3Event(event).records:
        if isinstance(record, str):
            log.warning("malformed record; skipped", extra={"request_id": request_id, "reason": record})
            outcomes["malformed"] += 1
            continue
        try:
            outcomes[process_record(record, s3, settings, request_id, deadline)] += 1
        except Exception as error:
            log.exception("record failed", extra=_fields(record, request_id))
            failures.append(error)
            outcomes["failed"] += 1
    log.info("event done", extra={"request_id": request_id, "outcomes": dict(outcomes)})
    if failures:
        raise failures[0]
    return dict(outcomes)


def process_record(
    record: S3EventRecord, s3: Any, settings: Settings, request_id: str, deadline: Deadline | None = None
) -> str:
    """One record: "written", "error_written", or why nothing was written."""
    target = storage.result_key(record.key)
    if target is None or not record.event_name.startswith("ObjectCreated"):
        log.warning("not an upload; ignored", extra=_fields(record, request_id))
        return "ignored"
    if settings.upload_bucket and record.bucket != settings.upload_bucket:
        log.warning("event for another bucket; ignored", extra=_fields(record, request_id))
        return "other_bucket"
    written_for = _result_etag(s3, record.bucket, target)
    if record.etag and written_for == record.etag:
        log.info("result exists for this etag; skipped", extra=_fields(record, request_id))
        return "duplicate"
    stored = _get_upload(s3, record)
    if stored is None:
        log.warning("object is gone; skipped", extra=_fields(record, request_id))
        return "gone"
    etag = str(stored.get("ETag", record.etag)).strip('"')
    if written_for == etag:
        # A stale event (delivered after a newer upload's) for an object whose current version
        # already has its result: reading it again would only write the same result twice.
        stored["Body"].close()
        log.info("stale event; result exists for the current object", extra=_fields(record, request_id))
        return "duplicate"
    body = _recognize(stored, record, s3, settings, request_id, deadline)
    body["source"] = {"bucket": record.bucket, "key": record.key, "etag": etag}
    s3.put_object(
        Bucket=record.bucket,
        Key=target,
        Body=json.dumps(body, ensure_ascii=False).encode("utf-8", "replace"),
        ContentType="application/json; charset=utf-8",
        Metadata={ETAG_METADATA: etag},
    )
    outcome = "written" if body["success"] else "error_written"
    log.info(outcome, extra={**_fields(record, request_id), "result_key": target, **_summary(body)})
    return outcome


def _recognize(
    stored: dict[str, Any],
    record: S3EventRecord,
    s3: Any,
    settings: Settings,
    request_id: str,
    deadline: Deadline | None,
) -> dict[str, Any]:
    """The API's JSON for the object, or its error JSON when the input is at fault."""
    limits = settings.upload_limits()
    stream = stored["Body"]
    try:
        size = int(stored.get("ContentLength", 0))
        if size > limits.max_bytes:
            raise InputTooLargeError(f"the file has {size} bytes; uploads are limited to {limits.max_bytes}")
        raw = storage.upload_options(s3, record.bucket, record.key, stored.get("Metadata") or {})
        options = parse_upload_options(raw, settings.default_preset)
        data = stream.read()
        reply = service.answer(data, options, settings, limits, request_id, deadline.at if deadline else None)
    except OcrError as error:
        if not (is_client_error(error) or isinstance(error, TimeBudgetExceededError)):
            raise
        return error_body(error.code, error.message, request_id)
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


def _result_etag(s3: Any, bucket: str, key: str) -> str | None:
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except Exception as error:  # botocore's ClientError, imported by boto3 only
        if storage.s3_error_code(error) in storage.MISSING_CODES:
            return None
        raise
    etag: str | None = (head.get("Metadata") or {}).get(ETAG_METADATA)
    return etag


def _fields(record: S3EventRecord, request_id: str) -> dict[str, Any]:
    return {"request_id": request_id, "bucket": record.bucket, "key": record.key, "etag": record.etag}


def _summary(body: dict[str, Any]) -> dict[str, Any]:
    if not body["success"]:
        return {"error_code": body["error"]["code"]}
    return {"lines": len(body["results"]), "total_time_ms": body["total_time_ms"]}
