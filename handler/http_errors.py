"""FastAPI's exception handlers: every failure of the API becomes the one error JSON.

The status comes from the table in `handler.errors`; FastAPI's own validation errors and HTTP
errors (unknown route, wrong method) are turned into the same shape.
"""

from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from handler.errors import InvalidRequestError, error_body, error_payload
from ocr_core.errors import OcrError


def request_id_of(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def _json(request: Request, status: int, body: dict[str, object]) -> JSONResponse:
    error = body["error"]
    request.state.error_code = error["code"] if isinstance(error, dict) else ""
    return JSONResponse(body, status_code=status)


async def _ocr_error(request: Request, error: Exception) -> JSONResponse:
    status, body = error_payload(error, request_id_of(request))
    return _json(request, status, body)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)  # registered for this class only; narrows the type  # nosec B101
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item.get("loc", ()))
        parts.append(f"{where}: {item.get('msg', 'invalid')}")
    message = "; ".join(parts) or "invalid request"
    return _json(request, 400, error_body(InvalidRequestError.code, message, request_id_of(request)))


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)  # registered for this class only; narrows the type  # nosec B101
    status = HTTPStatus(error.status_code)
    body = error_body(status.name.lower(), str(error.detail or status.phrase), request_id_of(request))
    response = _json(request, error.status_code, body)
    if error.headers:
        response.headers.update(error.headers)
    return response


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(OcrError, _ocr_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
