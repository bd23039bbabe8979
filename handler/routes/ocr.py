"""`POST /ocr`: a file (in the body, or already uploaded: `s3_key`) and its options -> the answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from handler import service
from handler.deadline import Deadline
from handler.errors import MissingFileError
from handler.http_errors import request_id_of
from handler.in_thread import run_within
from handler.openapi import EXPORT_RESPONSES, OCR_PARAMETERS, OCR_REQUEST_BODY, S3_KEY_FIELD, errors
from handler.request_file import read_input
from handler.routes.deps import SettingsDep, s3_of
from handler.s3_input import read_uploaded
from handler.schemas import OcrResponse
from handler.settings import Settings
from ocr_core.options import RequestOptions, check_text, parse_options
from ocr_core.output.exports import BINARY

WARNINGS_HEADER = "X-OCR-Warnings"
router = APIRouter()


@router.post(
    "/ocr",
    response_model=OcrResponse,
    response_model_exclude_unset=True,  # `words`/`chars` appear only when asked for
    responses=errors(400, 404, 408, 413, 415, 422, 500, 501, 503, 504),
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
    query = dict(request.query_params)
    request_options(query, {}, settings.default_preset)  # a bad option fails before the body is read
    incoming = await read_input(request, settings, file_optional=bool(query.get(S3_KEY_FIELD)))
    options, s3_key = request_options(query, incoming.fields, settings.default_preset)
    data, limits = incoming.data, settings.limits()
    if data is None and s3_key:
        data = await run_within(deadline, read_uploaded, s3_of(request), settings, s3_key)
        limits = settings.upload_limits()
    if data is None:
        raise MissingFileError("send a file, or name an uploaded one with s3_key")
    request_id = request_id_of(request)
    reply = await run_within(
        deadline, service.answer, data, options, settings, limits, request_id, deadline.at
    )
    request.state.log_fields = service.log_fields(reply, len(data), options.format)
    if reply.export is None:
        return with_upload_hint(reply.body, settings)
    return file_response(reply, options.format, request_id)


def with_upload_hint(body: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """A document cut at the synchronous page cap: its warning also says how to send all of it,
    when this deployment reads long uploads as jobs."""
    if not (settings.upload_bucket and settings.jobs_enabled):
        return body
    hint = (
        " To read every page, upload the file with POST /uploads: it is then read as a job of up to "
        f"{settings.job_max_pages} pages, and GET /results/{{id}} shows its progress."
    )
    for warning in body.get("warnings", []):
        if warning.get("code") == "pages_truncated":
            warning["message"] += hint
    return body


def request_options(
    query: Mapping[str, Any], body: Mapping[str, Any], default_preset: str | None
) -> tuple[RequestOptions, str | None]:
    """The parsed options and the `s3_key`, if one was given; a value in the body wins over the query."""
    raw = {**query, **body}
    key = raw.pop(S3_KEY_FIELD, None)
    options = parse_options(raw, default_preset)
    if key is None or key == "":
        return options, None
    if not isinstance(key, str):
        raise MissingFileError(f"{S3_KEY_FIELD} must be a string naming an object under uploads/")
    return options, check_text(S3_KEY_FIELD, key).strip()


def file_response(reply: service.Answer, output: str, request_id: str) -> Response:
    """An export as a file; the name is built from the request id, encoded as RFC 6266 asks."""
    assert reply.export is not None  # nosec B101 - callers check; narrows the type
    disposition = "attachment" if output in BINARY or reply.export.extension == "zip" else "inline"
    name = f"ocr-{request_id or 'result'}.{reply.export.extension}"
    headers = {"Content-Disposition": content_disposition(disposition, name)}
    if reply.warning_codes:
        headers[WARNINGS_HEADER] = ",".join(reply.warning_codes)
    return Response(reply.export.content, media_type=reply.export.media_type, headers=headers)


def content_disposition(disposition: str, filename: str) -> str:
    """`filename=` with an ASCII fallback (quotes, backslashes, controls replaced) and `filename*=`
    with the exact name percent-encoded (RFC 6266 / RFC 5987), so no name can add a parameter."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename)
    encoded = quote(filename, safe="", errors="replace")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
