"""`POST /uploads`: a presigned S3 upload for a file too large for `POST /ocr`, with its options."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from handler import storage
from handler.deadline import Deadline
from handler.in_thread import run_within
from handler.openapi import errors
from handler.routes.deps import S3Dep, SettingsDep, upload_bucket
from handler.schemas import UploadRequest, UploadResponse
from ocr_core.errors import InputTooLargeError
from ocr_core.options import parse_upload_options

router = APIRouter()
_REQUEST_FIELDS = ("filename", "content_type", "size")


@router.post(
    "/uploads",
    response_model=UploadResponse,
    responses=errors(400, 413, 500, 501),
    summary="Get a presigned S3 upload for a file too large for POST /ocr",
)
async def create_upload(
    upload: UploadRequest,
    request: Request,
    settings: SettingsDep,
    s3: S3Dep,
) -> dict[str, Any]:
    bucket = upload_bucket(settings)
    if upload.size is not None and upload.size > settings.presign_max_bytes:
        raise InputTooLargeError(
            f"the file has {upload.size} bytes; uploads are limited to {settings.presign_max_bytes} bytes"
        )
    options = upload_options(upload.model_dump(exclude_none=True))
    deadline = Deadline.for_request(request.scope, settings.time_budget_s)
    presigned = await run_within(
        deadline,
        storage.presign_upload,
        s3,
        bucket,
        upload.filename,
        upload.content_type,
        settings.presign_max_bytes,
        settings.presign_expires_s,
        options,
    )
    return {
        "id": presigned.id,
        "key": presigned.key,
        "url": presigned.url,
        "fields": presigned.fields,
        "max_bytes": settings.presign_max_bytes,
        "expires_in": settings.presign_expires_s,
        "result_url": str(request.url_for("get_result", upload_id=presigned.id)),
    }


def upload_options(fields: dict[str, Any]) -> dict[str, Any]:
    """The options to store with the upload, checked now: a bad one found by the trigger later
    would waste the upload. Unknown names are refused like everywhere else."""
    raw = {name: value for name, value in fields.items() if name not in _REQUEST_FIELDS}
    values = {name: value for name, value in raw.items() if value not in ("", None)}
    parse_upload_options(values)
    return values
