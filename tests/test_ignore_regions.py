"""Ignore regions: rectangles (pixels or page fractions) whose text is skipped."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from bench.kit.render import encode, font
from handler.app import create_app
from handler.settings import Settings
from ocr_core.errors import InvalidOptionError
from ocr_core.layout.ignore_regions import IgnoreRegion, mask_regions, parse_regions
from tests.helpers.pdfs import text_pdf

HEADER, BODY, FOOTER = "CONFIDENTIAL DRAFT", "The body text stays", "Page 7 of 9"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def letter() -> bytes:
    """A 600 x 400 page: a header band at the top, body text, a footer in the bottom-right corner."""
    image = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 20), HEADER, font=font(30), fill="gray")
    draw.text((40, 180), BODY, font=font(30), fill="black")
    draw.text((420, 350), FOOTER, font=font(22), fill="black")
    return encode(image)


def texts(client: TestClient, data: bytes, **query: str) -> list[str]:
    response = client.post("/ocr", params=query, files={"image": ("p.png", data, "image/png")})
    assert response.status_code == 200, response.text
    return [line["text"] for line in response.json()["results"]]


def test_page_without_ignore_reads_every_line(client: TestClient) -> None:
    assert texts(client, letter()) == [HEADER, BODY, FOOTER]


def test_ignore_fraction_region_removes_the_header(client: TestClient) -> None:
    assert texts(client, letter(), ignore="0,0,1,0.2") == [BODY, FOOTER]


def test_ignore_pixel_regions_remove_header_and_footer(client: TestClient) -> None:
    assert texts(client, letter(), ignore="0,0,600,80;400,330,600,400") == [BODY]


def test_ignore_regions_in_a_json_body_as_lists(client: TestClient) -> None:
    payload = {"image": base64.b64encode(letter()).decode(), "ignore": [[0, 0, 1, 0.2], [0.6, 0.8, 1, 1]]}
    assert [line["text"] for line in client.post("/ocr", json=payload).json()["results"]] == [BODY]


def test_ignore_region_drops_pdf_text_layer_lines(client: TestClient) -> None:
    document = text_pdf([[(HEADER, 40, 270, 16), (BODY, 40, 150, 16)]])
    response = client.post(
        "/ocr", params={"ignore": "0,0,1,0.2"}, files={"file": ("d.pdf", document, "application/pdf")}
    )
    assert [line["text"] for line in response.json()["results"]] == [BODY]


@pytest.mark.parametrize("value", ["1,2,3", "5,5,1,1", "a,b,c,d", "-1,0,10,10", "0,0,nan,1"])
def test_parse_regions_refuses_a_bad_rectangle(value: str) -> None:
    with pytest.raises(InvalidOptionError):
        parse_regions(value)


def test_parse_regions_reads_fractions_and_pixels() -> None:
    fraction, pixels = parse_regions("0,0,1,0.1; 10,20,30,40")
    assert fraction == IgnoreRegion(0, 0, 1, 0.1, relative=True)
    assert pixels.pixels(100, 100) == (10, 20, 30, 40) and not pixels.relative
    assert fraction.pixels(600, 400) == (0, 0, 600, 40)


def test_mask_regions_paints_the_background_colour() -> None:
    image = np.full((50, 80, 3), 230, dtype=np.uint8)
    image[10:20, 10:20] = 0
    masked = mask_regions(image, parse_regions("0,0,40,40"))
    assert (masked[:40, :40] == 230).all() and image[15, 15, 0] == 0
