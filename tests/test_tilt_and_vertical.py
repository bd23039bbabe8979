"""Tilted pages read along their text direction, vertical pages read as columns (issue 16;
measured by `python -m bench.realset`, classes tilt, real_tilt and vertical)."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

from bench.kit.render import encode, font
from ocr_core import OcrEngine, OcrOptions
from ocr_core.engine.page_reader import is_single_line
from ocr_core.layout.arrange import arrange
from ocr_core.layout.skew import dominant_angle
from ocr_core.lines import TextLine


def _turned(points: np.ndarray, degrees: float, centre: tuple[float, float]) -> np.ndarray:
    theta = math.radians(degrees)
    rotation = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]])
    return (points - centre) @ rotation.T + centre


def _box(left: float, top: float, right: float, bottom: float, degrees: float = 0.0) -> np.ndarray:
    points = np.array([[left, top], [right, top], [right, bottom], [left, bottom]], dtype=np.float64)
    return _turned(points, degrees, (600.0, 400.0))


def _line(text: str, box: np.ndarray) -> TextLine:
    return TextLine(text, 1.0, tuple((round(x), round(y)) for x, y in box))  # type: ignore[arg-type]


def _tilted_paragraph(degrees: float) -> list[np.ndarray]:
    """Ten long lines 36 pixels apart, the page turned by `degrees` about its centre."""
    return [_box(100, 200 + 36 * i, 1100, 228 + 36 * i, degrees) for i in range(10)]


def test_dominant_angle_of_tilted_page_is_its_turn() -> None:
    assert abs(dominant_angle(_tilted_paragraph(4.0)) - 4.0) < 0.1
    assert dominant_angle(_tilted_paragraph(0.2)) == 0.0  # below MIN_SKEW: read as it is


def test_layout_tilted_page_reads_rows_in_order() -> None:
    for degrees in (-5.0, 3.0, 6.0):
        lines = [_line(str(i), box) for i, box in enumerate(_tilted_paragraph(degrees))]
        arranged = arrange(list(reversed(lines)), "lines", 1200, 800)
        assert [item.text for item in arranged.lines] == [str(i) for i in range(10)], degrees


def test_single_line_test_stacked_tilted_lines_are_a_page() -> None:
    boxes = [box.astype(np.float32) for box in _tilted_paragraph(6.0)[:4]]
    assert not is_single_line(boxes, 1200, 400)


def test_single_line_test_several_vertical_columns_are_a_page() -> None:
    columns = [_box(100 + 80 * i, 20, 140 + 80 * i, 380).astype(np.float32) for i in range(3)]
    assert not is_single_line(columns, 400, 400)


def test_single_line_test_fragments_side_by_side_stay_a_line() -> None:
    fragments = [_box(10, 5, 200, 45).astype(np.float32), _box(300, 6, 500, 46).astype(np.float32)]
    assert is_single_line(fragments, 520, 50)


def test_auto_mode_vertical_page_reads_columns_right_to_left(engine: OcrEngine) -> None:
    columns = ["春眠不觉晓", "处处闻啼鸟", "夜来风雨声"]
    size = 40
    image = Image.new("RGB", (100 * len(columns) + 120, 6 * size + 120), "white")
    draw = ImageDraw.Draw(image)
    for col, text in enumerate(columns):  # the first column stands rightmost
        x = image.width - 100 - 100 * col
        for row, char in enumerate(text):
            draw.text((x, 50 + row * 46), char, font=font(size), fill="black")
    result = engine.run(encode(image), OcrOptions(preset="accurate"))
    assert result.pages[0].mode == "page"
    assert [line.text for line in result.lines] == columns
