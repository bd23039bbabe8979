"""Concurrent requests in one process share the ONNX Runtime sessions: every answer must still be its own.

The local server (uvicorn) runs requests in a thread pool, so several threads call `session.run`
on the same sessions at once; one request's image, options or results must never leak into
another's. Each concurrent answer is compared with the answer the same input got alone.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bench.kit.bad_inputs import multipage_tiff, truncated_png
from bench.kit.raw_pdfs import text_pdf
from bench.kit.render import encode, render_line, render_page
from handler.app import create_app
from handler.settings import Settings
from ocr_core import OcrEngine, OcrOptions

THREADS = 8
ROUNDS = 3

LINES = ("并发测试 Thread 1", "Second line 二号", "第三行 Line 3", "Fourth 四 4444")
INPUTS: dict[str, tuple[bytes, dict[str, str]]] = {
    **{f"line_{i}": (encode(render_line(text)), {"mode": "line"}) for i, text in enumerate(LINES)},
    "page": (encode(render_page(list(LINES), width=700)), {"mode": "page"}),
    "page_auto_fast": (encode(render_page(LINES[:2], width=600)), {"model": "fast"}),
    "tiff_pages": (multipage_tiff(), {}),
    "pdf": (text_pdf("Concurrent PDF"), {}),
    "truncated": (truncated_png(), {}),
}


def answer(body: dict[str, Any]) -> Any:
    """What must not differ between a request alone and under load (timings and ids may)."""
    if not body["success"]:
        return body["error"]["code"]
    lines = [
        (line["text"], line["box"], line["page"], round(line["confidence"], 3)) for line in body["results"]
    ]
    return lines, body["pages"], body["model"]


def run_concurrently(work: Callable[[str], Any], names: list[str]) -> list[Any]:
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(work, names))


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()), raise_server_exceptions=False)


def post(client: TestClient, name: str) -> tuple[int, dict[str, Any], str]:
    data, query = INPUTS[name]
    response = client.post(
        "/ocr", params=query, files={"image": (f"{name}.bin", data, "application/octet-stream")}
    )
    return response.status_code, response.json(), response.headers["x-request-id"]


def test_api_concurrent_requests_each_get_their_own_answer(client: TestClient) -> None:
    alone = {name: answer(post(client, name)[1]) for name in INPUTS}
    names = [name for _ in range(ROUNDS) for name in INPUTS]
    results = run_concurrently(lambda name: post(client, name), names)
    for name, (status, body, request_id) in zip(names, results, strict=True):
        assert status == (422 if name == "truncated" else 200), body
        assert answer(body) == alone[name], name
        assert body["request_id"] == request_id
    assert len({request_id for _, _, request_id in results}) == len(results)


def test_engine_shared_sessions_concurrent_runs_match_sequential(engine: OcrEngine) -> None:
    images = {name: data for name, (data, _) in INPUTS.items() if name != "truncated"}
    options = {
        name: OcrOptions(mode=query.get("mode", "auto"), preset=query.get("model"))
        for name, (_, query) in INPUTS.items()
    }

    def read(name: str) -> Any:
        result = engine.run(images[name], options[name])
        return [(line.text, line.box, round(line.confidence, 3)) for line in result.lines]

    alone = {name: read(name) for name in images}
    names = [name for _ in range(ROUNDS) for name in images]
    assert run_concurrently(read, names) == [alone[name] for name in names]
    assert any(alone.values())  # the inputs really have text to get mixed up


def test_pdfs_decoded_in_several_threads_at_once_do_not_crash_the_process() -> None:
    # PDFium is not thread-safe; a threaded server once died under `make load`. The threads run
    # in their own process so a crash fails this test instead of killing the test runner.
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-m", "tests.helpers.pdf_threads", "40"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert "0 failures" in done.stdout
