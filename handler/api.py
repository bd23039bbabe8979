"""The HTTP API: a FastAPI app built at import and `handler`, its Lambda entry point (Mangum).

Routes stay thin: validate, call the engine, shape the response. Errors are raised as typed
exceptions and turned into the error JSON by the one table in `handler.errors`. The same app
runs under uvicorn locally (`handler.local`) and under API Gateway, so both behave the same.
"""

from __future__ import annotations

# First, before the imports below: the models load on the second vCPU while FastAPI imports.
from handler import preload  # isort: skip

preload.start()

# isort: split
import uuid
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from mangum import Mangum

from handler import logs, storage
from handler.budget import Deadline, run_within
from handler.engine import get_engine, result_cache
from handler.errors import (
    MissingFileError,
    ResultNotFoundError,
    UploadsDisabledError,
    register_error_handlers,
    request_id_of,
    status_for_code,
)
from handler.middleware import REQUEST_ID_HEADER, RequestContextMiddleware
from handler.ocr_request import (
    EXPORT_RESPONSES,
    INPUTS,
    OCR_PARAMETERS,
    file_answer,
    query_fields,
    request_options,
)
from handler.request_file import read_input
from handler.s3_input import read_uploaded
from handler.schemas import (
    OCR_REQUEST_BODY,
    ErrorResponse,
    HealthResponse,
    OcrResponse,
    OptionsResponse,
    StoredError,
    StoredResult,
    UploadRequest,
    UploadResponse,
)
from handler.security import SecurityHeadersMiddleware
from handler.settings import Settings, get_settings
from ocr_core.errors import InputTooLargeError
from ocr_core.models.presets import DEFAULT_PRESET, PRESETS
from ocr_core.models.sessions import loaded_sessions
from ocr_core.options import describe_options, parse_options


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
router = APIRouter()


@router.post(
    "/ocr",
    response_model=OcrResponse,
    response_model_exclude_unset=True,  # `words`/`chars` appear only when asked for
    responses=errors(400, 404, 413, 415, 422, 500, 501, 503, 504),
    openapi_extra={
        "requestBody": OCR_REQUEST_BODY,
        "parameters": OCR_PARAMETERS,
        "responses": EXPORT_RESPONSES,
    },
    summary="Read the text lines of an image or PDF",
)
async def ocr(request: Request, settings: SettingsDep) -> Any:
    """Options come from the query, form fields or JSON keys (`GET /options` lists them)."""
    deadline = Deadline.for_request(request.scope, settings.time_budget_s)
    query = query_fields(request)
    request_options(query, {}, settings.default_preset)  # a bad option fails before the body is read
    incoming = await read_input(request, settings, file_optional=bool(query.get("s3_key")))
    options, s3_key = request_options(query, incoming.fields, settings.default_preset)
    limits = settings.limits()
    data = incoming.data
    if data is None and s3_key:
        # The S3 client only now: boto3 costs cold-start time that requests with a body never need.
        data = await run_within(deadline, read_uploaded, s3_of(request), settings, s3_key)
        limits = settings.upload_limits()
    if data is None:
        raise MissingFileError("send a file, or name an uploaded one with s3_key")
    cache = result_cache(settings.cache_size)
    engine = get_engine(limits)
    key = cache.key(data, options.ocr, engine)
    cached = None if options.format == "pdf" else cache.get(key)  # a searchable PDF needs the pixels
    if cached is None:
        result, pages = await run_within(deadline, engine.run_document, data, options.ocr, deadline.at)
        cache.put(key, result)
    else:
        result, pages = cached, []
    body = result.to_dict()
    body["request_id"] = request_id_of(request)
    body["cached"] = cached is not None
    request.state.log_fields = {
        "file_bytes": len(data),
        "lines": len(body["results"]),
        "pages": len(body["pages"]),
        "preset": body["model"]["preset"],
        "format": options.format,
        "cached": body["cached"],
        "warnings": [warning["code"] for warning in body["warnings"]],
        "timings_ms": body["timings_ms"],
        "total_time_ms": body["total_time_ms"],
    }
    if options.format != "json":
        return file_answer(result, pages, options.format, body["request_id"], settings.max_bytes)
    return body


@router.get("/options", response_model=OptionsResponse, responses=errors(500))
def list_options(settings: SettingsDep) -> dict[str, Any]:
    """Every option of POST /ocr with its type, default and allowed values (the upload page's controls)."""
    return {"options": describe_options(settings.default_preset), "inputs": INPUTS}


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
    raw = {name: getattr(upload, name) for name in storage.OPTION_METADATA}
    values = {name: str(value).strip() for name, value in raw.items() if value is not None}
    values = {name: value for name, value in values.items() if value}
    parse_options(values)
    return values


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
    app.add_middleware(SecurityHeadersMiddleware)
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
