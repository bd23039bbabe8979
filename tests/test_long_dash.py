"""The Chinese long dash `——` is two characters, though CTC reads one unbroken stroke as one
(issue 16; measured by `python -m bench.realset`, class split_row)."""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from bench.kit.fonts import NOTO_SANS_CJK
from bench.kit.render import encode
from ocr_core import OcrEngine, OcrOptions
from ocr_core.recognize.ctc import Reading
from ocr_core.recognize.dashes import restore_double_dashes


def _reading(text: str, centres: list[float]) -> Reading:
    spans = tuple((c - 0.5, c + 0.5) for c in centres)
    return Reading(text, 0.9, spans, tuple(0.9 for _ in text), 100)


def test_double_dash_between_cjk_is_restored() -> None:
    # 第一章 one pitch (6 steps) apart; the dash's neighbours three pitches apart: two dashes.
    reading = restore_double_dashes(_reading("第一章—总则", [3, 9, 15, 24, 33, 39]))
    assert reading.text == "第一章——总则"
    assert len(reading.spans) == len(reading.scores) == len(reading.text)


def test_single_dash_between_cjk_stays_single() -> None:
    reading = _reading("第一章—总则", [3, 9, 15, 21, 27, 33])
    assert restore_double_dashes(reading) == reading


def test_dash_in_latin_text_is_left_as_read() -> None:
    reading = _reading("A—B", [3, 20, 37])
    assert restore_double_dashes(reading) == reading


def test_rendered_page_double_dashes_read_as_two(engine: OcrEngine) -> None:
    rows = ["北京西站——天安门东", "会议纪要——第三季度", "结论——同意立项"]
    face = ImageFont.truetype(str(NOTO_SANS_CJK), 36, index=2)  # the simplified Chinese face
    image = Image.new("RGB", (700, 80 * len(rows) + 60), "white")
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(rows):
        draw.text((60, 40 + 80 * i), text, font=face, fill="black")
    result = engine.run(encode(image), OcrOptions(preset="accurate", mode="page"))
    assert [line.text for line in result.lines] == rows
