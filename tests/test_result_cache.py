"""The in-process result cache: a repeated file answers without inference; memory stays bounded."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bench.kit.events import READ_TEXT, sample_bytes
from bench.kit.render import encode, render_line
from bench.scoring import normalise
from handler.app import create_app
from handler.result_cache import ResultCache
from handler.settings import Settings
from ocr_core import OcrEngine, OcrOptions


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(Settings(cache_size=8)))


def test_post_ocr_same_file_twice_second_answer_is_cached_and_equal(client: TestClient) -> None:
    data = encode(render_line("缓存测试 cache 42"))
    first = client.post("/ocr", files={"image": ("a.png", data, "image/png")}).json()
    second = client.post("/ocr", files={"image": ("b.png", data, "image/png")}).json()
    assert first["cached"] is False and second["cached"] is True
    assert second["results"] == first["results"] and second["text"] == first["text"]


def test_post_ocr_same_file_other_options_is_not_cached(client: TestClient) -> None:
    data = sample_bytes()
    client.post("/ocr", files={"image": ("a.png", data, "image/png")})
    other = client.post("/ocr?model=fast", files={"image": ("a.png", data, "image/png")}).json()
    assert other["cached"] is False and normalise(other["text"]) == READ_TEXT


def test_result_cache_evicts_least_recently_used(engine: OcrEngine) -> None:
    cache = ResultCache(max_entries=2)
    result = engine.run(encode(render_line("x1")))
    keys = [ResultCache.key(str(n).encode(), OcrOptions(), engine) for n in range(3)]
    cache.put(keys[0], result)
    cache.put(keys[1], result)
    assert cache.get(keys[0]) is result  # touch 0, so 1 is now the oldest
    cache.put(keys[2], result)
    assert len(cache) == 2 and cache.get(keys[1]) is None and cache.get(keys[0]) is result


def test_result_cache_size_zero_stores_nothing(engine: OcrEngine) -> None:
    cache = ResultCache(max_entries=0)
    key = ResultCache.key(b"x", OcrOptions(), engine)
    cache.put(key, engine.run(encode(render_line("x"))))
    assert len(cache) == 0 and cache.get(key) is None


def test_settings_cache_size_zero_allowed_negative_refused() -> None:
    assert Settings.from_env({"OCR_CACHE_SIZE": "0"}).cache_size == 0
    with pytest.raises(ValueError, match="OCR_CACHE_SIZE"):
        Settings.from_env({"OCR_CACHE_SIZE": "-1"})
