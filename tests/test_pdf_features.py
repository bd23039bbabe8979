"""PDF documents: the text layer (`pdf_text`), passwords, page lists, and the page cap's warning."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from bench.kit.raw_pdfs import PDF_PASSWORD, encrypted_pdf
from handler.app import create_app
from handler.settings import Settings
from tests.helpers.pdfs import scanned_pdf, text_pdf

TITLE, BODY, SECOND = "Quarterly Report 2024", "Revenue grew by twelve percent", "Second page text"
DOCUMENT = text_pdf([[(TITLE, 40, 240, 20), (BODY, 40, 200, 14)], [(SECOND, 40, 240, 16)]])


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def post_pdf(client: TestClient, data: bytes, query: dict[str, str] | None = None, **form: str) -> dict:
    files = {"file": ("doc.pdf", data, "application/pdf")}
    response = client.post("/ocr", params=query or {}, data=form, files=files)
    assert response.status_code == 200, response.text
    return response.json()


def test_pdf_with_text_layer_returns_it_without_ocr(client: TestClient) -> None:
    body = post_pdf(client, DOCUMENT)
    assert [line["text"] for line in body["results"]] == [TITLE, BODY, SECOND]
    assert [page["mode"] for page in body["pages"]] == ["text", "text"]
    assert "recognize" not in body["timings_ms"] and "detect" not in body["timings_ms"]
    assert {(w["code"], w["page"]) for w in body["warnings"]} == {
        ("text_layer_used", 1),
        ("text_layer_used", 2),
    }
    assert all(line["confidence"] == 1.0 for line in body["results"])


def test_pdf_text_layer_boxes_are_in_rendered_pixels(client: TestClient) -> None:
    layer = post_pdf(client, DOCUMENT, {"pages": "1"})
    ocr = post_pdf(client, DOCUMENT, {"pages": "1", "pdf_text": "ocr"})
    assert [line["text"] for line in ocr["results"]] == [TITLE, BODY]
    for exact, read in zip(layer["results"], ocr["results"], strict=True):
        (x0, y0), (x1, y1) = exact["box"][0], exact["box"][2]
        cx = sum(x for x, _ in read["box"]) / 4
        cy = sum(y for _, y in read["box"]) / 4
        assert x0 <= cx <= x1 and y0 <= cy <= y1


def test_pdf_text_ocr_reads_the_rendered_page(client: TestClient) -> None:
    body = post_pdf(client, DOCUMENT, {"pdf_text": "ocr"})
    assert [line["text"] for line in body["results"]] == [TITLE, BODY, SECOND]
    assert [page["mode"] for page in body["pages"]] == ["page", "page"]


def test_pdf_text_only_on_a_scan_returns_no_lines_and_says_why(client: TestClient) -> None:
    body = post_pdf(client, scanned_pdf(1), {"pdf_text": "text"})
    assert body["results"] == []
    assert [warning["code"] for warning in body["warnings"]] == ["no_text_layer"]


def test_pdf_scan_without_text_layer_is_read_by_ocr(client: TestClient) -> None:
    body = post_pdf(client, scanned_pdf(1))
    assert [line["text"] for line in body["results"]] == ["Scanned page 1"]
    assert body["pages"][0]["mode"] == "page"


def test_password_pdf_opens_with_the_password_field(client: TestClient) -> None:
    body = post_pdf(client, encrypted_pdf("Top secret"), password=PDF_PASSWORD)
    assert body["text"] == "Top secret"


@pytest.mark.parametrize(("password", "message"), [(None, "needs a password"), ("wrong", "wrong")])
def test_password_pdf_without_the_right_password_returns_422(
    client: TestClient, password: str | None, message: str
) -> None:
    form = {"password": password} if password else {}
    response = client.post(
        "/ocr", data=form, files={"file": ("locked.pdf", encrypted_pdf(), "application/pdf")}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_image"
    assert message in response.json()["error"]["message"]


def test_pdf_page_list_with_negative_numbers_reads_those_pages_in_order(client: TestClient) -> None:
    body = post_pdf(client, scanned_pdf(3), {"pages": "-1,1"})
    assert [page["page"] for page in body["pages"]] == [3, 1]
    assert [line["text"] for line in body["results"]] == ["Scanned page 3", "Scanned page 1"]


def test_pdf_over_the_page_cap_is_read_up_to_it_with_a_warning() -> None:
    capped = TestClient(create_app(Settings(max_pdf_pages=2)))
    body = post_pdf(capped, scanned_pdf(3))
    assert [page["page"] for page in body["pages"]] == [1, 2]
    assert body["warnings"][0]["code"] == "pages_truncated"
    assert "3 pages" in body["warnings"][0]["message"]


def test_image_page_sizes_come_back_for_a_tiff(client: TestClient) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "white").save(buffer, format="TIFF")
    body = client.post("/ocr", files={"image": ("a.tif", buffer.getvalue(), "image/tiff")}).json()
    assert body["pages"] == [{"page": 1, "width": 300, "height": 100, "mode": "line"}]
    assert body["warnings"] == []
