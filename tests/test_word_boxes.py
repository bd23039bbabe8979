"""Word and character boxes (`boxes=word|char`): from CTC time steps back onto the page."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from bench.kit.render import encode, font
from handler.app import create_app
from handler.settings import Settings
from ocr_core import OcrEngine, OcrOptions
from tests.helpers.pdfs import text_pdf

SENTENCE = "Thank you for your business"
CHINESE = "北京市朝阳区"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def rendered(
    text: str, size: int = 32, origin: tuple[int, int] = (60, 50)
) -> tuple[bytes, list[tuple[str, float, float]]]:
    """A page with `text` and the x extent of each of its words (or CJK characters) as drawn."""
    face = font(size)
    image = Image.new("RGB", (900, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.text(origin, text, font=face, fill="black")
    tokens = text.split(" ") if " " in text else list(text)
    extents, start = [], 0
    for token in tokens:
        index = text.index(token, start)
        left, _, right, _ = draw.textbbox(
            (origin[0] + face.getlength(text[:index]), origin[1]), token, font=face
        )
        extents.append((token, left, right))
        start = index + len(token)
    return encode(image), extents


def x_overlap(box: list[list[int]], left: float, right: float) -> float:
    """Intersection over union of the box's x extent and [left, right]."""
    xs = [x for x, _ in box]
    inter = min(max(xs), right) - max(min(xs), left)
    union = max(max(xs), right) - min(min(xs), left)
    return max(inter, 0) / union


def inside(inner: list[list[int]], outer: list[list[int]], slack: int = 2) -> bool:
    xs, ys = [x for x, _ in outer], [y for _, y in outer]
    return all(
        min(xs) - slack <= x <= max(xs) + slack and min(ys) - slack <= y <= max(ys) + slack for x, y in inner
    )


def test_word_boxes_cover_rendered_english_words(client: TestClient) -> None:
    data, extents = rendered(SENTENCE)
    response = client.post("/ocr", params={"boxes": "word"}, files={"image": ("s.png", data, "image/png")})
    line = response.json()["results"][0]
    assert [word["text"] for word in line["words"]] == [token for token, _, _ in extents]
    for word, (_, left, right) in zip(line["words"], extents, strict=True):
        assert inside(word["box"], line["box"])
        assert x_overlap(word["box"], left, right) >= 0.6, (word, left, right)


def test_char_boxes_cover_rendered_chinese_characters(client: TestClient) -> None:
    data, extents = rendered(CHINESE, size=40)
    response = client.post("/ocr", params={"boxes": "char"}, files={"image": ("c.png", data, "image/png")})
    line = response.json()["results"][0]
    assert [char["text"] for char in line["chars"]] == list(CHINESE)
    assert [word["text"] for word in line["words"]] == list(CHINESE)  # CJK words are single characters
    for char, (_, left, right) in zip(line["chars"], extents, strict=True):
        assert inside(char["box"], line["box"])
        assert x_overlap(char["box"], left, right) >= 0.6, (char, left, right)


def test_ocr_word_boxes_agree_with_the_pdf_text_layer(engine: OcrEngine) -> None:
    data = text_pdf(
        [[("Quarterly Report 2024", 40, 240, 20), ("Revenue grew by twelve percent", 40, 200, 14)]]
    )
    exact = engine.run(data, OcrOptions(pdf_text="text", boxes="word"))
    read = engine.run(data, OcrOptions(pdf_text="ocr", boxes="word"))
    assert [line.text for line in read.lines] == [line.text for line in exact.lines]
    for ocr_line, layer_line in zip(read.lines, exact.lines, strict=True):
        assert ocr_line.words is not None and layer_line.words is not None
        for ocr_word, layer_word in zip(ocr_line.words, layer_line.words, strict=True):
            xs = [x for x, _ in layer_word.box]
            assert x_overlap([list(p) for p in ocr_word.box], min(xs), max(xs)) >= 0.6, (ocr_word, layer_word)


def test_default_boxes_give_line_boxes_only(client: TestClient) -> None:
    data, _ = rendered(SENTENCE)
    line = client.post("/ocr", files={"image": ("s.png", data, "image/png")}).json()["results"][0]
    assert "words" not in line and "chars" not in line


def test_upside_down_line_word_boxes_stay_on_their_words(engine: OcrEngine) -> None:
    data, extents = rendered(SENTENCE)
    image = Image.open(io.BytesIO(data)).rotate(180)
    result = engine.run(encode(image), OcrOptions(boxes="word", mode="page"))
    line = result.lines[0]
    assert line.text == SENTENCE and line.words is not None
    width = image.width
    for word, (_, left, right) in zip(line.words, extents, strict=True):
        assert x_overlap([list(p) for p in word.box], width - right, width - left) >= 0.6, word
