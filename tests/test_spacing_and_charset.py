"""English spaces recovered from the CTC space class; `lang` and `allowed_chars` as a class mask."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from bench.kit.render import encode, font, render_line
from handler.app import create_app
from handler.settings import Settings
from ocr_core.recognize.charset import CharFilter, class_mask
from ocr_core.recognize.ctc import ctc_decode
from ocr_core.script import is_east_asian

CHARS = ["", "a", "b", "：", "電", "电", " "]


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


def read(client: TestClient, data: bytes, **query: str) -> str:
    response = client.post("/ocr", params=query, files={"image": ("x.png", data, "image/png")})
    assert response.status_code == 200, response.text
    return str(response.json()["text"])


def probs(path: list[int], overrides: dict[tuple[int, int], float] | None = None) -> np.ndarray:
    """One row of T x C probabilities: 0.9 on the path's class, the rest shared, then overrides."""
    table = np.full((1, len(path), len(CHARS)), 0.1 / (len(CHARS) - 1), dtype=np.float32)
    for step, index in enumerate(path):
        table[0, step, index] = 0.9
    for (step, index), value in (overrides or {}).items():
        table[0, step, index] = value
    return table


# The small recognizers drop these spaces when nothing recovers them (measured: see ocr_core/ctc.py).
@pytest.mark.parametrize(
    ("text", "size"), [("No. 20240315", 16), ("Invoice No. 00482", 20), ("Tel: 010-8888 6666", 14)]
)
def test_english_spaces_are_kept_on_a_rendered_line(client: TestClient, text: str, size: int) -> None:
    assert read(client, encode(render_line(text, size=size))) == text


def test_ctc_space_class_between_letters_inserts_a_space() -> None:
    table = probs([1, 0, 0, 2], {(1, 6): 0.3})  # blank wins step 1, but the space class is likely
    assert ctc_decode(table, CHARS)[0].text == "a b"


def test_ctc_unlikely_space_class_inserts_nothing() -> None:
    assert ctc_decode(probs([1, 0, 0, 2], {(1, 6): 0.05}), CHARS)[0].text == "ab"


def test_ctc_space_between_chinese_and_a_letter_needs_less_evidence() -> None:
    """The model is shyer with the space between Chinese and Latin text (`USB 数据线` peaks at
    0.07-0.10): 0.05 is enough there, not between two letters."""
    assert ctc_decode(probs([1, 0, 0, 5], {(1, 6): 0.07}), CHARS)[0].text == "a 电"
    assert ctc_decode(probs([5, 0, 0, 1], {(1, 6): 0.07}), CHARS)[0].text == "电 a"
    assert ctc_decode(probs([1, 0, 0, 2], {(1, 6): 0.07}), CHARS)[0].text == "ab"
    assert ctc_decode(probs([1, 0, 0, 5], {(1, 6): 0.03}), CHARS)[0].text == "a电"


def test_ctc_no_space_is_inserted_next_to_full_width_punctuation() -> None:
    assert ctc_decode(probs([1, 0, 3, 0, 2], {(1, 6): 0.4, (3, 6): 0.4}), CHARS)[0].text == "a：b"


def test_ctc_mask_picks_the_best_allowed_class_inside_the_argmax() -> None:
    table = probs([4], {(0, 5): 0.3})  # 電 wins, 电 is second
    mask = class_mask(CHARS, CharFilter(lang="zh"))
    assert ctc_decode(table, CHARS)[0].text == "電"
    assert ctc_decode(table, CHARS, mask=mask)[0].text == "电"


def test_ctc_character_masked_into_the_blank_lowers_confidence() -> None:
    table = probs([1, 4, 2])
    mask = class_mask(CHARS, CharFilter(allowed_chars="ab"))
    reading = ctc_decode(table, CHARS, mask=mask)[0]
    assert reading.text == "ab"
    assert reading.confidence < 0.9 * 0.7


def test_charset_zh_drops_traditional_only_characters_and_keeps_the_rest() -> None:
    mask = class_mask(CHARS, CharFilter(lang="zh"))
    assert mask is not None
    assert dict(zip(CHARS[1:], mask[1:].tolist(), strict=True)) == {
        "a": True, "b": True, "：": True, "電": False, "电": True, " ": True
    }  # fmt: skip


def test_charset_auto_without_allowed_chars_masks_nothing() -> None:
    assert class_mask(CHARS, CharFilter()) is None


def ukai_line(text: str, size: int = 40, margin: int = 8) -> bytes:
    """A brush-style (AR PL UKai) line: the small recognizer reads some of it as traditional."""
    face = font(size, "ukai_cn")
    left, top, right, bottom = face.getbbox(text)
    image = Image.new("RGB", (right - left + 2 * margin, bottom - top + 2 * margin), "white")
    ImageDraw.Draw(image).text((margin - left, margin - top), text, font=face, fill="black")
    return encode(image)


def test_lang_zh_reads_brush_style_simplified_characters(client: TestClient) -> None:
    # Without the hint the small recognizer reads 话 in this font as the traditional 話 (measured).
    assert read(client, ukai_line("电话：13912345678"), model="fast", lang="zh") == "电话：13912345678"


def test_allowed_chars_restricts_the_characters_read(client: TestClient) -> None:
    text = read(client, encode(render_line("Total 2024-03-15")), allowed_chars="0123456789-")
    assert set(text) <= set("0123456789- ")
    assert "2024-03-15" in text


def test_lang_en_reads_no_east_asian_characters(client: TestClient) -> None:
    text = read(client, encode(render_line("欢迎 Welcome 2024")), lang="en")
    assert "Welcome 2024" in text
    assert not any(is_east_asian(char) for char in text)
