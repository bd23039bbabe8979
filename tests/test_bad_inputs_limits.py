"""Limits as named settings: the time budget of a synchronous request and the pixel total.

The budget test that needs "work that takes too long" uses a function blocked on an event the
test releases afterwards, so nothing here depends on how fast this machine is.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from bench.kit.bad_inputs import line_png, multipage_tiff
from bench.kit.events import load_event
from handler.api import handler
from handler.app import create_app
from handler.deadline import LAMBDA_MARGIN_S, Deadline
from handler.in_thread import run_within
from handler.invoke import LocalContext
from handler.settings import TIME_BUDGET_S, Settings
from ocr_core.errors import TimeBudgetExceededError
from ocr_core.limits import Limits

T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on a fresh loop; not asyncio.run/anyio.run, which unset the main thread's loop Mangum uses."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


@dataclass
class NearlyTimedOutContext(LocalContext):
    remaining_ms: int = 1_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def test_run_within_work_past_deadline_raises_time_budget_exceeded() -> None:
    release = threading.Event()
    finished = threading.Event()

    def stuck() -> None:
        release.wait(timeout=60)
        finished.set()

    async def main() -> None:
        await run_within(Deadline.for_request({}, 0.05), stuck)

    with pytest.raises(TimeBudgetExceededError, match="pages="):
        run_async(main())
    release.set()  # the abandoned worker thread ends on its own
    assert finished.wait(timeout=10)


def test_run_within_work_inside_budget_returns_its_value() -> None:
    async def main() -> int:
        return await run_within(Deadline.for_request({}, 60), sum, [1, 2, 3])

    assert run_async(main()) == 6


def test_deadline_for_request_inside_lambda_keeps_a_margin_for_the_answer() -> None:
    deadline = Deadline.for_request({"aws.context": NearlyTimedOutContext(remaining_ms=10_000)}, 25.0)
    assert deadline.budget_s == pytest.approx(10.0 - LAMBDA_MARGIN_S)
    assert Deadline.for_request({}, 25.0).budget_s == 25.0


def test_post_ocr_budget_spent_returns_504_error_json() -> None:
    client = TestClient(create_app(Settings(time_budget_s=1e-9)), raise_server_exceptions=False)
    response = client.post("/ocr", files={"image": ("scan.tif", multipage_tiff(), "image/tiff")})
    assert response.status_code == 504
    body = response.json()
    assert body["error"]["code"] == "time_budget_exceeded"
    assert "/uploads" in body["error"]["message"]
    assert body["request_id"] == response.headers["x-request-id"]


def test_lambda_event_with_little_time_left_returns_504_not_a_gateway_timeout() -> None:
    event = load_event("apigw_v2_binary")
    raw = handler(event, NearlyTimedOutContext(remaining_ms=1_000))
    assert raw["statusCode"] == 504
    body = base64.b64decode(raw["body"]) if raw.get("isBase64Encoded") else raw["body"]
    assert json.loads(body)["error"]["code"] == "time_budget_exceeded"


def test_lambda_event_with_time_left_is_answered() -> None:
    raw = handler(load_event("apigw_v2_binary"), NearlyTimedOutContext(remaining_ms=29_000))
    assert raw["statusCode"] == 200


def test_settings_time_budget_and_pixel_total_read_from_environment() -> None:
    settings = Settings.from_env({"OCR_TIME_BUDGET_S": "12.5", "OCR_MAX_TOTAL_PIXELS": "5_000_000"})
    assert settings.time_budget_s == 12.5
    assert settings.limits().max_total_pixels == 5_000_000
    assert settings.upload_limits().max_total_pixels == 5_000_000


def test_settings_defaults_budget_below_gateway_timeout() -> None:
    settings = Settings.from_env({})
    assert settings.time_budget_s == TIME_BUDGET_S < 29
    assert settings.limits().max_total_pixels == Limits().max_total_pixels


@pytest.mark.parametrize("value", ["soon", "0", "-1", "inf", "nan"])
def test_settings_bad_time_budget_raises(value: str) -> None:
    with pytest.raises(ValueError, match="OCR_TIME_BUDGET_S"):
        Settings.from_env({"OCR_TIME_BUDGET_S": value})


def frame_pixels(tiff: bytes) -> list[int]:
    with Image.open(io.BytesIO(tiff)) as image:
        sizes = []
        for index in range(image.n_frames):
            image.seek(index)
            sizes.append(image.width * image.height)
        return sizes


def test_post_ocr_pixel_total_over_limit_returns_413() -> None:
    tiff = multipage_tiff()
    sizes = frame_pixels(tiff)
    cap = sum(sizes) - 1  # every frame fits alone, all of them together do not
    assert max(sizes) <= cap
    client = TestClient(create_app(Settings(max_total_pixels=cap)), raise_server_exceptions=False)
    response = client.post("/ocr", files={"image": ("scan.tif", tiff, "image/tiff")})
    assert response.status_code == 413
    assert "pixels together" in response.json()["error"]["message"]
    selected = client.post("/ocr", params={"pages": "1-2"}, files={"image": ("scan.tif", tiff, "image/tiff")})
    assert selected.status_code == 200


def test_post_ocr_single_page_within_pixel_total_returns_200() -> None:
    png = line_png()
    client = TestClient(create_app(Settings(max_total_pixels=100_000)), raise_server_exceptions=False)
    assert client.post("/ocr", files={"image": ("x.png", png, "image/png")}).status_code == 200


def test_engine_limits_default_total_fits_twenty_a4_pages_at_200_dpi() -> None:
    a4_at_200_dpi = round(8.27 * 200) * round(11.69 * 200)
    limits = Limits()
    assert 20 * a4_at_200_dpi <= limits.max_total_pixels
    assert limits.max_total_pixels * 3 <= 400 * 2**20  # as RGB, well inside a 2 GB function
