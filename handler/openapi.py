"""What `/docs` shows of `POST /ocr`, generated from the option table and the export writers.

`POST /ocr` reads its body itself (to count bytes while reading), so FastAPI cannot infer the
body, the option parameters or the file answers; they are described here instead, from the same
tables the parser uses, so the documentation cannot disagree with the service.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from handler.request_file import FILE_FIELDS, S3_KEY_FIELD
from handler.schemas import ErrorResponse
from ocr_core.options import OPTION_SPECS
from ocr_core.output.exports import BINARY, MEDIA_TYPES, ZIP_MEDIA_TYPE

INPUTS = [
    "multipart/form-data: the file in field 'image' (or 'file'), options as other fields",
    "raw body: Content-Type image/* or application/pdf",
    'JSON: {"image": "<base64 or data: URL>", ...options}',
    "an uploaded file: s3_key=uploads/... (query, form field or JSON key) instead of the file",
]


def errors(*statuses: int, model: type = ErrorResponse) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries so /docs shows the error JSON for each status a route can give."""
    return {status: {"model": model, "description": HTTPStatus(status).phrase} for status in statuses}


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
        "description": "The result: JSON, or with `format` an export file (a ZIP of CSVs for several tables)",
        "content": {
            media_type: {"schema": {"type": "string", **({"format": "binary"} if name in BINARY else {})}}
            for name, media_type in MEDIA_TYPES.items()
            if name != "json"
        }
        | {ZIP_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    }
}

OCR_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "description": "The file: multipart field `image` (or `file`), a raw body, or base64 in JSON. "
    "Form fields and JSON keys besides the file are options, as in the query (GET /options); "
    "an unknown name is a 400 invalid_option.",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {name: {"type": "string", "format": "binary"} for name in FILE_FIELDS},
            }
        },
        "image/*": {"schema": {"type": "string", "format": "binary"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "image": {"type": "string", "description": "base64 or data: URL"},
                    S3_KEY_FIELD: {
                        "type": "string",
                        "description": "instead of image: an object under uploads/",
                    },
                },
                "description": "other keys are options (GET /options), e.g. layout, password, ignore",
            }
        },
    },
}
