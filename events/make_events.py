"""Regenerate the sample Lambda events in events/ and the sample images in tests/data/.

Why a script: the events carry base64 bodies of a rendered image, so they are reproducible
from this file instead of being opaque blobs. The images are the kit's sample texts
(`bench/kit/events.py`) drawn by the kit's renderer (`bench/kit/render.py`, Noto Sans CJK from
Debian's fonts-noto-cjk), so invoking an event gives a known answer.
The shapes follow the payloads API Gateway and S3 actually deliver (HTTP API payload 2.0,
REST API payload 1.0, S3 notification 2.1, an SQS event source batch of one job chunk).
Usage (from the repository root): python -m events.make_events
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, urlencode

from bench.kit.events import DATA_DIR, EVENTS_DIR, LINE_TEXT, PAGE_LINES, multipart
from bench.kit.render import encode, render_line, render_page

BOUNDARY = "----OcrSampleBoundary7MA4YWxkTrZu0gW"
UPLOAD_KEY = "uploads/0b5c9d3e-7f1a-4c2b-9e8d-6a5f4b3c2d1e/你好 世界+1.png"
"""A key with a space, Chinese characters and a plus: the three things S3 encodes in events."""
UPLOAD_BUCKET = "ocr-uploads-example"

API_ID = "a1b2c3d4e5"
HOST = f"{API_ID}.execute-api.us-east-1.amazonaws.com"
SOURCE_IP = "203.0.113.7"
USER_AGENT = "curl/8.5.0"
TIME_EPOCH_MS = 1_764_072_000_000
TIME_TEXT = "25/Nov/2025:12:00:00 +0000"


def sample_images() -> tuple[bytes, bytes]:
    """The sample line and page as PNG files."""
    line = render_line(LINE_TEXT, size=40, margin=8)
    page = render_page(PAGE_LINES, size=36, width=800, spacing=2.2, margin=48)
    return encode(line, optimize=True), encode(page, optimize=True)


def http_api_event(
    name: str,
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str | None = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An HTTP API (payload format 2.0) request as API Gateway hands it to Lambda."""
    route = f"{method} {path}"
    headers = {
        "accept": "*/*",
        "host": HOST,
        "user-agent": USER_AGENT,
        "x-amzn-trace-id": "Root=1-6925a0c0-0123456789abcdef01234567",
        "x-forwarded-for": SOURCE_IP,
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    if body is not None:
        headers["content-length"] = str(len(body))
        headers["content-type"] = content_type or "application/octet-stream"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route,
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": headers,
    }
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = {
        "accountId": "123456789012",
        "apiId": API_ID,
        "domainName": HOST,
        "domainPrefix": API_ID,
        "http": {
            "method": method,
            "path": path,
            "protocol": "HTTP/1.1",
            "sourceIp": SOURCE_IP,
            "userAgent": USER_AGENT,
        },
        "requestId": base64.b64encode(digest(name)[:11]).decode(),  # HTTP APIs use short ids
        "routeKey": route,
        "stage": "$default",
        "time": TIME_TEXT,
        "timeEpoch": TIME_EPOCH_MS,
    }
    if body is not None:
        # HTTP APIs base64-encode every body that is not text; JSON arrives as plain text.
        binary = not (content_type or "").startswith("application/json")
        event["body"] = base64.b64encode(body).decode() if binary else body.decode()
        event["isBase64Encoded"] = binary
    else:
        event["isBase64Encoded"] = False
    return event


def rest_api_event(
    name: str,
    method: str,
    path: str,
    body: bytes | None = None,
    content_type: str | None = None,
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API (payload format 1.0) request, with binary media types `*/*` enabled on the API."""
    headers = {
        "Accept": "*/*",
        "CloudFront-Forwarded-Proto": "https",
        "Host": HOST,
        "User-Agent": USER_AGENT,
        "X-Amzn-Trace-Id": "Root=1-6925a0c0-76543210fedcba9876543210",
        "X-Forwarded-For": SOURCE_IP,
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    }
    if body is not None:
        headers["Content-Length"] = str(len(body))
        headers["Content-Type"] = content_type or "application/octet-stream"
    binary = body is not None and not (content_type or "").startswith("application/json")
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": API_ID,
            "domainName": HOST,
            "domainPrefix": API_ID,
            "extendedRequestId": "Vx3kPFhXoAMEcRg=",
            "httpMethod": method,
            "identity": {"sourceIp": SOURCE_IP, "userAgent": USER_AGENT},
            "path": f"/Prod{path}",
            "protocol": "HTTP/1.1",
            "requestId": str(uuid.UUID(bytes=digest(name)[:16])),  # REST APIs use uuids
            "requestTime": TIME_TEXT,
            "requestTimeEpoch": TIME_EPOCH_MS,
            "resourceId": "x1y2z3",
            "resourcePath": path,
            "stage": "Prod",
        },
        "body": None if body is None else (base64.b64encode(body).decode() if binary else body.decode()),
        "isBase64Encoded": binary,
    }


def s3_put_event(key: str, data: bytes, bucket: str = UPLOAD_BUCKET) -> dict[str, Any]:
    """An S3 ObjectCreated notification; S3 URL-encodes the key (space -> '+', '+' -> '%2B')."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": "2025-11-25T12:00:00.000Z",
                "eventName": "ObjectCreated:Post",
                "userIdentity": {"principalId": "AWS:AROAEXAMPLEROLEID:ocr-api"},
                "requestParameters": {"sourceIPAddress": SOURCE_IP},
                "responseElements": {
                    "x-amz-request-id": "C3D13FE58DE4C810",
                    "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
                },
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "ocr-upload-trigger",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "A3NL1KOZZKEXAMPLE"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {
                        "key": quote_plus(key, safe="/"),
                        "size": len(data),
                        "eTag": hashlib.md5(data).hexdigest(),  # single-part uploads: the MD5
                        "sequencer": "0067454A1B2C3D4E5F",
                    },
                },
            }
        ]
    }


