"""Exports (`format=`): text, Markdown, JSON Lines and a searchable PDF, each parsed back."""

from __future__ import annotations

import json

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient

from bench.kit.render import encode, render_page
from bench.scoring import normalise
from handler.app import create_app
from handler.settings import Settings
from tests.helpers.pdfs import pdf_text, text_pdf

LINES = ("营业时间 Opening Hours", "周一至周五 Monday to Friday", "Price *special* #1")
PAGE = encode(render_page(LINES))


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def export(
    client: TestClient, data: bytes, output: str, name: str = "p.png", kind: str = "image/png"
) -> bytes:
    response = client.post("/ocr", params={"format": output}, files={"image": (name, data, kind)})
    assert response.status_code == 200, response.text
    return response.content


@pytest.fixture(scope="module")
def answer(client: TestClient) -> dict:
    return client.post("/ocr", files={"image": ("p.png", PAGE, "image/png")}).json()


def test_format_text_is_the_answers_text(client: TestClient, answer: dict) -> None:
    assert export(client, PAGE, "text").decode("utf-8") == answer["text"] + "\n"
    assert [normalise(t) for t in answer["text"].split("\n")] == [normalise(t) for t in LINES]


def test_format_markdown_keeps_lines_and_escapes_markup(client: TestClient, answer: dict) -> None:
    markdown = export(client, PAGE, "markdown").decode("utf-8")
    assert markdown.splitlines()[0].rstrip() == answer["results"][0]["text"]
    assert "Price \\*special\\* #1" in markdown


def test_format_markdown_has_a_section_per_page(client: TestClient) -> None:
    document = text_pdf([[("Alpha page", 40, 240, 18)], [("Beta page", 40, 240, 18)]])
    markdown = export(client, document, "markdown", "d.pdf", "application/pdf").decode("utf-8")
    assert markdown == "## Page 1\n\nAlpha page\n\n## Page 2\n\nBeta page\n"


def test_format_jsonl_has_one_record_per_line(client: TestClient, answer: dict) -> None:
    records = [json.loads(row) for row in export(client, PAGE, "jsonl").decode("utf-8").splitlines()]
    assert [record["text"] for record in records] == [line["text"] for line in answer["results"]]
    assert [record["line"] for record in records] == list(range(len(records)))
    assert all(record["block"] is not None and len(record["box"]) == 4 for record in records)


def test_format_pdf_text_layer_holds_the_recognized_text(client: TestClient, answer: dict) -> None:
    data = export(client, PAGE, "pdf")
    assert data.startswith(b"%PDF-")
    assert pdf_text(data)[0].split("\r\n") == [line["text"] for line in answer["results"]]


def test_format_pdf_places_each_line_over_its_box(client: TestClient, answer: dict) -> None:
    document = pdfium.PdfDocument(export(client, PAGE, "pdf"))
    page = document[0]
    width_pt, height_pt = page.get_size()
    scale = width_pt / answer["pages"][0]["width"]
    textpage = page.get_textpage()
    index = 0
    for line in answer["results"]:
        (x0, y0), (x1, y1) = line["box"][0], line["box"][2]
        left, _, _, top = textpage.get_charbox(index, loose=True)
        assert x0 * scale - 2 <= left <= x1 * scale
        assert height_pt - y1 * scale - 2 <= top <= height_pt - y0 * scale + 2
        index += len(line["text"]) + 2  # PDFium separates lines with \r\n
    textpage.close()
    page.close()
    document.close()


def test_format_pdf_over_the_answer_limit_returns_413() -> None:
    small = TestClient(create_app(Settings(max_bytes=60_000)))
    pages = [[(f"Page {n}", 40, 700, 18)] for n in range(1, 5)]
    document = text_pdf(pages, size=(595, 842))  # 2 KB in, four A4 page images out
    response = small.post(
        "/ocr", params={"format": "pdf"}, files={"file": ("d.pdf", document, "application/pdf")}
    )
    assert response.status_code == 413
    assert "fewer pages" in response.json()["error"]["message"]


def test_exports_carry_the_warning_codes_in_a_header(client: TestClient) -> None:
    document = text_pdf([[("Alpha page", 40, 240, 18)]])
    response = client.post(
        "/ocr", params={"format": "text"}, files={"file": ("d.pdf", document, "application/pdf")}
    )
    assert response.headers["x-ocr-warnings"] == "text_layer_used"
    assert response.text == "Alpha page\n"


def test_unknown_format_returns_400(client: TestClient) -> None:
    response = client.post("/ocr", params={"format": "docx"}, files={"image": ("p.png", PAGE, "image/png")})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_option"
