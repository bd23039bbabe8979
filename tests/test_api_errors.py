"""Every error status and every limit of the API, through FastAPI's TestClient.

Small limits come from an explicit `Settings(...)`, the same way the environment sets them in
Lambda. Each failure must be the one error JSON shape with the status the table in
`handler.errors` gives its type, and never leak a traceback.
"""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

import ocr_core.errors
from bench.kit.events import READ_TEXT, sample_bytes
from bench.scoring import normalise
from handler.app import create_app
from handler.engine import get_engine
from handler.errors import STATUS_BY_ERROR, status_for
from handler.settings import Settings
from ocr_core import OcrError

PNG = sample_bytes()


def client_for(**settings: Any) -> TestClient:
    return TestClient(create_app(Settings(**settings)), raise_server_exceptions=False)


@pytest.fixture
def client() -> TestClient:
    return client_for()


def post_image(
    client: TestClient, data: bytes, name: str = "x.png", ctype: str = "image/png", **query: str
) -> Any:
    return client.post("/ocr", params=query, files={"image": (name, data, ctype)})


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body == {
        "success": False,
        "error": {"code": code, "message": body["error"]["message"]},
        "request_id": response.headers["x-request-id"],
    }
    assert body["error"]["message"]
    assert "Traceback" not in response.text
    return body


def pdf_with_pages(count: int) -> bytes:
    pages = [Image.new("RGB", (200, 100), "white") for _ in range(count)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def test_post_ocr_multipart_returns_200_with_text(client: TestClient) -> None:
    response = post_image(client, PNG)
    assert response.status_code == 200
    assert normalise(response.json()["text"]) == READ_TEXT
    assert response.json()["request_id"] == response.headers["x-request-id"]


def test_post_ocr_raw_body_returns_200(client: TestClient) -> None:
    response = client.post("/ocr", content=PNG, headers={"content-type": "image/png"})
    assert response.status_code == 200
    assert normalise(response.json()["text"]) == READ_TEXT


def test_post_ocr_non_image_returns_415(client: TestClient) -> None:
    assert_error(
        post_image(client, b"just some text\n", "a.txt", "text/plain"), 415, "unsupported_media_type"
    )


def test_post_ocr_raw_text_content_type_returns_415(client: TestClient) -> None:
    response = client.post("/ocr", content=b"hello", headers={"content-type": "text/plain"})
    assert_error(response, 415, "unsupported_media_type")


def test_post_ocr_urlencoded_body_returns_415(client: TestClient) -> None:
    # What `curl --data-binary @photo.png` sends without -H: the message says how to send instead.
    response = client.post("/ocr", content=PNG, headers={"content-type": "application/x-www-form-urlencoded"})
    assert "image=@" in assert_error(response, 415, "unsupported_media_type")["error"]["message"]


def test_post_ocr_empty_file_returns_400(client: TestClient) -> None:
    assert_error(post_image(client, b""), 400, "empty_input")


def test_post_ocr_missing_field_returns_400(client: TestClient) -> None:
    response = client.post("/ocr", files={"photo": ("x.png", PNG, "image/png")})
    assert_error(response, 400, "missing_file")


def test_post_ocr_no_body_returns_400(client: TestClient) -> None:
    assert_error(client.post("/ocr"), 400, "missing_file")


def test_post_ocr_json_base64_returns_200(client: TestClient) -> None:
    data_url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    response = client.post("/ocr", json={"image": data_url})
    assert response.status_code == 200
    assert normalise(response.json()["text"]) == READ_TEXT


def test_post_ocr_json_bad_base64_returns_400(client: TestClient) -> None:
    assert_error(client.post("/ocr", json={"image": "not base64!"}), 400, "invalid_request")


def test_post_ocr_json_without_image_returns_400(client: TestClient) -> None:
    assert_error(client.post("/ocr", json={"picture": "AAAA"}), 400, "missing_file")


def test_post_ocr_malformed_json_returns_400(client: TestClient) -> None:
    response = client.post("/ocr", content=b"{not json", headers={"content-type": "application/json"})
    assert_error(response, 400, "invalid_request")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"mode": "sideways"}, "invalid_option"),
        ({"model": "huge"}, "invalid_option"),
        ({"pages": "x-y"}, "invalid_option"),
    ],
)
def test_post_ocr_bad_query_returns_400(client: TestClient, query: dict[str, str], code: str) -> None:
    assert_error(post_image(client, PNG, **query), 400, code)


def test_post_ocr_pages_outside_document_returns_400(client: TestClient) -> None:
    response = post_image(client, pdf_with_pages(2), "d.pdf", "application/pdf", pages="5")
    assert_error(response, 400, "invalid_option")


def test_post_ocr_file_over_max_bytes_returns_413() -> None:
    client = client_for(max_bytes=len(PNG) - 1)
    body = assert_error(post_image(client, PNG), 413, "input_too_large")
    assert "/uploads" in body["error"]["message"]


