"""CORS: the configured origins only (never `*`), on answers and errors alike, and none by default."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from handler.app import create_app
from handler.settings import Settings


def client_for(**settings: Any) -> TestClient:
    return TestClient(create_app(Settings(**settings)), raise_server_exceptions=False)


@pytest.fixture
def client() -> TestClient:
    return client_for()


def test_cors_preflight_allows_configured_origin() -> None:
    client = client_for(allowed_origins=("https://ocr.example.com",))
    headers = {"origin": "https://ocr.example.com", "access-control-request-method": "POST"}
    response = client.options("/ocr", headers=headers)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://ocr.example.com"


def test_cors_preflight_refuses_other_origin() -> None:
    client = client_for(allowed_origins=("https://ocr.example.com",))
    headers = {"origin": "https://evil.example", "access-control-request-method": "POST"}
    response = client.options("/ocr", headers=headers)
    assert "access-control-allow-origin" not in response.headers


def test_cors_headers_on_error_responses() -> None:
    client = client_for(allowed_origins=("https://ocr.example.com",))
    response = client.post("/ocr", headers={"origin": "https://ocr.example.com"})
    assert response.status_code == 400
    assert response.headers["access-control-allow-origin"] == "https://ocr.example.com"
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()


def test_no_cors_headers_without_configured_origins(client: TestClient) -> None:
    response = client.get("/health", headers={"origin": "https://ocr.example.com"})
    assert "access-control-allow-origin" not in response.headers
