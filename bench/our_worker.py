"""Bench worker for our engine (runs in .venv): reads images as the service would, on request.

    python -m bench.our_worker [--via engine|handler] [--threads N]

``--via engine`` calls ``OcrEngine.run`` directly; a request may pick the preset
(``"preset": "fast"``) and ask for line crops to be read by the recognizer alone, without the
orientation classifier (``"recognizer_only_lines": true``, what the peer's line runs do).
``--via handler`` goes through the Lambda
entry point instead: each image becomes an API Gateway v2 multipart event for
``handler.api.handler``, exactly what a cold Lambda sees. See bench/worker_loop.py for the protocol.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402  (imports are timed from process start)
import base64  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402
from types import SimpleNamespace  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from bench.worker_loop import Reader, serve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EVENT_TEMPLATE = ROOT / "events" / "apigw_v2_multipart.json"
CONTENT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def engine_reader(threads: int) -> tuple[Reader, dict[str, Any]]:
    from ocr_core import OcrEngine, OcrOptions
    from ocr_core.models.presets import DEFAULT_PRESET

    engine = OcrEngine(threads=threads)

    def read(data: bytes, request: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
        mode = request.get("mode", "auto")
        orientation = not (mode == "line" and request.get("recognizer_only_lines"))
        options = OcrOptions(mode=mode, preset=request.get("preset"), orientation=orientation)
        result = engine.run(data, options)
        extra = {"stages": result.timings_ms, "preset": result.model.preset, "read_as": result.pages[0].mode}
        return [line.text for line in result.lines], extra

    return read, {"via": "engine", "default_preset": DEFAULT_PRESET}


def api_event(data: bytes, filename: str, query: dict[str, str]) -> dict[str, Any]:
    """An API Gateway HTTP API (v2) event posting `data` as multipart field `image` to /ocr."""
    boundary = f"bench{uuid.uuid4().hex}"
    content_type = CONTENT_TYPES.get(Path(filename).suffix.lower(), "application/octet-stream")
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    if EVENT_TEMPLATE.is_file():
        event = json.loads(EVENT_TEMPLATE.read_text(encoding="utf-8"))
    else:
        event = {
            "version": "2.0",
            "routeKey": "POST /ocr",
            "rawPath": "/ocr",
            "headers": {"host": "bench.execute-api.us-east-1.amazonaws.com", "user-agent": "bench"},
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "bench",
                "domainName": "bench.execute-api.us-east-1.amazonaws.com",
                "domainPrefix": "bench",
                "http": {
                    "method": "POST",
                    "path": "/ocr",
                    "protocol": "HTTP/1.1",
                    "sourceIp": "127.0.0.1",
                    "userAgent": "bench",
                },
                "requestId": "bench",
                "routeKey": "POST /ocr",
                "stage": "$default",
                "time": "01/Jan/2024:00:00:00 +0000",
                "timeEpoch": 1704067200000,
            },
        }
    headers = {
        k: v
        for k, v in event.get("headers", {}).items()
        if k.lower() not in ("content-type", "content-length")
    }
    headers["content-type"] = f"multipart/form-data; boundary={boundary}"
    headers["content-length"] = str(len(body))
    event.update(
        headers=headers,
        rawQueryString=urlencode(query),
        queryStringParameters=query or None,
        body=base64.b64encode(body).decode("ascii"),
        isBase64Encoded=True,
    )
    event["requestContext"]["requestId"] = uuid.uuid4().hex
    return event


def lambda_context() -> SimpleNamespace:
    return SimpleNamespace(
        function_name="ocr-bench",
        function_version="$LATEST",
        invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:ocr-bench",
        memory_limit_in_mb=2048,
        aws_request_id=uuid.uuid4().hex,
        log_group_name="/aws/lambda/ocr-bench",
        log_stream_name="bench",
        get_remaining_time_in_millis=lambda: 30_000,
    )


def handler_reader() -> tuple[Reader, dict[str, Any]]:
    from handler.api import handler

    def read(data: bytes, request: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
        query = {"mode": request.get("mode", "auto")}
        if request.get("preset"):
            query["model"] = request["preset"]
        response = handler(api_event(data, Path(request["path"]).name, query), lambda_context())
        body = response.get("body", "")
        if response.get("isBase64Encoded"):
            body = base64.b64decode(body).decode("utf-8")
        status = response.get("statusCode")
        if status != 200:
            raise RuntimeError(f"handler answered {status}: {body[:300]}")
        answer = json.loads(body)
        extra = {"stages": answer.get("timings_ms", {}), "preset": answer.get("model", {}).get("preset")}
        return [item["text"] for item in answer["results"]], extra

    return read, {"via": "handler"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--via", choices=("engine", "handler"), default="engine")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("OCR_THREADS", str(args.threads))
    read, info = handler_reader() if args.via == "handler" else engine_reader(args.threads)
    serve(read, STARTED, info)


if __name__ == "__main__":
    main()
