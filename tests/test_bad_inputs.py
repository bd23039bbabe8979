"""The bad-input matrix: every hostile file through POST /ocr (TestClient, raw body, the real
Mangum handler) and through the S3 trigger (moto), each with the status and code it must get.

The files come from bench/kit/bad_inputs.py. Nothing may answer 500: a bad input is the client's
fault and gets a 4xx with the one error JSON shape, a strange-but-valid file gets a 200.
Request-shape cases (wrong field, two files, a body over the limit, a wrong content type) are
separate, since they have no S3 counterpart. The last section checks that the limits refuse
before the expensive step, by counting calls into Pillow and PDFium.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pypdfium2
import pytest
from fastapi.testclient import TestClient
from PIL import ImageFile

from bench.kit.bad_inputs import CASES, CASES_BY_NAME, BadInput, line_png
from bench.kit.events import call_api, load_event, multipart, s3_event_for, with_body, with_query
from bench.kit.raw_pdfs import PDF_PASSWORD, encrypted_pdf, many_pages_pdf
from handler import s3_trigger
from handler.api import handler
from handler.app import create_app
from handler.errors import status_for_code
from handler.settings import Settings
from ocr_core.errors import InputTooLargeError
from ocr_core.input.decode import decode
from ocr_core.input.pdf_process import WORKER
from ocr_core.limits import Limits
from tests.helpers.aws import moto_bucket

BUCKET = "ocr-uploads-matrix"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()), raise_server_exceptions=False)


def check_answer(case: BadInput, status: int, body: dict[str, Any], request_id: str | None = None) -> None:
    """The answer `case` must get: its status, then the error JSON or a result of the right shape."""
    assert status == case.status, body
    if case.code is not None:
        assert body["success"] is False
        assert body["error"]["code"] == case.code
        assert body["error"]["message"] and "Traceback" not in body["error"]["message"]
        if request_id is not None:
            assert body["request_id"] == request_id
        return
    assert body["success"] is True
    if case.pages is not None:
        assert len(body["pages"]) == case.pages
    if case.empty:
        assert body["results"] == [] and body["text"] == ""
    for word in case.words:
        assert word in body["text"], body["text"]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_post_ocr_multipart_bad_input_gets_its_status(client: TestClient, case: BadInput) -> None:
    response = client.post(
        "/ocr", params=case.query, files={"image": (case.filename, case.data(), case.content_type)}
    )
    check_answer(case, response.status_code, response.json(), response.headers["x-request-id"])


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_post_ocr_raw_octet_stream_bad_input_gets_its_status(client: TestClient, case: BadInput) -> None:
    # No client-side type at all: the service must tell formats apart by their bytes alone.
    headers = {"content-type": "application/octet-stream"}
    response = client.post("/ocr", params=case.query, content=case.data(), headers=headers)
    check_answer(case, response.status_code, response.json(), response.headers["x-request-id"])


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_lambda_event_bad_input_gets_its_status(case: BadInput, version: str) -> None:
    event = load_event(f"apigw_{version}_multipart")
    body = multipart("image", case.filename, case.data(), case.content_type)
    event = with_body(event, body, "multipart/form-data; boundary=----TestBoundary0123456789")
    event = with_query(event, **case.query)
    response = call_api(handler, event)
    check_answer(case, response.status, response.json(), event["requestContext"]["requestId"])


# ---- the S3 trigger ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3() -> Iterator[Any]:
    with moto_bucket(BUCKET) as client:
        yield client


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_s3_trigger_bad_input_writes_its_result(s3: Any, case: BadInput) -> None:
    key = f"uploads/{case.name}/{case.filename}"
    metadata = {f"ocr-{name}": value for name, value in case.query.items()}
    put = s3.put_object(Bucket=BUCKET, Key=key, Body=case.data(), Metadata=metadata)
    event = s3_event_for(BUCKET, key, put["ETag"], len(case.data()))
    outcome = s3_trigger.process_event(event, s3, Settings(), "req-matrix")
    assert outcome == {("written" if case.code is None else "error_written"): 1}
    stored = json.loads(
        s3.get_object(Bucket=BUCKET, Key=f"results/{case.name}/{case.filename}.json")["Body"].read()
    )
    status = 200 if stored["success"] else status_for_code(stored["error"]["code"])
    check_answer(case, status, stored, "req-matrix")
    assert stored["source"]["key"] == key


# ---- request shapes ------------------------------------------------------------------------------

PNG = line_png()


def two_files_body() -> tuple[bytes, str]:
    boundary = "----TwoFiles"
    parts = b""
    for field, name in (("image", "a.png"), ("image", "b.png")):
        parts += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
                "Content-Type: image/png\r\n\r\n"
            ).encode()
            + PNG
            + b"\r\n"
        )
    return parts + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


REQUEST_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("wrong_field_name", {"files": {"photo": ("x.png", PNG, "image/png")}}, 400, "missing_file"),
    ("two_files_same_field", {"raw_multipart": two_files_body()}, 400, "invalid_request"),
    (
        "files_in_image_and_file",
        {"files": [("image", ("a.png", PNG, "image/png")), ("file", ("b.png", PNG, "image/png"))]},
        400,
        "invalid_request",
    ),
    ("no_body", {}, 400, "missing_file"),
    (
        "text_plain_body",
        {"content": b"hello", "headers": {"content-type": "text/plain"}},
        415,
        "unsupported_media_type",
    ),
    (
        "html_body",
        {"content": b"<html></html>", "headers": {"content-type": "text/html"}},
        415,
        "unsupported_media_type",
    ),
    (
        "multipart_without_boundary",
        {"content": b"--x\r\n\r\n", "headers": {"content-type": "multipart/form-data"}},
        400,
        "invalid_request",
    ),
    (
        "multipart_truncated",
        {
            "content": multipart("image", "x.png", PNG)[:300],
            "headers": {"content-type": "multipart/form-data; boundary=----TestBoundary0123456789"},
        },
        400,
        "missing_file",  # the cut-off part never completes, so the form holds no file
    ),
    (
        "json_not_object",
        {"content": b"[1, 2]", "headers": {"content-type": "application/json"}},
        400,
        "missing_file",
    ),
    (
        "bad_content_length",
        {"content": PNG, "headers": {"content-type": "image/png", "content-length": "lots"}},
        400,
        "invalid_request",
    ),
]


def send(client: TestClient, request: dict[str, Any]) -> Any:
    if "raw_multipart" in request:
        body, content_type = request["raw_multipart"]
        return client.post("/ocr", content=body, headers={"content-type": content_type})
    return client.post("/ocr", **request)


@pytest.mark.parametrize(
    ("name", "request_args", "status", "code"), REQUEST_CASES, ids=[c[0] for c in REQUEST_CASES]
)
def test_post_ocr_bad_request_shape_gets_its_status(
    client: TestClient, name: str, request_args: dict[str, Any], status: int, code: str
) -> None:
    response = send(client, request_args)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_post_ocr_body_over_limit_returns_413() -> None:
    small = TestClient(create_app(Settings(max_bytes=len(PNG) - 1)), raise_server_exceptions=False)
    for response in (
        small.post("/ocr", files={"image": ("x.png", PNG, "image/png")}),
        small.post("/ocr", content=PNG, headers={"content-type": "image/png"}),
    ):
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "input_too_large"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_lambda_event_two_files_returns_400(version: str) -> None:
    body, content_type = two_files_body()
    response = call_api(handler, with_body(load_event(f"apigw_{version}_multipart"), body, content_type))
    assert response.status == 400
    assert response.json()["error"]["code"] == "invalid_request"


# ---- limits act before the expensive step --------------------------------------------------------


@pytest.fixture
def pixel_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts Pillow's full decodes (`ImageFile.load`); opening reads headers only."""
    calls: list[str] = []
    original = ImageFile.ImageFile.load

    def counting_load(image: ImageFile.ImageFile) -> Any:
        calls.append(image.format or "?")
        return original(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    return calls


@pytest.fixture
def pdf_renders() -> Callable[[], int]:
    """Counts PDFium page renders since the test began (they happen in the PDF worker process)."""
    before = WORKER.pages_rendered
    return lambda: WORKER.pages_rendered - before


@pytest.mark.parametrize("name", ["png_bomb_50000x50000", "tiff_frames_bomb"])
def test_decode_pixel_bomb_refused_before_any_pixel_is_decoded(name: str, pixel_loads: list[str]) -> None:
    with pytest.raises(InputTooLargeError):
        decode(CASES_BY_NAME[name].data())
    assert pixel_loads == []


def test_decode_pdf_pages_over_pixel_total_refused_before_rendering(pdf_renders: Callable[[], int]) -> None:
    with pytest.raises(InputTooLargeError, match="pixels together"):
        decode(CASES_BY_NAME["pdf_huge_pages"].data())
    assert pdf_renders() == 0


def test_decode_long_pdf_renders_no_more_pages_than_the_cap(pdf_renders: Callable[[], int]) -> None:
    # Issue 8: without a selection, a document over the cap is read up to the cap (with a warning).
    pages = decode(many_pages_pdf(), Limits(max_pdf_pages=3))
    assert [page.number for page in pages] == [1, 2, 3]
    assert pdf_renders() == 3


def test_decode_long_pdf_with_selection_renders_only_selected_pages(pdf_renders: Callable[[], int]) -> None:
    pages = decode(many_pages_pdf(), pages=(1, -1))
    assert [page.number for page in pages] == [1, 500]
    assert pdf_renders() == 2


def test_decode_encrypted_pdf_is_really_encrypted() -> None:
    # The matrix's 422 must come from the encryption, not from a broken file: the password opens it.
    document = pypdfium2.PdfDocument(encrypted_pdf(), password=PDF_PASSWORD)
    try:
        assert len(document) == 1
        assert "Top secret" in document[0].get_textpage().get_text_range()
    finally:
        document.close()
