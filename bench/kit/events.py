"""The real sample events in events/, variants derived from them, and calling a handler.

Tests never inline an 80-line event: they load one of the files `events/make_events.py` wrote
(from the sample texts defined here) and change only what the test is about (body, query,
path), so every event keeps a real shape.
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

from bench.scoring import normalise
from handler.invoke import LocalContext

ROOT = Path(__file__).resolve().parents[2]
EVENTS_DIR = ROOT / "events"
DATA_DIR = ROOT / "tests" / "data"
LINE_TEXT = "你好世界 Hello 2024"
"""What events/make_events.py renders into tests/data/sample_line.png and the API events."""
PAGE_LINES = ("营业时间 Opening Hours", "周一至周五 Monday to Friday", "电话 Tel: 010-8888 6666")
"""What events/make_events.py renders into tests/data/sample_page.png."""
PAGE_TEXT = "\n".join(PAGE_LINES)
READ_TEXT = normalise(LINE_TEXT)
"""What a correct reading of the sample line equals under the scoring rule (`bench.scoring`)."""
BOUNDARY = "----TestBoundary0123456789"


def load_event(name: str) -> dict[str, Any]:
    """A fresh copy of events/<name>.json."""
    return json.loads((EVENTS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def sample_bytes(name: str = "sample_line.png") -> bytes:
    return (DATA_DIR / name).read_bytes()


def is_v2(event: dict[str, Any]) -> bool:
    return event.get("version") == "2.0"


def with_body(event: dict[str, Any], body: bytes, content_type: str | None) -> dict[str, Any]:
    """The event with another body, base64-encoded as API Gateway does for binary payloads."""
    event = copy.deepcopy(event)
    headers = {"content-length": str(len(body))}
    if content_type is not None:
        headers["content-type"] = content_type
    _set_headers(event, headers, drop=() if content_type else ("content-type",))
    event["body"] = base64.b64encode(body).decode()
    event["isBase64Encoded"] = True
    return event


def with_multipart(
    event: dict[str, Any], field: str, filename: str, data: bytes, ctype: str
) -> dict[str, Any]:
    return with_body(
        event, multipart(field, filename, data, ctype), f"multipart/form-data; boundary={BOUNDARY}"
    )


def with_query(event: dict[str, Any], **params: str) -> dict[str, Any]:
    event = copy.deepcopy(event)
    if is_v2(event):
        event["rawQueryString"] = urlencode(params)
        event["queryStringParameters"] = params or None
    else:
        event["queryStringParameters"] = params or None
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in params.items()} or None
    return event


def with_route(event: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """The event sent to another method and path (route keys and request context follow)."""
    event = copy.deepcopy(event)
    if is_v2(event):
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
        event["requestContext"]["http"]["method"] = method
        event["routeKey"] = event["requestContext"]["routeKey"] = f"{method} {path}"
    else:
        event["path"] = event["resource"] = event["requestContext"]["resourcePath"] = path
        event["httpMethod"] = event["requestContext"]["httpMethod"] = method
        event["requestContext"]["path"] = f"/{event['requestContext']['stage']}{path}"
    return event


def multipart(
    field: str, filename: str, data: bytes, content_type: str = "image/png", boundary: str = BOUNDARY
) -> bytes:
    """A multipart/form-data body holding one file."""
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode()


def _set_headers(event: dict[str, Any], headers: dict[str, str], drop: tuple[str, ...] = ()) -> None:
    if is_v2(event):
        current = {k: v for k, v in event["headers"].items() if k not in drop}
        event["headers"] = {**current, **headers}
        return
    names = {name.lower(): name for name in event["headers"]}
    for lower in drop:
        event["headers"].pop(names.get(lower, lower), None)
        (event.get("multiValueHeaders") or {}).pop(names.get(lower, lower), None)
    for lower, value in headers.items():
        name = names.get(lower, "-".join(part.capitalize() for part in lower.split("-")))
        event["headers"][name] = value
        if event.get("multiValueHeaders") is not None:
            event["multiValueHeaders"][name] = [value]


def s3_event_for(bucket: str, key: str, etag: str, size: int) -> dict[str, Any]:
    """events/s3_put.json for another object, with the key URL-encoded the way S3 sends it."""
    event = load_event("s3_put")
    record = event["Records"][0]
    record["s3"]["bucket"].update(name=bucket, arn=f"arn:aws:s3:::{bucket}")
    record["s3"]["object"].update(key=quote_plus(key, safe="/"), eTag=etag.strip('"'), size=size)
    return event


@dataclass(frozen=True)
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call_api(handler: Any, event: dict[str, Any]) -> ApiResponse:
    """Invoke a Mangum handler like Lambda does and decode what it returns."""
    raw = handler(event, LocalContext())
    body = raw.get("body") or ""
    data = base64.b64decode(body) if raw.get("isBase64Encoded") else body.encode("utf-8")
    headers = {k.lower(): v for k, v in (raw.get("headers") or {}).items()}
    for name, values in (raw.get("multiValueHeaders") or {}).items():
        headers[name.lower()] = ", ".join(values)
    return ApiResponse(int(raw["statusCode"]), headers, data)
