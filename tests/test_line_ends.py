"""A full stop just past the detected box is read; marks a sign's frame adds are not (issue 16)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from bench.evalset import DEFAULT_SEED, make_document, sample_rngs, to_uint8
from ocr_core import OcrEngine, OcrOptions
from ocr_core.layout.line_ends import stretch_line_ends, trim_stretch
from ocr_core.recognize.ctc import Reading


def _box(left: float, top: float, right: float, bottom: float) -> np.ndarray:
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom]], dtype=np.float32)


def test_stretch_line_ends_stops_short_of_the_next_box_and_the_page() -> None:
    boxes = [_box(10, 10, 200, 40), _box(206, 12, 300, 42), _box(10, 60, 395, 90), _box(50, 100, 80, 300)]
    stretched, kept = stretch_line_ends(boxes, 400)
    assert stretched[0][1][0] == 200  # the next fragment starts 6 px on: no room left
    assert stretched[1][1][0] == 309  # 0.3 of 30 px
    assert stretched[2][1][0] == 399  # the page edge
    assert np.array_equal(stretched[3], boxes[3]) and kept[3] == 1.0  # a vertical column
    assert kept[1] == 94 / 103


def test_trim_stretch_keeps_a_full_stop_and_drops_a_frame_edge() -> None:
    spans = ((0.1, 0.2), (0.3, 0.4), (0.5, 0.6), (0.92, 0.94))
    stop = Reading("Hire.", 0.9, (*spans[:3], (0.7, 0.8), (0.92, 0.96)), (0.9,) * 5, 10)
    assert trim_stretch(stop, 0.9).text == "Hire."
    edge = Reading("Hirl", 0.9, spans, (0.9,) * 4, 10)
    trimmed = trim_stretch(edge, 0.9)
    assert trimmed.text == "Hir" and len(trimmed.spans) == 3
    assert trim_stretch(edge, 0.9, flipped=True).text == "Hirl"  # turned over: the end is at the left


def test_document_page_line_keeps_its_final_full_stop(engine: OcrEngine) -> None:
    rng, np_rng = sample_rngs(DEFAULT_SEED, "page_document", 2)
    rendered = make_document(rng, np_rng, 2)
    buffer = io.BytesIO()
    Image.fromarray(to_uint8(rendered.pixels), "RGB").save(buffer, "PNG")
    lines = [line.text for line in engine.run(buffer.getvalue(), OcrOptions(preset="accurate")).lines]
    ends_with_stop = [text for text in rendered.lines if text.endswith(".")]
    assert ends_with_stop and all(text in lines for text in ends_with_stop)
