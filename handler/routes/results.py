"""`GET /results/{id}`: what the S3 trigger wrote for an upload (404 while it is pending)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from handler import storage
from handler.deadline import Deadline
from handler.errors import ResultNotFoundError, StoredResultUnreadableError, status_for_code
from handler.in_thread import run_within
from handler.openapi import errors
from handler.routes.deps import S3Dep, SettingsDep, upload_bucket
from handler.schemas import StoredError, StoredResult

router = APIRouter()


@router.get(
    "/results/{upload_id}",
    name="get_result",
    response_model=StoredResult,
    responses={**errors(400, 404, 500, 501, 502), **errors(408, 413, 415, 422, 504, model=StoredError)},
    summary="The result the S3 trigger wrote for an upload; 404 while it is pending",
)
async def get_result(upload_id: uuid.UUID, request: Request, settings: SettingsDep, s3: S3Dep) -> Any:
    bucket = upload_bucket(settings)
    deadline = Deadline.for_request(request.scope, settings.time_budget_s)
    try:
        stored = await run_within(deadline, storage.load_result, s3, bucket, str(upload_id))
    except ValueError as error:  # not JSON: json.JSONDecodeError, UnicodeDecodeError
        raise StoredResultUnreadableError(
            f"the stored result for upload {upload_id} is not readable"
        ) from error
    if stored is None:
        raise ResultNotFoundError(f"no result for upload {upload_id} yet; it may still be processing")
    if not isinstance(stored, dict) or not isinstance(stored.get("success"), bool):
        raise StoredResultUnreadableError(f"the stored result for upload {upload_id} is not a result")
    if not stored["success"]:
        detail = stored.get("error")
        code = detail.get("code", "") if isinstance(detail, dict) else ""
        return JSONResponse(stored, status_code=status_for_code(str(code)))
    return stored
