"""warnings[]: present in every answer, and saying what a user should know about the result."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from bench.kit.render import encode, font, render_page
from handler.app import create_app
from handler.settings import Settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def answer(client: TestClient, data: bytes) -> dict:
    response = client.post("/ocr", files={"image": ("p.png", data, "image/png")})
    assert response.status_code == 200, response.text
    return response.json()


def test_plain_page_answers_an_empty_warning_list(client: TestClient) -> None:
    assert answer(client, encode(render_page(["Nothing unusual here"])))["warnings"] == []


def test_faint_text_warns_low_contrast(client: TestClient) -> None:
    image = Image.new("RGB", (700, 160), (200, 200, 200))
    ImageDraw.Draw(image).text((40, 50), "Faint grey text", font=font(40), fill=(160, 160, 160))
    body = answer(client, encode(image))
    assert [(w["code"], w["page"]) for w in body["warnings"]] == [("low_contrast", 1)]


def test_large_page_warns_that_detection_ran_downscaled(client: TestClient) -> None:
    image = render_page(["Small text on a big page"], size=40, width=3000)
    image = image.resize((3000, 2200))
    body = answer(client, encode(image, "JPEG", quality=70))
    assert "image_downscaled" in [warning["code"] for warning in body["warnings"]]
