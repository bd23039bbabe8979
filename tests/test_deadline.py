"""The engine's deadline: past it, no stage starts, so a request over budget stops early."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bench.kit.events import sample_bytes
from handler.app import create_app
from handler.settings import Settings
from ocr_core import OcrEngine, OcrOptions
from ocr_core.detect.detector import TextDetector
from ocr_core.errors import TimeBudgetExceededError
from tests.helpers.pdfs import scanned_pdf

PAGE = OcrOptions(mode="page")


@pytest.fixture
def detections(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the detector's runs (the real detector still runs)."""
    calls: list[int] = []
    real = TextDetector.__call__

    def counted(self: TextDetector, image: Any) -> Any:
        calls.append(1)
        return real(self, image)

    monkeypatch.setattr(TextDetector, "__call__", counted)
    return calls


def test_past_deadline_starts_nothing(engine: OcrEngine, detections: list[int]) -> None:
    with pytest.raises(TimeBudgetExceededError, match="decode"):
        engine.run(scanned_pdf(2), PAGE, deadline=time.monotonic() - 1)
    assert detections == []


def test_budget_spent_on_the_first_page_stops_before_the_next_stage(
    engine: OcrEngine, detections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [0.0]
    monkeypatch.setattr("ocr_core.engine.stopwatch.monotonic", lambda: clock[0])
    monkeypatch.setattr("ocr_core.input.pdf.monotonic", lambda: clock[0])
    real = TextDetector.__call__

    def slow(self: TextDetector, image: Any) -> Any:
        clock[0] = 100.0  # this detection used up the budget
        return real(self, image)

    monkeypatch.setattr(TextDetector, "__call__", slow)
    with pytest.raises(TimeBudgetExceededError, match="crop"):
        engine.run(scanned_pdf(3), PAGE, deadline=50.0)
    assert detections == [1]  # pages 2 and 3 were never looked at


def test_deadline_ahead_changes_nothing(engine: OcrEngine, detections: list[int]) -> None:
    document = scanned_pdf(2)
    timed = engine.run(document, PAGE, deadline=time.monotonic() + 300)
    assert [line.text for line in timed.lines] == [line.text for line in engine.run(document, PAGE).lines]
    assert len(detections) == 4


def test_api_hands_its_budget_to_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[float | None] = []
    real = OcrEngine.run_document

    def recording(self: OcrEngine, data: bytes, options: OcrOptions, deadline: float | None = None) -> Any:
        seen.append(deadline)
        return real(self, data, options, deadline)

    monkeypatch.setattr(OcrEngine, "run_document", recording)
    client = TestClient(create_app(Settings(time_budget_s=20)))
    before = time.monotonic()
    response = client.post("/ocr", files={"image": ("line.png", sample_bytes(), "image/png")})
    assert response.status_code == 200
    assert len(seen) == 1 and seen[0] is not None
    assert before + 19 < seen[0] <= time.monotonic() + 20


def test_engine_reaching_the_deadline_first_gives_the_api_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def out_of_time(self: OcrEngine, data: bytes, options: OcrOptions, deadline: float | None = None) -> Any:
        raise TimeBudgetExceededError("the time budget ran out before the detect stage")

    monkeypatch.setattr(OcrEngine, "run_document", out_of_time)
    client = TestClient(create_app(Settings(time_budget_s=20)), raise_server_exceptions=False)
    response = client.post("/ocr", files={"image": ("line.png", sample_bytes(), "image/png")})
    assert response.status_code == 504
    assert "select fewer pages" in response.json()["error"]["message"]


def test_pdf_past_its_deadline_stops_between_pages() -> None:
    import time

    from bench.kit.raw_pdfs import many_pages_pdf
    from ocr_core.input.pdf import render_pdf
    from ocr_core.limits import DEFAULT_LIMITS

    with pytest.raises(TimeBudgetExceededError, match="page 1"):
        render_pdf(many_pages_pdf(5), DEFAULT_LIMITS, deadline=time.monotonic())
    assert len(render_pdf(many_pages_pdf(5), DEFAULT_LIMITS, deadline=time.monotonic() + 60)) == 5
