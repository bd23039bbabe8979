"""The one table from error type to HTTP status, and the error JSON every failure becomes.

The engine raises typed `OcrError`s; the few failures only the service can detect (a missing form
field, an unknown upload id, a stalled body) extend the same family, so every failure becomes the
same JSON shape with a status chosen by type, never by message text. Anything unexpected is a 500
with a generic message; its traceback goes to the log, never to the client. No web framework is
imported here: the S3 trigger and the job workers use this table too.
"""

from __future__ import annotations

import logging
from typing import Any

from ocr_core.errors import (
    EmptyInputError,
    InputTooLargeError,
    InvalidImageError,
    InvalidOptionError,
    ModelNotReadyError,
    OcrError,
    PdfPasswordError,
    PdfResourceLimitError,
    TimeBudgetExceededError,
    UnsupportedMediaTypeError,
)

log = logging.getLogger("ocr.handler")

INTERNAL_CODE = "internal_error"
INTERNAL_MESSAGE = "internal error; the request id identifies it in the service logs"


class MissingFileError(EmptyInputError):
    """The request carried no file: no `image`/`file` form field and no raw body."""

    code = "missing_file"


class InvalidRequestError(OcrError):
    """The request itself is malformed (bad JSON, bad base64, bad form data, bad parameter)."""

    code = "invalid_request"


class RequestTimeoutError(OcrError):
    """The client stopped sending its body (a stalled or very slow upload)."""

    code = "request_timeout"


class ClientDisconnectedError(OcrError):
    """The client went away before its body arrived: nobody is left to answer."""

    code = "client_disconnected"


class ResultNotFoundError(OcrError):
    """No result stored for an upload id (yet): the trigger may still be working on it."""

    code = "result_not_found"


class ObjectNotFoundError(OcrError):
    """`s3_key` names no object in the upload bucket (or one this service may not read)."""

    code = "object_not_found"


class StoredResultUnreadableError(OcrError):
    """A stored result is not the JSON the service writes (damaged, or written by someone else)."""

    code = "result_unreadable"


class JobFailedError(OcrError):
    """No page of a job could be read: its chunks failed on every delivery, or failed differently."""

    code = "job_failed"


class ExportNotFoundError(OcrError):
    """The result has no export in the asked format (only a job's result has exports)."""

    code = "export_not_found"


class UploadsDisabledError(OcrError):
    """This deployment has no upload bucket, so presigned uploads are not offered."""

    code = "uploads_disabled"


STATUS_BY_ERROR: dict[type[OcrError], int] = {
    MissingFileError: 400,
    EmptyInputError: 400,
    InvalidOptionError: 400,
    InvalidRequestError: 400,
    ClientDisconnectedError: 400,
    ResultNotFoundError: 404,
    ObjectNotFoundError: 404,
    ExportNotFoundError: 404,
    RequestTimeoutError: 408,
    InputTooLargeError: 413,
    PdfResourceLimitError: 413,
    UnsupportedMediaTypeError: 415,
    InvalidImageError: 422,
    PdfPasswordError: 422,
    UploadsDisabledError: 501,
    JobFailedError: 500,
    StoredResultUnreadableError: 502,
    ModelNotReadyError: 503,
    TimeBudgetExceededError: 504,
}
"""Each error class and its status; subclasses inherit their nearest listed ancestor's status."""


def status_for(error: BaseException) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[kind]
    return 500


def status_for_code(code: str) -> int:
    """The status of a stored error result, from its `code` (e.g. a result the S3 trigger wrote)."""
    for kind, status in STATUS_BY_ERROR.items():
        if kind.code == code:
            return status
    return 500


def is_client_error(error: BaseException) -> bool:
    """The input is at fault (4xx): retrying the same input cannot succeed."""
    return isinstance(error, OcrError) and 400 <= status_for(error) < 500


def error_body(code: str, message: str, request_id: str) -> dict[str, Any]:
    return {"success": False, "error": {"code": code, "message": message}, "request_id": request_id}


def error_payload(error: BaseException, request_id: str) -> tuple[int, dict[str, Any]]:
    """Status and JSON body for any exception; unknown ones are logged with their traceback."""
    status = status_for(error)
    if status == 500 or not isinstance(error, OcrError):
        log.error("unhandled error", exc_info=error, extra={"request_id": request_id})
        return 500, error_body(INTERNAL_CODE, INTERNAL_MESSAGE, request_id)
    return status, error_body(error.code, error.message, request_id)
