"""The engine end to end on rendered images whose text is known."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageFilter

from bench.kit.render import encode, render_line, render_page
from bench.scoring import normalise
from ocr_core import OcrEngine, OcrOptions
from ocr_core.errors import InvalidOptionError, ModelNotReadyError
from ocr_core.models.presets import PRESETS
from ocr_core.recognize.cascade import Cascade

PAGE_LINES = ["你好世界 Welcome to Beijing", "发票号码：12345678", "上海市浦东新区世纪大道100号"]
EXPECTED_LINES = [normalise(line) for line in PAGE_LINES]


def _compact(text: str) -> str:
    return text.replace(" ", "")


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_each_preset_reads_a_rendered_line(engine: OcrEngine, preset: str) -> None:
    result = engine.run(encode(render_line("北京欢迎你 2024")), OcrOptions(preset=preset))
    assert [_compact(line.text) for line in result.lines] == ["北京欢迎你2024"]
    assert result.model.preset == preset


def test_auto_mode_reads_a_line_crop_whole(engine: OcrEngine) -> None:
    # Wide gaps make the detector split this line; auto must still return it as one line.
    result = engine.run(encode(render_line("总计          ¥1,280.00")))
    assert result.pages[0].mode == "line"
    assert len(result.lines) == 1 and _compact(result.lines[0].text) == "总计¥1,280.00"


def test_auto_mode_detects_lines_on_a_page(engine: OcrEngine) -> None:
    result = engine.run(encode(render_page(PAGE_LINES)))
    assert result.pages[0].mode == "page"
    assert [normalise(line.text) for line in result.lines] == EXPECTED_LINES
    assert normalise(result.text) == "\n".join(EXPECTED_LINES)


def test_page_boxes_enclose_their_lines_in_reading_order(engine: OcrEngine) -> None:
    result = engine.run(encode(render_page(PAGE_LINES)), OcrOptions(mode="page"))
    tops = [min(y for _, y in line.box) for line in result.lines]
    assert tops == sorted(tops)
    for line in result.lines:
        xs = [x for x, _ in line.box]
        assert min(xs) < 60 and max(xs) > 200  # lines start at the 40 px margin


def test_line_mode_never_detects(engine: OcrEngine) -> None:
    result = engine.run(encode(render_page(PAGE_LINES)), OcrOptions(mode="line"))
    assert result.pages[0].mode == "line" and "detect" not in result.timings_ms


def test_upside_down_page_is_read_upright_in_order(engine: OcrEngine) -> None:
    upside_down = render_page(PAGE_LINES).rotate(180)
    result = engine.run(encode(upside_down))
    assert [normalise(line.text) for line in result.lines] == EXPECTED_LINES


def test_vertical_chinese_column_reads_top_to_bottom(engine: OcrEngine) -> None:
    line = render_line("中华人民共和国", size=40)
    column = Image.new("RGB", (80, 360), "white")
    # Stack the characters top to bottom, each upright, like a vertical sign.
    for index, char in enumerate("中华人民共和国"):
        column.paste(render_line(char, size=40, margin=4), (16, 8 + index * 50))
    result = engine.run(encode(column))
    assert line.width > 0 and [entry.text for entry in result.lines] == ["中华人民共和国"]


def test_run_image_accepts_pixels(engine: OcrEngine) -> None:
    pixels = np.asarray(render_line("Hello 2024"))
    assert [line.text for line in engine.run_image(pixels).lines] == ["Hello 2024"]


def test_blank_image_gives_no_lines(engine: OcrEngine) -> None:
    result = engine.run(encode(Image.new("RGB", (640, 480), "white")))
    assert result.lines == () and result.pages[0].width == 640


def test_min_confidence_filters_lines(engine: OcrEngine) -> None:
    result = engine.run(encode(render_page(PAGE_LINES)), OcrOptions(min_confidence=1.01))
    assert result.lines == ()


def test_result_to_dict_has_contract_fields(engine: OcrEngine) -> None:
    payload = engine.run(encode(render_line("你好世界"))).to_dict()
    assert payload["success"] is True
    assert set(payload) >= {"results", "text", "pages", "model", "timings_ms", "total_time_ms"}
    line = payload["results"][0]
    assert line["text"] == "你好世界" and 0 < line["confidence"] <= 1 and line["page"] == 1
    assert len(line["box"]) == 4 and all(len(point) == 2 for point in line["box"])


def test_unknown_mode_and_preset_raise_invalid_option(engine: OcrEngine) -> None:
    with pytest.raises(InvalidOptionError):
        OcrOptions(mode="sideways")
    with pytest.raises(InvalidOptionError, match="preset"):
        engine.run(encode(render_line("x")), OcrOptions(preset="gigantic"))


def test_missing_model_files_raise_model_not_ready(tmp_path: object) -> None:
    with pytest.raises(ModelNotReadyError, match="make models"):
        OcrEngine(models=str(tmp_path)).run(encode(render_line("hello")))


def test_cascade_keeps_the_more_confident_reading(engine: OcrEngine) -> None:
    preset = PRESETS["accurate"]
    assert preset.fallback is not None
    crops = [np.asarray(render_line(text)) for text in ("北京市朝阳区建国路88号", "Total 19.99", "你好")]
    tiny = engine.recognizer(preset)(crops)
    small = engine._recognizer(preset.fallback)(crops)
    always = engine.stages(preset, detect=False).recognize
    forced = Cascade(always.recognizer, always.fallback, fallback_below=1.01)
    expected = [max(pair, key=lambda reading: reading[1]) for pair in zip(tiny, small, strict=True)]
    assert forced(crops) == expected


def test_cascade_does_not_load_fallback_for_confident_lines() -> None:
    fresh = OcrEngine()
    first = fresh.stages(PRESETS["accurate"], detect=False).recognize.recognizer
    calls: list[int] = []
    counted = Cascade(first, lambda: calls.append(1) or first, 0.0)
    counted([np.asarray(render_line("你好"))])
    assert calls == []


def test_cascade_rereads_by_sureness_not_first_step_confidence(engine: OcrEngine) -> None:
    # "Room 402, 3:30 PM" is read right, but characters entering at ~0.5 put its first-step
    # confidence near 0.95 while every character peaks high: no second reading. The blurred
    # line is genuinely doubtful: read twice.
    first = engine.stages(PRESETS["accurate"], detect=False).recognize.recognizer
    below = PRESETS["accurate"].fallback_below
    clean = np.asarray(render_line("Room 402, 3:30 PM"))
    blurred = np.asarray(render_line("尺寸 Size: 30 x 40 cm").filter(ImageFilter.GaussianBlur(2.5)))
    first_clean, first_blurred = first([clean, blurred])
    assert first_clean.confidence < below <= first_clean.sureness
    assert first_blurred.sureness < below
    calls: list[int] = []
    counted = Cascade(first, lambda: calls.append(1) or first, below)
    counted([clean])
    assert calls == []
    counted([blurred])
    assert calls == [1]


def test_false_flip_by_orientation_classifier_is_undone(engine: OcrEngine) -> None:
    # The classifier is sure this upright line is upside down (p > 0.9); reading it turned over
    # gives garbage with low confidence, so the engine reads it both ways and keeps the surer.
    text = "Revenue for the quarter grew by twelve percent year on year."
    crop = np.asarray(render_line(text, size=28))
    stages = engine.stages(PRESETS["accurate"], detect=False)
    assert stages.classifier is not None and stages.classifier([crop]) == [True]
    assert [line.text for line in engine.run_image(crop, OcrOptions(mode="line")).lines] == [text]
