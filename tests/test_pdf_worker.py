"""The PDFium worker process: hostile PDFs cost it, never the service; it comes back after a kill.

These run in the test process (the worker is its child); `tests/test_memory_bounds.py` runs each
hostile input through the Lambda handler in a fresh process and bounds the peak RSS of both.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.kit.hostile_pdfs import MiB, content_one_path, content_spaces, font_program, object_stream_padding
from ocr_core.errors import InvalidImageError, PdfResourceLimitError
from ocr_core.input.decode import decode
from ocr_core.input.pdf import render_size, start_worker
from ocr_core.input.pdf_process import WORKER
from ocr_core.limits import DEFAULT_LIMITS, Limits
from tests.helpers.pdfs import text_pdf

LINE = [("Invoice 2024 total 19.99", 40, 200, 14)]


def read_text(data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    pages = decode(data, limits, text_layer=True)
    return "\n".join(line.text for page in pages for line in page.text_lines or ())


@pytest.mark.parametrize("build", [content_spaces, font_program, object_stream_padding])
def test_decode_pdf_stream_inflating_past_worker_memory_raises_413_error(build: Callable[[], bytes]) -> None:
    with pytest.raises(PdfResourceLimitError, match="MB of memory"):
        decode(build(), text_layer=True)
    assert read_text(text_pdf([LINE])) == "Invoice 2024 total 19.99"  # a fresh worker serves the next


def test_decode_pdf_page_slower_than_time_limit_stops_worker() -> None:
    with pytest.raises(PdfResourceLimitError, match="1 s for one step"):
        decode(content_one_path(16 * MiB), Limits(pdf_seconds=1.0))
    assert read_text(text_pdf([LINE])) == "Invoice 2024 total 19.99"


def test_decode_pdf_memory_limit_is_the_configured_one() -> None:
    # 96 MB of spaces fit under the default cap and not under a 128 MB one, which fits a normal PDF.
    small = Limits(pdf_memory_bytes=128 * MiB)
    assert decode(content_spaces(96 * MiB))[0].image.shape == (2200, 1700, 3)
    assert read_text(text_pdf([LINE]), small) == "Invoice 2024 total 19.99"
    with pytest.raises(PdfResourceLimitError, match="128 MB"):
        decode(content_spaces(96 * MiB), small)


def test_decode_pdf_after_worker_killed_from_outside_starts_a_new_one() -> None:
    read_text(text_pdf([LINE]))
    first = WORKER.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    assert read_text(text_pdf([LINE])) == "Invoice 2024 total 19.99"
    assert WORKER.pid not in (None, first)


def test_decode_pdf_worker_is_kept_between_requests() -> None:
    read_text(text_pdf([LINE]))
    first = WORKER.pid
    read_text(text_pdf([LINE]))
    assert WORKER.pid == first


def test_pdf_worker_environment_holds_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-for-the-worker")
    WORKER.stop()  # the next PDF starts a worker from this environment
    read_text(text_pdf([LINE]))
    environ = Path(f"/proc/{WORKER.pid}/environ").read_bytes()
    assert b"AWS_SECRET_ACCESS_KEY" not in environ and b"PATH=" in environ


def test_decode_corrupt_pdf_raises_invalid_image_and_worker_lives_on() -> None:
    with pytest.raises(InvalidImageError, match="corrupt"):
        decode(b"%PDF-1.7\n" + b"\x00" * 100)
    assert read_text(text_pdf([LINE])) == "Invoice 2024 total 19.99"


@pytest.mark.parametrize(
    "answer, length",
    [
        ({"width": 100, "height": 50, "chars": 0}, 100 * 50 * 3),  # another size than asked
        ({"width": 10, "height": 10, "chars": 0}, 10**9),  # a payload longer than the pixels
        ({"width": "10", "height": 10, "chars": 0}, 300),  # not numbers
        ({"width": 10, "height": 10, "chars": -1}, 280),
    ],
)
def test_render_size_answer_disagreeing_with_request_is_refused(
    answer: dict[str, object], length: int
) -> None:
    with pytest.raises(ValueError):
        render_size(answer, length, (10, 10))


def test_render_size_answer_one_pixel_off_is_accepted() -> None:
    assert render_size({"width": 11, "height": 9, "chars": 2}, 11 * 9 * 3 + 40, (10, 10)) == (11, 9, 2)


def test_start_worker_ahead_of_first_pdf_keeps_that_worker() -> None:
    WORKER.stop()
    start_worker(DEFAULT_LIMITS)
    started = WORKER.pid
    assert started is not None
    assert read_text(text_pdf([LINE])) == "Invoice 2024 total 19.99"
    assert WORKER.pid == started