def test_post_ocr_raw_body_over_max_bytes_returns_413() -> None:
    client = client_for(max_bytes=len(PNG) - 1)
    response = client.post("/ocr", content=PNG, headers={"content-type": "image/png"})
    assert_error(response, 413, "input_too_large")


def test_post_ocr_chunked_body_over_limit_returns_413() -> None:
    # No Content-Length (chunked): the bytes are counted as they arrive instead.
    client = client_for(max_bytes=1000)

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"\0" * 1000

    response = client.post("/ocr", content=chunks(), headers={"content-type": "image/png"})
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "input_too_large")


def test_post_ocr_declared_length_over_limit_returns_413_without_reading_body() -> None:
    app = create_app(Settings(max_bytes=1000))
    reads: list[int] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        reads.append(1)
        return {"type": "http.request", "body": b"\0" * 1000, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/ocr",
        "raw_path": b"/ocr",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"test"), (b"content-type", b"image/png"), (b"content-length", b"1000000000")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    loop = asyncio.new_event_loop()  # not asyncio.run: that unsets the main thread's loop Mangum uses
    try:
        loop.run_until_complete(app(scope, receive, send))
    finally:
        loop.close()
    assert sent[0]["status"] == 413
    assert reads == []


def test_post_ocr_pixels_over_limit_returns_413() -> None:
    assert_error(post_image(client_for(max_pixels=1000), PNG), 413, "input_too_large")


def test_post_ocr_side_over_limit_returns_413() -> None:
    assert_error(post_image(client_for(max_side=100), PNG), 413, "input_too_large")


def test_post_ocr_pdf_pages_over_limit_reads_first_pages_with_warning() -> None:
    response = post_image(client_for(max_pdf_pages=2), pdf_with_pages(3), "d.pdf", "application/pdf")
    assert response.status_code == 200
    body = response.json()
    assert [page["page"] for page in body["pages"]] == [1, 2]
    assert [warning["code"] for warning in body["warnings"]] == ["pages_truncated"]
    assert "pages=3" in body["warnings"][0]["message"]


def test_post_ocr_pdf_page_selection_over_limit_returns_413() -> None:
    response = post_image(
        client_for(max_pdf_pages=2), pdf_with_pages(3), "d.pdf", "application/pdf", pages="1-3"
    )
    assert_error(response, 413, "input_too_large")


def test_post_ocr_pdf_page_selection_within_limit_returns_200() -> None:
    response = post_image(
        client_for(max_pdf_pages=2), pdf_with_pages(3), "d.pdf", "application/pdf", pages="-1"
    )
    assert response.status_code == 200
    assert [page["page"] for page in response.json()["pages"]] == [3]


def test_post_ocr_corrupt_png_returns_422(client: TestClient) -> None:
    assert_error(post_image(client, PNG[: len(PNG) // 2]), 422, "invalid_image")


def test_post_ocr_models_missing_returns_503(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("OCR_MODEL_DIR", str(tmp_path))
    get_engine.cache_clear()  # engines read the model folder when built; build one for the empty folder
    try:
        assert_error(post_image(client_for(), PNG), 503, "model_not_ready")
    finally:
        get_engine.cache_clear()


def test_unexpected_error_returns_500_without_details(capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(Settings())

    @app.get("/explode")
    def explode() -> None:
        raise RuntimeError("secret detail /var/task/handler/api.py")

    response = TestClient(app, raise_server_exceptions=False).get("/explode")
    body = assert_error(response, 500, "internal_error")
    assert "secret" not in response.text
    assert body["request_id"]
    assert "secret detail" in capsys.readouterr().out  # the traceback is logged server-side


def test_get_ocr_returns_405_error_json(client: TestClient) -> None:
    assert_error(client.get("/ocr"), 405, "method_not_allowed")


def test_unknown_path_returns_404_error_json(client: TestClient) -> None:
    assert_error(client.get("/nowhere"), 404, "not_found")


def test_get_results_bad_id_returns_400(client: TestClient) -> None:
    assert_error(client_for(upload_bucket="b").get("/results/not-a-uuid"), 400, "invalid_request")


def test_post_uploads_without_bucket_returns_501(client: TestClient) -> None:
    assert_error(client.post("/uploads", json={"filename": "a.png"}), 501, "uploads_disabled")


def test_get_results_without_bucket_returns_501(client: TestClient) -> None:
    assert_error(client.get("/results/0b5c9d3e-7f1a-4c2b-9e8d-6a5f4b3c2d1e"), 501, "uploads_disabled")


def test_post_uploads_invalid_body_returns_400(client: TestClient) -> None:
    assert_error(client.post("/uploads", json={"size": -5}), 400, "invalid_request")


def test_error_table_covers_every_engine_error() -> None:
    engine_errors = [
        kind
        for kind in vars(ocr_core.errors).values()
        if isinstance(kind, type) and issubclass(kind, OcrError) and kind is not OcrError
    ]
    assert engine_errors
    missing = [kind.__name__ for kind in engine_errors if kind not in STATUS_BY_ERROR]
    assert missing == []
    assert status_for(OcrError("base")) == 500
    assert status_for(ValueError("x")) == 500