JOB_UPLOAD_KEY = "uploads/0b5c9d3e-7f1a-4c2b-9e8d-6a5f4b3c2d1e/scan.pdf"
JOB_ETAG = "9a0364b9e99bb480dd25e1f0284c8555"
CHUNK_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:ocr-chunks"


def sqs_chunk_event() -> dict[str, Any]:
    """What the SQS event source hands the job worker: one message, the first chunk of a job."""
    rest = JOB_UPLOAD_KEY.removeprefix("uploads/")
    body = {
        "bucket": UPLOAD_BUCKET,
        "key": JOB_UPLOAD_KEY,
        "etag": JOB_ETAG,
        "chunk": 0,
        "chunks": 3,
        "pages": [1, 2, 3, 4, 5, 6, 7, 8],
        "part": f"jobs/{rest}/{JOB_ETAG}/parts/00000.pdf",
        "options": {"model": "accurate"},
    }
    text = json.dumps(body, ensure_ascii=False)
    return {
        "Records": [
            {
                "messageId": str(uuid.UUID(bytes=digest("sqs_chunk")[:16])),
                "receiptHandle": base64.b64encode(digest("sqs_chunk receipt")).decode(),
                "body": text,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": str(TIME_EPOCH_MS),
                    "SenderId": "AROAEXAMPLEROLEID:ocr-upload-trigger",
                    "ApproximateFirstReceiveTimestamp": str(TIME_EPOCH_MS + 40),
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(text.encode()).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": CHUNK_QUEUE_ARN,
                "awsRegion": "us-east-1",
            }
        ]
    }


def digest(text: str) -> bytes:
    """Stable bytes from text, so regenerated events keep their request ids."""
    return hashlib.sha256(text.encode()).digest()


def api_events(line: bytes, page: bytes) -> dict[str, dict[str, Any]]:
    form = multipart("image", "sample_line.png", line, boundary=BOUNDARY)
    wrong_field = multipart("photo", "sample_line.png", line, boundary=BOUNDARY)
    as_json = json.dumps({"image": base64.b64encode(line).decode()}).encode()
    ctype = f"multipart/form-data; boundary={BOUNDARY}"
    events: dict[str, dict[str, Any]] = {}
    for version, build in (("v2", http_api_event), ("v1", rest_api_event)):
        for kind, method, path, body, content_type, query in (
            ("multipart", "POST", "/ocr", form, ctype, {"mode": "auto"}),
            ("binary", "POST", "/ocr", line, "image/png", None),
            ("json", "POST", "/ocr", as_json, "application/json", None),
            ("missing_field", "POST", "/ocr", wrong_field, ctype, None),
            ("health", "GET", "/health", None, None, None),
        ):
            name = f"apigw_{version}_{kind}"
            events[name] = build(name, method, path, body, content_type, query)
    page_form = multipart("image", "sample_page.png", page, boundary=BOUNDARY)
    events["apigw_v2_page"] = http_api_event(
        "apigw_v2_page", "POST", "/ocr", page_form, ctype, {"mode": "page"}
    )
    return events


def main(events_dir: Path = EVENTS_DIR, data_dir: Path = DATA_DIR) -> None:
    line, page = sample_images()
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "sample_line.png").write_bytes(line)
    (data_dir / "sample_page.png").write_bytes(page)
    events = {
        **api_events(line, page),
        "s3_put": s3_put_event(UPLOAD_KEY, line),
        "sqs_chunk": sqs_chunk_event(),
    }
    for name, event in events.items():
        text = json.dumps(event, ensure_ascii=False, indent=2) + "\n"
        (events_dir / f"{name}.json").write_text(text, encoding="utf-8")
    print(f"wrote {len(events)} events to {events_dir} and 2 images to {data_dir}")


if __name__ == "__main__":
    main()
