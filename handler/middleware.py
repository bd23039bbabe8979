"""Per-request context: a request id, the `X-Request-Id` header, a last-resort 500, one log line.

A plain ASGI middleware (not `BaseHTTPMiddleware`) so it sees every byte in and out and catches
what the exception handlers did not: an unexpected error still becomes the error JSON with the
request id, and its traceback goes only to the log.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handler.errors import error_payload

log = logging.getLogger("ocr.request")

REQUEST_ID_HEADER = "X-Request-Id"


SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._=+-]{1,128}")
"""What a request id may look like to be copied into headers and file names (API Gateway's
ids are base64-ish or UUIDs); anything else came from somewhere untrusted and is replaced."""


def request_id_from_scope(scope: Scope) -> str:
    """API Gateway's request id when Mangum passed the event (`scope["aws.event"]`) and it is
    safe to put in a header, else a new uuid."""
    request_id = gateway_request_id(scope)
    if isinstance(request_id, str) and SAFE_REQUEST_ID.fullmatch(request_id):
        return request_id
    return uuid.uuid4().hex


def gateway_request_id(scope: Scope) -> object:
    event = scope.get("aws.event")
    context = event.get("requestContext") if isinstance(event, dict) else None
    return context.get("requestId") if isinstance(context, dict) else None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from_scope(scope)
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        counters = {"status": 500, "bytes_in": 0, "bytes_out": 0, "started": False}
        start = time.perf_counter()

        async def counting_receive() -> Message:
            message = await receive()
            counters["bytes_in"] += len(message.get("body", b""))
            return message

        async def tagging_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                counters["status"], counters["started"] = message["status"], True
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            elif message["type"] == "http.response.body":
                counters["bytes_out"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, tagging_send)
        except Exception as error:
            if counters["started"]:
                raise  # too late for a clean error response; the server closes the connection
            status, body = error_payload(error, request_id)
            state["error_code"] = body["error"]["code"]
            await JSONResponse(body, status_code=status)(scope, receive, tagging_send)
        finally:
            _log_request(scope, state, counters, (time.perf_counter() - start) * 1000.0)


def _log_request(scope: Scope, state: dict[str, Any], counters: dict[str, Any], elapsed_ms: float) -> None:
    context = scope.get("aws.context")
    fields: dict[str, Any] = {
        "request_id": state["request_id"],
        "method": scope.get("method"),
        "path": scope.get("path"),
        "status": counters["status"],
        "bytes_in": counters["bytes_in"],
        "bytes_out": counters["bytes_out"],
        "duration_ms": round(elapsed_ms, 1),
    }
    if context is not None and getattr(context, "aws_request_id", None):
        fields["lambda_request_id"] = context.aws_request_id
    original = gateway_request_id(scope)
    if original is not None and original != state["request_id"]:
        fields["gateway_request_id"] = ascii(original)[:200]  # refused as unsafe: logged escaped
    if "error_code" in state:
        fields["error_code"] = state["error_code"]
    fields.update(state.get("log_fields", {}))
    log.info("request", extra=fields)
