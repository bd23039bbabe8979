"""The sample events from events/ through the real Lambda entry point, `handler.api.handler` (Mangum).

This is what API Gateway does in production: base64 bodies, v1 and v2 payload shapes, the
request id from the request context, the JSON the original service's clients expect.
"""

from __future__ import annotations

import base64
import json
from io import BytesIO

import pytest
from PIL import Image

from bench.kit.events import (
    PAGE_TEXT,
    READ_TEXT,
    call_api,
    load_event,
    sample_bytes,
    with_body,
    with_multipart,
    with_query,
)
from bench.scoring import normalise
from handler.api import handler
from ocr_core.models.sessions import loaded_sessions

VERSIONS = ("v1", "v2")
OCR_KEYS = {
    *("success", "results", "text", "pages", "model", "timings_ms", "total_time_ms", "request_id"),
    *("blocks", "warnings", "cached"),
}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("kind", ["multipart", "binary", "json"])
def test_event_ocr_reads_rendered_line_exactly(version: str, kind: str) -> None:
    event = load_event(f"apigw_{version}_{kind}")
    response = call_api(handler, event)
    assert response.status == 200
    body = response.json()
    assert set(body) == OCR_KEYS
    assert body["success"] is True
    assert normalise(body["text"]) == READ_TEXT
    assert [normalise(line["text"]) for line in body["results"]] == [READ_TEXT]
    assert 0.5 < body["results"][0]["confidence"] <= 1.0
    assert body["model"]["preset"] == "accurate"
    assert body["total_time_ms"] >= 0 and body["timings_ms"]


@pytest.mark.parametrize("version", VERSIONS)
def test_event_request_id_comes_from_api_gateway(version: str) -> None:
    event = load_event(f"apigw_{version}_binary")
    response = call_api(handler, event)
    request_id = event["requestContext"]["requestId"]
    assert response.json()["request_id"] == request_id
    assert response.headers["x-request-id"] == request_id


@pytest.mark.parametrize("version", VERSIONS)
def test_event_binary_body_arrives_intact(version: str) -> None:
    # A PNG starts with \x89PNG\r\n\x1a\n: any text decoding or newline rewriting on the way breaks
    # it, so a successful read with the right size proves the bytes arrived unchanged.
    png = sample_bytes()
    event = load_event(f"apigw_{version}_binary")
    assert base64.b64decode(event["body"]) == png
    response = call_api(handler, event)
    width, height = Image.open(BytesIO(png)).size
    assert response.json()["pages"] == [{"page": 1, "width": width, "height": height, "mode": "line"}]


@pytest.mark.parametrize("version", VERSIONS)
def test_event_jpeg_body_reads_line(version: str) -> None:
    buffer = BytesIO()
    Image.open(BytesIO(sample_bytes())).convert("RGB").save(buffer, format="JPEG", quality=95)
    event = with_body(load_event(f"apigw_{version}_binary"), buffer.getvalue(), "image/jpeg")
    response = call_api(handler, event)
    assert response.status == 200
    assert normalise(response.json()["text"]) == READ_TEXT


def test_event_page_reads_three_lines_in_order() -> None:
    response = call_api(handler, load_event("apigw_v2_page"))
    body = response.json()
    assert response.status == 200
    # Word order and characters are exact; spacing after punctuation ("Tel: 010") is the
    # recognizers' known gap, measured and handled by the English-spacing work, not here.
    assert body["text"].replace(" ", "") == PAGE_TEXT.replace(" ", "")
    assert [line["page"] for line in body["results"]] == [1, 1, 1]
    tops = [line["box"][0][1] for line in body["results"]]
    assert tops == sorted(tops)


@pytest.mark.parametrize("version", VERSIONS)
def test_event_missing_field_returns_400(version: str) -> None:
    event = load_event(f"apigw_{version}_missing_field")
    response = call_api(handler, event)
    assert response.status == 400
    assert response.json() == {
        "success": False,
        "error": {"code": "missing_file", "message": response.json()["error"]["message"]},
        "request_id": event["requestContext"]["requestId"],
    }
    assert "image" in response.json()["error"]["message"]


@pytest.mark.parametrize("version", VERSIONS)
def test_event_file_field_is_accepted_like_image(version: str) -> None:
    event = with_multipart(
        load_event(f"apigw_{version}_multipart"), "file", "x.png", sample_bytes(), "image/png"
    )
    response = call_api(handler, event)
    assert response.status == 200
    assert normalise(response.json()["text"]) == READ_TEXT


@pytest.mark.parametrize("version", VERSIONS)
def test_event_health_returns_ok_and_json(version: str) -> None:
    before = loaded_sessions()
    response = call_api(handler, load_event(f"apigw_{version}_health"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["models_loaded"] == before
    assert loaded_sessions() == before  # /health never loads a model
    assert "accurate" in body["presets"]


@pytest.mark.parametrize("version", VERSIONS)
def test_event_non_image_returns_415(version: str) -> None:
    event = with_body(load_event(f"apigw_{version}_binary"), b"<html>not an image</html>", "image/png")
    response = call_api(handler, event)
    assert response.status == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_event_text_content_type_returns_415() -> None:
    event = with_body(load_event("apigw_v2_binary"), b"hello", "text/plain")
    assert call_api(handler, event).status == 415


def test_event_truncated_png_returns_422() -> None:
    event = with_body(load_event("apigw_v2_binary"), sample_bytes()[:400], "image/png")
    response = call_api(handler, event)
    assert response.status == 422
    assert response.json()["error"]["code"] == "invalid_image"


def test_event_bad_mode_returns_400() -> None:
    event = with_query(load_event("apigw_v1_multipart"), mode="sideways")
    response = call_api(handler, event)
    assert response.status == 400
    assert response.json()["error"]["code"] == "invalid_option"


def test_event_model_query_selects_preset() -> None:
    event = with_query(load_event("apigw_v2_multipart"), model="crnn", mode="line")
    body = call_api(handler, event).json()
    assert body["model"]["preset"] == "crnn"
    assert body["pages"][0]["mode"] == "line"
    assert normalise(body["text"]) == READ_TEXT


def test_event_logs_one_json_line_without_image_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    event = load_event("apigw_v2_binary")
    call_api(handler, event)
    out = capsys.readouterr().out
    records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    requests = [r for r in records if r.get("message") == "request"]
    assert len(requests) == 1
    entry = requests[0]
    assert entry["request_id"] == event["requestContext"]["requestId"]
    assert entry["status"] == 200
    assert entry["bytes_in"] == len(sample_bytes()) == entry["file_bytes"]
    assert set(entry["timings_ms"]) >= {"decode", "recognize"}
    assert entry["lambda_request_id"]
    assert event["body"][:64] not in out


def test_event_unknown_route_returns_404_error_json() -> None:
    event = load_event("apigw_v2_health")
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/nowhere"
    response = call_api(handler, event)
    assert response.status == 404
    assert response.json()["success"] is False
    assert response.json()["error"]["code"] == "not_found"
