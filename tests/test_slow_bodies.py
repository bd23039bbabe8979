"""Slow, stalled and abandoned request bodies against the real local server (uvicorn).

In AWS, API Gateway buffers the whole body before the function runs, so only the local server
meets these clients; it must not hold a connection open for a client that stopped sending, and
a client that leaves must be a clean log line, not an "unhandled error".
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.kit.local_server import local_server

BODY_TIMEOUT_S = "1"
REQUEST_HEAD = (
    "POST /ocr HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
    "Content-Length: 100000\r\nConnection: close\r\n\r\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    log_path = tmp_path_factory.mktemp("slow") / "server.log"
    env = {"OCR_BODY_TIMEOUT_S": BODY_TIMEOUT_S, "OCR_PRELOAD": "0"}
    with local_server(env=env, log_path=log_path) as (base_url, _process):
        yield base_url, log_path


def connect(base_url: str) -> socket.socket:
    host, port = base_url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def log_lines(log_path: Path) -> list[dict[str, object]]:
    lines = []
    for text in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines


def test_stalled_body_gets_408_error_json(server: tuple[str, Path]) -> None:
    base_url, _ = server
    with connect(base_url) as sock:
        sock.sendall(REQUEST_HEAD.encode() + b"\x89PNG" + b"\0" * 1020)  # 1 KB, then nothing
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), head
    answer = json.loads(body)
    assert answer["success"] is False and answer["error"]["code"] == "request_timeout"


def test_client_leaving_mid_body_is_logged_cleanly(server: tuple[str, Path]) -> None:
    base_url, log_path = server
    with connect(base_url) as sock:
        sock.sendall(REQUEST_HEAD.encode() + b"\x89PNG" + b"\0" * 1020)
    for _ in range(100):  # the server notices the closed connection on its next read
        codes = [line.get("error_code") for line in log_lines(log_path) if line.get("message") == "request"]
        if "client_disconnected" in codes:
            break
        time.sleep(0.1)
    assert "client_disconnected" in codes
    assert not [line for line in log_lines(log_path) if line.get("level") == "ERROR"]
