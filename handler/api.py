"""The HTTP API: a FastAPI app built at import and `handler`, its Lambda entry point (Mangum).

Routes stay thin: validate, call the engine, shape the response. Errors are raised as typed
exceptions and turned into the error JSON by the one table in `handler.errors`. The same app
runs under uvicorn locally (`handler.local`) and under API Gateway, so both behave the same.
"""

from __future__ import annotations

import uuid
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from mangum import Mangum
from starlette.concurrency import run_in_threadpool

from handler import logs, storage
from handler.engine import get_engine
from handler.errors import (
    ResultNotFoundError,
    UploadsDisabledError,
    register_error_handlers,
    request_id_of,
    status_for_code,
)
from handler.middleware import REQUEST_ID_HEADER, RequestContextMiddleware
from handler.request_file import read_file
from handler.schemas import (
    OCR_REQUEST_BODY,
    ErrorResponse,
    HealthResponse,
    OcrResponse,
    StoredError,
    StoredResult,
    UploadRequest,
    UploadResponse,
)
from handler.settings import Settings, get_settings
from ocr_core import OcrOptions
from ocr_core.errors import InputTooLargeError, InvalidOptionError
from ocr_core.models import DEFAULT_PRESET, PRESETS
from ocr_core.page_selection import parse_pages
from ocr_core.sessions import loaded_sessions

MODES = ["auto", "line", "page"]


def errors(*statuses: int, model: type = ErrorResponse) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries so /docs shows the error JSON for each status a route can give."""
    return {status: {"model": model, "description": HTTPStatus(status).phrase} for status in statuses}


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def s3_of(request: Request) -> Any:
    return request.app.state.s3_client or storage.default_s3_client()


SettingsDep = Annotated[Settings, Depends(settings_of)]
S3Dep = Annotated[Any, Depends(s3_of)]
ModeQuery = Annotated[
    str,
    Query(
        description="auto (line crops read whole, pages detected), line or page",
        json_schema_extra={"enum": MODES},
    ),
]
ModelQuery = Annotated[
    str | None, Query(description="model preset", json_schema_extra={"enum": list(PRESETS)})
]
PagesQuery = Annotated[str | None, Query(description='PDF/TIFF pages, e.g. "1-3,5" or "-1" (the last)')]
router = APIRouter()


@router.post(
    "/ocr",
    response_model=OcrResponse,
    responses=errors(400, 413, 415, 422, 500, 503),
    openapi_extra={"requestBody": OCR_REQUEST_BODY},
    summary="Read the text lines of an image or PDF",
)
async def ocr(
    request: Request,
    settings: SettingsDep,
    mode: ModeQuery = "auto",
    model: ModelQuery = None,
    pages: PagesQuery = None,
) -> dict[str, Any]:
    options = OcrOptions(mode=mode, preset=model or settings.default_preset, pages=parse_pages(pages))
    data = await read_file(request, settings)
    result = await run_in_threadpool(get_engine(settings.limits()).run, data, options)
    body = result.to_dict()
    body["request_id"] = request_id_of(request)
    request.state.log_fields = {
        "file_bytes": len(data),
        "lines": len(body["results"]),
        "pages": len(body["pages"]),
        "preset": body["model"]["preset"],
        "timings_ms": body["timings_ms"],
        "total_time_ms": body["total_time_ms"],
    }
    return body


@router.get("/health", response_model=HealthResponse, responses=errors(500))
def health(settings: SettingsDep) -> dict[str, Any]:
    """Liveness plus what is loaded; never loads a model itself (that would make it slow and stateful)."""
    return {
        "status": "ok",
        "models_loaded": loaded_sessions(),
        "default_preset": settings.default_preset or DEFAULT_PRESET,
        "presets": {name: preset.description for name, preset in PRESETS.items()},
        "uploads": settings.upload_bucket is not None,
        "max_bytes": settings.max_bytes,
        "upload_max_bytes": settings.presign_max_bytes if settings.upload_bucket else None,
    }


@router.post(
    "/uploads",
    response_model=UploadResponse,
    responses=errors(400, 413, 500, 501),
    summary="Get a presigned S3 upload for a file too large for POST /ocr",
)
def create_upload(
    upload: UploadRequest,
    request: Request,
    settings: SettingsDep,
    s3: S3Dep,
) -> dict[str, Any]:
    if not settings.upload_bucket:
        raise UploadsDisabledError("presigned uploads are not configured (no OCR_UPLOAD_BUCKET)")
    if upload.size is not None and upload.size > settings.presign_max_bytes:
        raise InputTooLargeError(
            f"the file has {upload.size} bytes; uploads are limited to {settings.presign_max_bytes} bytes"
        )
    options = _upload_options(upload)
    presigned = storage.presign_upload(
        s3,
        settings.upload_bucket,
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


def _upload_options(upload: UploadRequest) -> dict[str, str]:
    """Check the options now: a bad one found by the trigger later would waste the upload."""
    OcrOptions(mode=upload.mode or "auto", pages=parse_pages(upload.pages))
    if upload.model and upload.model.strip().lower() not in PRESETS:
        raise InvalidOptionError(
            f"unknown model preset {upload.model!r}; choose one of: {', '.join(PRESETS)}"
        )
    values = {"mode": upload.mode, "model": upload.model, "pages": upload.pages}
    return {name: value.strip() for name, value in values.items() if value and value.strip()}


@router.get(
    "/results/{upload_id}",
    name="get_result",
    response_model=StoredResult,
    responses={**errors(400, 404, 500, 501), **errors(413, 415, 422, model=StoredError)},
    summary="The result the S3 trigger wrote for an upload; 404 while it is pending",
)
def get_result(upload_id: uuid.UUID, settings: SettingsDep, s3: S3Dep) -> Any:
    if not settings.upload_bucket:
        raise UploadsDisabledError("presigned uploads are not configured (no OCR_UPLOAD_BUCKET)")
    stored = storage.load_result(s3, settings.upload_bucket, str(upload_id))
    if stored is None:
        raise ResultNotFoundError(f"no result for upload {upload_id} yet; it may still be processing")
    if not stored.get("success"):
        return JSONResponse(stored, status_code=status_for_code(stored.get("error", {}).get("code", "")))
    return stored


def create_app(settings: Settings | None = None, s3_client: Any = None) -> FastAPI:
    """The API app. Tests pass small `settings` and a moto `s3_client`; Lambda uses the environment."""
    settings = settings or get_settings()
    logs.configure(settings.log_level)
    app = FastAPI(
        title="Serverless OCR",
        version="1.0",
        description="Chinese + English text recognition on CPU. Errors always use the ErrorResponse shape.",
    )
    app.state.settings = settings
    app.state.s3_client = s3_client
    register_error_handlers(app)
    app.include_router(router)
    app.add_middleware(RequestContextMiddleware)
    if settings.allowed_origins:  # added last, so it is outermost and tags error responses too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.allowed_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type"],
            expose_headers=[REQUEST_ID_HEADER],
            max_age=600,
        )
    return app


app = create_app()
handler = Mangum(app, lifespan="off")
