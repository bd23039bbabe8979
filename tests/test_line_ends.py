"""A full stop just past the detected box is read; marks a sign's frame adds are not (issue 16)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from bench.evalset.generate import DEFAULT_SEED, sample_rngs
from bench.evalset.pages import make_document
from bench.kit.canvas import to_uint8
from ocr_core import OcrEngine, OcrOptions
from ocr_core.layout.line_ends import stretch_line_ends, trailing_marks, with_marks
from ocr_core.recognize.ctc import Reading


def _box(left: float, top: float, right: float, bottom: float) -> np.ndarray:
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom]], dtype=np.float32)


def test_stretch_line_ends_only_where_a_mark_follows_and_never_into_a_neighbour() -> None:
    boxes = [_box(10, 10, 200, 40), _box(206, 12, 300, 42), _box(10, 60, 390, 90), _box(10, 110, 200, 140)]
    boxes.append(_box(50, 160, 80, 310))  # a vertical column
    page = np.full((320, 400, 3), 255, dtype=np.uint8)
    for box in boxes:  # letters: strokes across each line, every 8 px
        (left, top), (right, bottom) = box[0].astype(int), box[2].astype(int)
        page[top + 5 : bottom - 5, left + 4 : right - 4 : 8] = 0
    page[34:38, 202:205] = 0  # a full stop after the first box, but the next box is 6 px on
    page[34:38, 302:305] = 0  # a full stop after the second box
    page[84:88, 392:395] = 0  # a full stop at the page's edge
    page[110:140, 203:206] = 0  # a stroke across the whole line (a frame's edge) after the fourth
    stretched, kept = stretch_line_ends(boxes, page)
    assert stretched[0][1][0] == 200 and kept[0] == 1.0
    assert stretched[1][1][0] == 309  # 0.3 of 30 px
    assert kept[1] == 94 / 103
    assert stretched[2][1][0] == 399  # the page edge
    assert stretched[3][1][0] == 200 and kept[3] == 1.0
    assert np.array_equal(stretched[4], boxes[4]) and kept[4] == 1.0


def test_trailing_marks_only_punctuation_past_the_detected_end() -> None:
    spans = ((0.1, 0.2), (0.3, 0.4), (0.5, 0.6), (0.7, 0.8), (0.92, 0.96))
    assert trailing_marks(Reading("Hire.", 0.9, spans, (0.9,) * 5, 10), 0.9) == "."
    assert trailing_marks(Reading("Hirel", 0.9, spans, (0.9,) * 5, 10), 0.9) == ""  # a frame's edge
    assert trailing_marks(Reading("Hire.", 0.9, spans, (0.9,) * 5, 10), 1.0) == ""  # not stretched


def test_with_marks_appends_once() -> None:
    reading = Reading("Friday", 0.9, tuple((i / 6, (i + 1) / 6) for i in range(6)), (0.9,) * 6, 10)
    marked = with_marks(reading, ".")
    assert marked.text == "Friday." and len(marked.spans) == len(marked.scores) == 7
    assert with_marks(marked, ".") == marked


def test_document_page_line_keeps_its_final_full_stop(engine: OcrEngine) -> None:
    rng, np_rng = sample_rngs(DEFAULT_SEED, "page_document", 2)
    rendered = make_document(rng, np_rng, 2)
    buffer = io.BytesIO()
    Image.fromarray(to_uint8(rendered.pixels), "RGB").save(buffer, "PNG")
    lines = [line.text for line in engine.run(buffer.getvalue(), OcrOptions(preset="accurate")).lines]
    ends_with_stop = [text for text in rendered.lines if text.endswith(".")]
    assert ends_with_stop and all(text in lines for text in ends_with_stop)
