"""Characters settled by their line: look-alike letters and digits by the word around them, one
script per line, and `lang=zh-Hans`/`zh-Hant` (issue 16; measured by `python -m bench.realset`,
classes lookalike and mixed_script)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bench.kit.fonts import NOTO_SANS_CJK
from bench.kit.render import encode
from ocr_core import OcrEngine, OcrOptions
from ocr_core.errors import InvalidOptionError
from ocr_core.recognize.charset import CharFilter, class_mask
from ocr_core.recognize.ctc import Reading
from ocr_core.recognize.lookalikes import settle_lookalikes
from ocr_core.recognize.scripts import one_script, variants

LIBERATION_MONO = "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf"


def _scored(
    text: str, classes: list[str], alternatives: dict[int, dict[str, float]]
) -> tuple[Reading, np.ndarray]:
    """A reading of `text`, one time step per character, and its T x C probabilities: each
    character at 0.6 unless `alternatives[position]` gives other classes their share."""
    probs = np.full((len(text), len(classes)), 1e-5, dtype=np.float32)
    for step, char in enumerate(text):
        probs[step, classes.index(char)] = 0.6
        for other, p in alternatives.get(step, {}).items():
            probs[step, classes.index(other)] = p
    spans = tuple((float(i), float(i + 1)) for i in range(len(text)))
    return Reading(text, 0.6, spans, tuple(0.6 for _ in text), len(text)), probs


CLASSES = ["", *"01258lIOoBSsiterkBK", " "]


def _index() -> dict[str, int]:
    return {char: i for i, char in enumerate(CLASSES)}


def test_lookalike_digit_in_a_word_reads_as_the_scored_letter() -> None:
    reading, probs = _scored("1iter", CLASSES, {0: {"l": 0.3}})
    assert settle_lookalikes(reading, probs, _index()).text == "liter"


def test_lookalike_digit_the_model_did_not_doubt_stays() -> None:
    reading, probs = _scored("1iter", CLASSES, {0: {"l": 0.001}})
    assert settle_lookalikes(reading, probs, _index()).text == "1iter"


def test_lookalike_letter_in_a_number_reads_as_the_digit() -> None:
    reading, probs = _scored("2O18", CLASSES, {1: {"0": 0.2}})
    assert settle_lookalikes(reading, probs, _index()).text == "2018"


def test_lookalike_short_mixed_codes_are_left_alone() -> None:
    reading, probs = _scored("B8", CLASSES, {0: {"8": 0.4}, 1: {"B": 0.4}})
    assert settle_lookalikes(reading, probs, _index()).text == "B8"


def test_lookalike_respects_the_class_mask() -> None:
    reading, probs = _scored("1iter", CLASSES, {0: {"l": 0.3}})
    mask = np.array([char != "l" for char in CLASSES])
    assert settle_lookalikes(reading, probs, _index(), mask).text == "1iter"


def test_rendered_typewriter_word_ends_in_a_letter(engine: OcrEngine) -> None:
    face = ImageFont.truetype(LIBERATION_MONO, 24)
    left, top, right, bottom = face.getbbox("Bill 8801")
    image = Image.new("RGB", (right - left + 20, bottom - top + 20), "white")
    ImageDraw.Draw(image).text((10 - left, 10 - top), "Bill 8801", font=face, fill="black")
    assert engine.run(encode(image), OcrOptions(preset="fast", mode="line")).text == "Bill 8801"


SCRIPT_CLASSES = ["", *"黄黃石市人民医院臺灣湾大學電話话號碼", " "]


def _script_index() -> dict[str, int]:
    return {char: i for i, char in enumerate(SCRIPT_CLASSES)}


def test_variants_pair_simplified_and_traditional_both_ways() -> None:
    assert "黃" in variants()["黄"] and "黄" in variants()["黃"]


def test_one_script_simplified_line_takes_back_its_simplified_form() -> None:
    reading, probs = _scored("黃石市人民医院", SCRIPT_CLASSES, {0: {"黄": 0.3}})
    assert one_script(reading, probs, _script_index()).text == "黄石市人民医院"


def test_one_script_traditional_line_takes_back_its_traditional_form() -> None:
    reading, probs = _scored("臺湾大學", SCRIPT_CLASSES, {1: {"灣": 0.2}})
    assert one_script(reading, probs, _script_index()).text == "臺灣大學"


def test_one_script_variant_the_model_never_scored_is_not_invented() -> None:
    reading, probs = _scored("黃石市人民医院", SCRIPT_CLASSES, {})
    probs[0, SCRIPT_CLASSES.index("黄")] = 0.0
    assert one_script(reading, probs, _script_index()).text == "黃石市人民医院"


def test_one_script_traditional_text_stays_traditional() -> None:
    reading, probs = _scored("臺灣大學電話號碼", SCRIPT_CLASSES, {5: {"话": 0.3}})
    assert one_script(reading, probs, _script_index()).text == "臺灣大學電話號碼"


def _cjk_line(text: str, size: int = 32) -> bytes:
    face = ImageFont.truetype(str(NOTO_SANS_CJK), size, index=2)  # the simplified Chinese face
    left, top, right, bottom = face.getbbox(text)
    image = Image.new("RGB", (right - left + 16, bottom - top + 16), "white")
    ImageDraw.Draw(image).text((8 - left, 8 - top), text, font=face, fill="black")
    return encode(image)


def test_rendered_simplified_line_keeps_one_script(engine: OcrEngine) -> None:
    assert engine.run(_cjk_line("黄石市人民医院"), OcrOptions(preset="fast")).text == "黄石市人民医院"


def test_rendered_traditional_line_keeps_one_script(engine: OcrEngine) -> None:
    assert engine.run(_cjk_line("電話號碼"), OcrOptions(preset="crnn")).text == "電話號碼"


def test_lang_zh_hant_mask_drops_simplified_only_characters() -> None:
    chars = ["", "区", "區", "石", " "]
    mask = class_mask(chars, CharFilter(lang="zh-Hant"))
    assert mask is not None and mask.tolist() == [True, False, True, True, True]
    hans = class_mask(chars, CharFilter(lang="zh-Hans"))
    assert hans is not None and hans.tolist() == [True, True, False, True, True]


def test_lang_options_accept_script_tags_and_keep_zh() -> None:
    for lang in ("zh", "zh-Hans", "zh-Hant"):
        assert OcrOptions(lang=lang).lang == lang
    with pytest.raises(InvalidOptionError):
        OcrOptions(lang="zh-TW")
