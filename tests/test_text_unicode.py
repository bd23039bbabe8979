"""Text from files becomes valid Unicode at the source (the PDF text layer).

A ToUnicode CMap may map a glyph to any UTF-16 code unit; PDFium hands each unit over as its own
character. A lone surrogate (U+D800) in a result gave 500 for every format and made the S3
trigger raise without writing a result; a valid pair (an emoji) arrived as two lone halves.
Now a pair is one character and anything that is not a Unicode scalar value is U+FFFD.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bench.kit.events import call_api, load_event, s3_event_for, with_body, with_query
from bench.kit.hostile_pdf_structure import lone_surrogate_text, to_unicode_text
from handler import s3_trigger
from handler.api import handler
from handler.settings import Settings
from ocr_core.input.decode import decode
from ocr_core.input.text_layer import REPLACEMENT, scalar_chars
from tests.helpers.aws import moto_bucket

EXPECTED = f"Hello {REPLACEMENT} World {REPLACEMENT} end"
BOX = (1, 2, 3, 4)


def codes(*units: int) -> list[int]:
    return [value for unit in units for value in (unit, *BOX)]


@pytest.mark.parametrize(
    "units, text",
    [
        ((0x48, 0xD83D, 0xDE00, 0x69), "H😀i"),  # a pair is one character
        ((0xD800,), REPLACEMENT),  # a lone high surrogate
        ((0xDC00, 0xD800), REPLACEMENT * 2),  # halves in the wrong order
        ((0xD800, 0x41), REPLACEMENT + "A"),
        ((0x7FFFFFFF, 0x110000), REPLACEMENT * 2),  # beyond Unicode
        ((0xFFFE, 0x10FFFF), "\ufffe\U0010ffff"),  # noncharacters are scalar values: kept
    ],
)
def test_scalar_chars_any_code_units_give_valid_unicode(units: tuple[int, ...], text: str) -> None:
    chars = "".join(char for char, _ in scalar_chars(codes(*units)))
    assert chars == text
    chars.encode("utf-8")  # would raise on a surrogate


def test_decode_pdf_text_layer_mapped_to_lone_surrogates_reads_replacement_characters() -> None:
    page = decode(lone_surrogate_text(), text_layer=True)[0]
    assert [line.text for line in page.text_lines or ()] == [EXPECTED]


def test_decode_pdf_text_layer_mapped_to_surrogate_pair_reads_one_character() -> None:
    page = decode(to_unicode_text(b"A smile", {0x41: "D83DDE00"}), text_layer=True)[0]
    line = (page.text_lines or ())[0]
    assert line.text == "😀 smile"
    assert line.chars is not None and line.chars[0].text == "😀"


def post_pdf(data: bytes, output: str) -> Any:
    event = with_query(with_body(load_event("apigw_v2_binary"), data, "application/pdf"), format=output)
    return call_api(handler, event)


@pytest.mark.parametrize("output", ["json", "text", "markdown", "jsonl"])
def test_post_ocr_pdf_text_layer_with_lone_surrogates_returns_200_with_replacement(output: str) -> None:
    response = post_pdf(lone_surrogate_text(), output)
    assert response.status == 200, response.body[:500]
    text = response.body.decode("utf-8")  # strict: valid UTF-8 throughout
    assert EXPECTED in (json.loads(text)["text"] if output == "json" else text)


def test_post_ocr_pdf_text_layer_with_lone_surrogates_exports_searchable_pdf() -> None:
    response = post_pdf(lone_surrogate_text(), "pdf")
    assert response.status == 200, response.body[:500]
    assert response.body.startswith(b"%PDF-")


def test_s3_trigger_pdf_text_layer_with_lone_surrogates_writes_result() -> None:
    bucket, key = "ocr-unicode-test", "uploads/abc/surrogates.pdf"
    data = lone_surrogate_text()
    with moto_bucket(bucket) as s3:
        put = s3.put_object(Bucket=bucket, Key=key, Body=data)
        event = s3_event_for(bucket, key, put["ETag"], len(data))
        assert s3_trigger.process_event(event, s3, Settings()) == {"written": 1}
        body = s3.get_object(Bucket=bucket, Key="results/abc/surrogates.pdf.json")["Body"].read()
    result = json.loads(body.decode("utf-8"))
    assert result["success"] is True and EXPECTED in result["text"]
