"""The app around the routes: OpenAPI docs, /health, settings from the environment, the local server."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from handler.app import create_app
from handler.local import create_local_app
from handler.settings import SYNC_MAX_BYTES, Settings
from ocr_core.models.sessions import loaded_sessions
from ocr_core.options import OPTION_SPECS


@pytest.fixture(scope="module")
def openapi() -> dict:
    return TestClient(create_app(Settings())).get("/openapi.json").json()


def test_openapi_every_route_declares_its_response_model(openapi: dict) -> None:
    for path in ("/ocr", "/health", "/uploads", "/results/{upload_id}"):
        for operation in openapi["paths"][path].values():
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            assert "$ref" in schema, path


@pytest.mark.parametrize("status", ["400", "413", "415", "422", "500", "503"])
def test_openapi_ocr_declares_error_schema(openapi: dict, status: str) -> None:
    response = openapi["paths"]["/ocr"]["post"]["responses"][status]
    assert response["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")


def test_openapi_ocr_documents_multipart_and_raw_bodies(openapi: dict) -> None:
    content = openapi["paths"]["/ocr"]["post"]["requestBody"]["content"]
    assert set(content) >= {"multipart/form-data", "image/*", "application/pdf"}
    assert set(content["multipart/form-data"]["schema"]["properties"]) == {"image", "file"}
    params = {p["name"] for p in openapi["paths"]["/ocr"]["post"]["parameters"]}
    assert params == {spec.name for spec in OPTION_SPECS} | {"s3_key"}


def test_docs_page_is_served() -> None:
    response = TestClient(create_app(Settings())).get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()


def test_health_reports_limits_and_uploads() -> None:
    before = loaded_sessions()
    body = TestClient(create_app(Settings(upload_bucket="b", presign_max_bytes=123))).get("/health").json()
    assert body["uploads"] is True and body["upload_max_bytes"] == 123
    assert body["max_bytes"] == SYNC_MAX_BYTES
    assert body["models_loaded"] == before == loaded_sessions()


def test_settings_from_env_reads_every_named_variable() -> None:
    env = {
        "OCR_MAX_BYTES": "1000",
        "OCR_MAX_PIXELS": "2000",
        "OCR_MAX_SIDE": "300",
        "OCR_MAX_PDF_PAGES": "4",
        "OCR_PDF_DPI": "150",
        "OCR_MAX_LINES": "50",
        "OCR_ALLOWED_ORIGINS": "https://a.example, https://b.example/",
        "OCR_UPLOAD_BUCKET": "bucket",
        "OCR_PRESIGN_MAX_BYTES": "5_000_000",
        "OCR_DEFAULT_PRESET": "fast",
    }
    settings = Settings.from_env(env)
    assert settings.allowed_origins == ("https://a.example", "https://b.example")
    assert settings.upload_bucket == "bucket"
    assert settings.default_preset == "fast"
    limits = settings.limits()
    assert (limits.max_bytes, limits.max_pixels, limits.max_side) == (1000, 2000, 300)
    assert (limits.max_pdf_pages, limits.pdf_dpi, limits.max_lines) == (4, 150, 50)
    assert settings.upload_limits().max_bytes == 5_000_000


def test_settings_explicit_override_beats_environment() -> None:
    assert Settings.from_env({"OCR_MAX_BYTES": "1000"}, max_bytes=7).max_bytes == 7


def test_settings_defaults_are_safe_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.max_bytes == SYNC_MAX_BYTES
    assert settings.allowed_origins == ()
    assert settings.upload_bucket is None


@pytest.mark.parametrize(("raw", "preload"), [("0", False), ("off", False), ("TRUE", True), ("yes", True)])
def test_settings_reads_preload_flag(raw: str, preload: bool) -> None:
    assert Settings.from_env({"OCR_PRELOAD": raw}).preload is preload
    assert Settings.from_env({}).preload is True  # on by default: cold starts are what it is for


def test_settings_bad_flag_raises() -> None:
    with pytest.raises(ValueError, match="OCR_PRELOAD"):
        Settings.from_env({"OCR_PRELOAD": "maybe"})


@pytest.mark.parametrize("value", ["lots", "-3", "0"])
def test_settings_bad_number_raises(value: str) -> None:
    with pytest.raises(ValueError, match="OCR_MAX_BYTES"):
        Settings.from_env({"OCR_MAX_BYTES": value})


def test_local_app_serves_page_at_root_and_api(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<title>OCR</title>", encoding="utf-8")
    client = TestClient(create_local_app(Settings(), web_dir=tmp_path))
    assert client.get("/").text == "<title>OCR</title>"
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/missing.js").status_code == 404


def test_local_app_without_web_dir_still_serves_api(tmp_path: Path) -> None:
    client = TestClient(create_local_app(Settings(), web_dir=tmp_path / "absent"))
    assert client.get("/health").status_code == 200
    assert client.get("/").json()["error"]["code"] == "not_found"


def test_lambda_app_serves_no_static_files() -> None:
    assert TestClient(create_app(Settings())).get("/index.html").status_code == 404
