"""Get the uploaded file's bytes out of a POST /ocr request, within the size limit.

Three body forms are accepted: multipart/form-data with the file in `image` (the original
service's field) or `file`; a raw body with an image/*, application/pdf or
application/octet-stream type; JSON `{"image": "<base64 or data: URL>"}` for callers that
cannot send multipart. Form fields and JSON keys other than the file are request options
(`password`, `layout`, ...), and a body may name a file already in the upload bucket
(`s3_key`) instead of carrying one. The declared Content-Length is checked before any byte is read, and
the bytes actually received are counted as they arrive, so a lying or missing header cannot
make the server buffer more than the limit.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio
from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect

from handler.errors import ClientDisconnectedError, InvalidRequestError, MissingFileError, RequestTimeoutError
from handler.settings import Settings
from ocr_core.errors import InputTooLargeError, UnsupportedMediaTypeError

FILE_FIELDS = ("image", "file")
S3_KEY_FIELD = "s3_key"
RAW_TYPES = ("image/", "application/pdf", "application/octet-stream")


@dataclass(frozen=True)
class RequestInput:
    """What a POST /ocr body carried: the file (None when it names an uploaded object) and option fields."""

    data: bytes | None
    fields: dict[str, Any] = field(default_factory=dict)


async def read_input(request: Request, settings: Settings, file_optional: bool = False) -> RequestInput:
    """The file and the option fields of a form or JSON body (e.g. `password`, `layout`).

    `file_optional` (the query names an `s3_key`) accepts an empty body; a form or JSON body
    naming an `s3_key` itself needs no file either.
    """
    limit = settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise InvalidRequestError("Content-Length is not a number") from None
        if size > limit:
            raise _too_large(size, settings)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    stream = _limited(request.stream(), limit, settings)
    fields: dict[str, Any] = {}
    data: bytes | None
    if content_type == "multipart/form-data":
        data, fields = await _from_multipart(request, stream, file_optional)
    elif content_type == "application/json":
        data, fields = _from_json(await _collect(stream), file_optional)
    elif content_type.startswith(RAW_TYPES):
        data = await _collect(stream)
    elif not content_type and declared in (None, "0"):
        if not file_optional:
            raise MissingFileError(_HOW_TO_SEND)
        data = None
    else:
        raise UnsupportedMediaTypeError(
            f"Content-Type {content_type or '(none)'} is not accepted. {_HOW_TO_SEND}"
        )
    if data is not None and len(data) > settings.max_bytes:
        raise _too_large(len(data), settings, what="file")
    return RequestInput(data, fields)


_HOW_TO_SEND = (
    "Send the file as multipart/form-data in the field 'image' (curl -F image=@photo.png), "
    "or as the raw body with Content-Type image/* or application/pdf."
)


def _too_large(size: int, settings: Settings, what: str = "request body") -> InputTooLargeError:
    return InputTooLargeError(
        f"the {what} has {size} bytes; POST /ocr accepts files up to {settings.max_bytes} bytes "
        "(larger files: POST /uploads for a presigned upload)"
    )


Chunks = AsyncGenerator[bytes, None]


async def _limited(chunks: AsyncIterator[bytes], limit: int, settings: Settings) -> Chunks:
    """The body's chunks, counted against `limit`; a client that sends nothing for
    `body_timeout_s` gets a 408 instead of holding a connection (and a worker) open."""
    received = 0
    iterator = aiter(chunks)
    while True:
        try:
            with anyio.fail_after(settings.body_timeout_s):
                chunk = await anext(iterator)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise RequestTimeoutError(
                f"the request body stopped arriving ({received} bytes in, then nothing for "
                f"{settings.body_timeout_s:g} s)"
            ) from None
        except ClientDisconnect:
            raise ClientDisconnectedError("the client disconnected before its request body arrived") from None
        received += len(chunk)
        if received > limit:
            raise _too_large(received, settings)
        yield chunk


async def _collect(stream: Chunks) -> bytes:
    return b"".join([chunk async for chunk in stream])


async def _from_multipart(
    request: Request, stream: Chunks, file_optional: bool = False
) -> tuple[bytes | None, dict[str, Any]]:
    parser = MultiPartParser(request.headers, stream, max_files=4, max_fields=20)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise InvalidRequestError(f"malformed multipart body: {error.message}") from error
    except UnicodeDecodeError as error:
        raise InvalidRequestError("a form field is not valid UTF-8 text") from error
    try:
        files = [
            value for name in FILE_FIELDS for value in form.getlist(name) if isinstance(value, UploadFile)
        ]
        if len(files) > 1:
            # Reading one and dropping the rest would answer a question the client did not ask.
            raise InvalidRequestError(
                f"the form has {len(files)} files; send one file per request "
                "(several pages go in one PDF or multi-page TIFF)"
            )
        stray = [
            name
            for name, value in form.multi_items()
            if name not in FILE_FIELDS and not isinstance(value, str)
        ]
        if stray:
            where = f"the form field {stray[0]!r}"
            raise MissingFileError(f"{where} holds a file; send the file in 'image' (or 'file')")
        fields = {name: value for name, value in form.items() if name not in FILE_FIELDS}
        for name in FILE_FIELDS:
            value = form.get(name)
            if isinstance(value, UploadFile):
                return await value.read(), fields
            if isinstance(value, str) and value:
                return value.encode("utf-8"), fields  # a text field: the engine will say what it is not
        if file_optional or fields.get(S3_KEY_FIELD):
            return None, fields
        raise MissingFileError(f"the form has no file in the field 'image' or 'file'. {_HOW_TO_SEND}")
    finally:
        await form.close()


def _from_json(body: bytes, file_optional: bool = False) -> tuple[bytes | None, dict[str, Any]]:
    if not body:
        if file_optional:
            return None, {}
        raise MissingFileError(_HOW_TO_SEND)
    document = _parse_json(body)
    if not isinstance(document, dict):
        raise MissingFileError(
            f'the JSON body must be an object like {{"image": "<base64>"}}, not {_json_kind(document)}'
        )
    options = {name: value for name, value in document.items() if name not in FILE_FIELDS}
    value = next((document[name] for name in FILE_FIELDS if name in document), None)
    if value is None and (file_optional or options.get(S3_KEY_FIELD)):
        return None, options
    if value is not None and not isinstance(value, str):
        raise InvalidRequestError(f"'image' must be a base64 string, not {_json_kind(value)}")
    if not value:
        raise MissingFileError(
            'the JSON body needs {"image": "<base64-encoded file>"} (or {"s3_key": "uploads/..."})'
        )
    if value.startswith("data:"):
        value = value.partition(",")[2]  # data:image/png;base64,<payload>
    try:
        return base64.b64decode(value, validate=True), options
    except (binascii.Error, ValueError) as error:
        raise InvalidRequestError(f"the 'image' value is not valid base64: {error}") from error


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidRequestError(f"the JSON body does not parse: {error}") from error
    except RecursionError:
        raise InvalidRequestError("the JSON body is nested too deeply") from None


def _json_kind(value: Any) -> str:
    """A JSON value's kind, for messages (never the value itself)."""
    kinds = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return kinds.get(type(value), "a number")
