"""`GET /results/{id}`: what the S3 trigger or a job wrote for an upload; progress while a job runs.

404 while nothing is known yet (the upload or its trigger is pending), 202 with the job's
progress while a long document is read as a job, then the stored result (200) or its stored
error (with the error's status). A job's result lists its exports as short-lived download URLs,
and `?format=text|markdown|jsonl|pdf` answers 303 to one of them: a searchable PDF can be far
larger than a Lambda answer (6 MB).
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from handler import storage
from handler.deadline import Deadline
from handler.errors import (
    ExportNotFoundError,
    ResultNotFoundError,
    StoredResultUnreadableError,
    status_for_code,
)
from handler.in_thread import run_within
from handler.jobs.progress import JobProgress, job_progress
from handler.openapi import errors
from handler.routes.deps import S3Dep, SettingsDep, upload_bucket
from handler.schemas import JobProgressResponse, StoredError, StoredResult
from handler.settings import Settings
from ocr_core.options import FORMATS
from ocr_core.output.exports import EXTENSIONS

router = APIRouter()
ExportFormat = StrEnum("ExportFormat", [output for output in FORMATS if output != "json"])  # type: ignore[misc]
"""The exports a job writes: every format of the option table but JSON."""


@router.get(
    "/results/{upload_id}",
    name="get_result",
    response_model=StoredResult,
    responses={
        202: {"model": JobProgressResponse, "description": "A job is reading the document: poll again"},
        303: {"description": "With `format`: the export, at its download URL (Location)"},
        **errors(400, 404, 500, 501, 502),
        **errors(408, 413, 415, 422, 504, model=StoredError),
    },
    summary="The result of an upload: 404 while pending, 202 with progress while a job runs, then 200",
)
async def get_result(
    upload_id: uuid.UUID,
    request: Request,
    settings: SettingsDep,
    s3: S3Dep,
    format: Annotated[
        ExportFormat | None, Query(description="redirect (303) to this export of a job's result")
    ] = None,
) -> Any:
    bucket = upload_bucket(settings)
    deadline = Deadline.for_request(request.scope, settings.time_budget_s)
    try:
        stored, progress = await run_within(deadline, _lookup, s3, bucket, str(upload_id))
    except ValueError as error:  # not JSON: json.JSONDecodeError, UnicodeDecodeError
        raise StoredResultUnreadableError(
            f"the stored result for upload {upload_id} is not readable"
        ) from error
    if progress is not None:
        return JSONResponse(progress.to_dict(), status_code=202)
    if stored is None:
        raise ResultNotFoundError(f"no result for upload {upload_id} yet; it may still be processing")
    if not isinstance(stored, dict) or not isinstance(stored.get("success"), bool):
        raise StoredResultUnreadableError(f"the stored result for upload {upload_id} is not a result")
    if not stored["success"]:
        detail = stored.get("error")
        code = detail.get("code", "") if isinstance(detail, dict) else ""
        return JSONResponse(stored, status_code=status_for_code(str(code)))
    urls = _export_urls(s3, bucket, stored, settings)
    if format is not None:
        if format.value not in urls:
            raise ExportNotFoundError(
                f"upload {upload_id} has no {format.value} export (only long documents read as jobs have "
                "exports; POST /ocr with s3_key and format reads a short one in any format)"
            )
        return RedirectResponse(urls[format.value], status_code=303)
    return {**stored, "exports": urls or None}


def _lookup(s3: Any, bucket: str, upload_id: str) -> tuple[Any, JobProgress | None]:
    stored = storage.load_result(s3, bucket, upload_id)
    return stored, job_progress(s3, bucket, upload_id, stored)


def _export_urls(s3: Any, bucket: str, stored: dict[str, Any], settings: Settings) -> dict[str, str]:
    """Download URLs for the export keys a job stored with its result (only keys under exports/)."""
    keys = stored.get("exports")
    if not isinstance(keys, dict):
        return {}
    source = stored.get("source")
    name = source.get("key", "") if isinstance(source, dict) else ""
    stem = PurePosixPath(str(name)).stem or "result"
    return {
        output: storage.presign_get(
            s3, bucket, key, settings.presign_expires_s, f"{stem}.ocr{PurePosixPath(key).suffix}"
        )
        for output, key in keys.items()
        if output in EXTENSIONS and isinstance(key, str) and key.startswith(storage.EXPORT_PREFIX)
    }
