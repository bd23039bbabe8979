"""POST /ocr's options (query, form fields, JSON keys) and its answer in the requested format.

The options table lives in `ocr_core.options`; the OpenAPI parameters below are generated from
it, so `/docs`, `GET /options` and the parser cannot disagree. A value in the body wins over
the same name in the query (a form field is where a password belongs: query strings end up
in access logs). Exports other than JSON are answered as files, with the warnings' codes in
an `X-OCR-Warnings` header since those formats have no place for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request, Response

from handler.request_file import S3_KEY_FIELD
from ocr_core.errors import InputTooLargeError
from ocr_core.input.page import Page
from ocr_core.options import OPTION_SPECS, RequestOptions, parse_options
from ocr_core.output.exports import EXTENSIONS, MEDIA_TYPES, export
from ocr_core.output.result import OcrResult

WARNINGS_HEADER = "X-OCR-Warnings"
INPUTS = [
    "multipart/form-data: the file in field 'image' (or 'file'), options as other fields",
    "raw body: Content-Type image/* or application/pdf",
    'JSON: {"image": "<base64 or data: URL>", ...options}',
    "an uploaded file: s3_key=uploads/... (query, form field or JSON key) instead of the file",
]

OCR_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": spec.name,
        "in": "query",
        "required": False,
        "description": spec.description,
        "schema": {"type": spec.type, "default": spec.default}
        | ({"enum": list(spec.enum)} if spec.enum else {}),
        "example": spec.example,
    }
    for spec in OPTION_SPECS
] + [
    {
        "name": S3_KEY_FIELD,
        "in": "query",
        "required": False,
        "description": "read this object of the upload bucket (a key under uploads/) instead of a body",
        "schema": {"type": "string"},
        "example": "uploads/1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed/scan.pdf",
    }
]

EXPORT_RESPONSES: dict[str, Any] = {
    "200": {
        "description": "The result: JSON, or with `format` a text, Markdown, JSON Lines or PDF file",
        "content": {
            MEDIA_TYPES[name]: {
                "schema": {"type": "string", **({"format": "binary"} if name == "pdf" else {})}
            }
            for name in ("text", "markdown", "jsonl", "pdf")
        },
    }
}


def query_fields(request: Request) -> dict[str, str]:
    return dict(request.query_params)


def request_options(
    query: Mapping[str, Any], body: Mapping[str, Any], default_preset: str | None
) -> tuple[RequestOptions, str | None]:
    """The parsed options and the `s3_key`, if one was given."""
    raw = {**query, **body}
    key = raw.pop(S3_KEY_FIELD, None)
    return parse_options(raw, default_preset), (str(key).strip() if key else None)


def file_answer(
    result: OcrResult, pages: Sequence[Page], output: str, request_id: str, max_bytes: int
) -> Response:
    """An export as a file response; a searchable PDF over the synchronous answer limit is refused."""
    content = export(result, pages, output)
    if output == "pdf" and len(content) > max_bytes:
        raise InputTooLargeError(
            f"the searchable PDF has {len(content)} bytes, more than the {max_bytes} bytes a synchronous "
            "answer can carry; select fewer pages (e.g. pages=1-5)"
        )
    disposition = "attachment" if output == "pdf" else "inline"
    name = f"ocr-{request_id or 'result'}.{EXTENSIONS[output]}"
    headers = {"Content-Disposition": f'{disposition}; filename="{name}"'}
    if result.warnings:
        headers[WARNINGS_HEADER] = ",".join(dict.fromkeys(warning.code for warning in result.warnings))
    return Response(content, media_type=MEDIA_TYPES[output], headers=headers)
