"""More ways in: JSON base64 bodies with options, form-field options, and `s3_key` for uploaded files."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from moto import mock_aws

from bench.kit.render import encode, render_line
from bench.scoring import normalise
from handler.app import create_app
from handler.settings import Settings

BUCKET = "ocr-uploads-inputs"
TEXT = "Invoice 2024 发票"
PNG = encode(render_line(TEXT))


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings()))


@pytest.fixture
def s3(aws_env: dict[str, str]) -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def with_bucket(s3: Any, **settings: Any) -> TestClient:
    return TestClient(create_app(Settings(upload_bucket=BUCKET, **settings), s3_client=s3))


def test_post_ocr_json_base64_with_options_reads_the_image(client: TestClient) -> None:
    payload = {"image": base64.b64encode(PNG).decode(), "boxes": "word", "format": "json"}
    body = client.post("/ocr", json=payload).json()
    assert normalise(body["text"]) == normalise(TEXT)
    assert body["results"][0]["words"][0]["text"] == "Invoice"


def test_post_ocr_json_data_url_reads_the_image(client: TestClient) -> None:
    payload = {"image": "data:image/png;base64," + base64.b64encode(PNG).decode()}
    assert normalise(client.post("/ocr", json=payload).json()["text"]) == normalise(TEXT)


def test_post_ocr_form_field_option_wins_over_the_query(client: TestClient) -> None:
    response = client.post(
        "/ocr",
        params={"format": "json"},
        data={"format": "text"},
        files={"image": ("l.png", PNG, "image/png")},
    )
    assert response.headers["content-type"].startswith("text/plain")


def test_post_ocr_bad_option_in_json_body_returns_400(client: TestClient) -> None:
    response = client.post("/ocr", json={"image": base64.b64encode(PNG).decode(), "layout": "sideways"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_option"


def test_post_ocr_s3_key_reads_the_uploaded_object(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="uploads/abc/line.png", Body=PNG)
    body = with_bucket(s3).post("/ocr", json={"s3_key": "uploads/abc/line.png"}).json()
    assert normalise(body["text"]) == normalise(TEXT)


def test_post_ocr_s3_key_in_the_query_needs_no_body(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="uploads/abc/line.png", Body=PNG)
    response = with_bucket(s3).post("/ocr", params={"s3_key": "uploads/abc/line.png", "format": "text"})
    assert normalise(response.text.strip()) == normalise(TEXT)


@pytest.mark.parametrize(
    "key", ["results/abc/line.png.json", "uploads/../results/x", "other/line.png", "uploads/"]
)
def test_post_ocr_s3_key_outside_uploads_returns_400(s3: Any, key: str) -> None:
    s3.put_object(Bucket=BUCKET, Key="results/abc/line.png.json", Body=b"{}")
    response = with_bucket(s3).post("/ocr", json={"s3_key": key})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_option"


def test_post_ocr_s3_key_missing_object_returns_404(s3: Any) -> None:
    response = with_bucket(s3).post("/ocr", json={"s3_key": "uploads/nothing/here.png"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "object_not_found"


def test_post_ocr_s3_key_over_the_upload_cap_returns_413(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="uploads/abc/line.png", Body=PNG)
    response = with_bucket(s3, presign_max_bytes=100).post("/ocr", json={"s3_key": "uploads/abc/line.png"})
    assert response.status_code == 413


def test_post_ocr_s3_key_without_upload_bucket_returns_501(client: TestClient) -> None:
    response = client.post("/ocr", json={"s3_key": "uploads/abc/line.png"})
    assert response.status_code == 501
    assert response.json()["error"]["code"] == "uploads_disabled"


def test_post_ocr_json_without_image_or_key_returns_400(client: TestClient) -> None:
    response = client.post("/ocr", json={"layout": "lines"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "missing_file"


def test_post_uploads_stores_every_option_it_was_given(s3: Any) -> None:
    request = {"filename": "scan.pdf", "layout": "paragraphs", "lang": "zh", "ignore": "0,0,1,0.1"}
    upload = with_bucket(s3).post("/uploads", json=request).json()
    stored = json.loads(s3.get_object(Bucket=BUCKET, Key=f"options/{upload['id']}.json")["Body"].read())
    assert stored == {"layout": "paragraphs", "lang": "zh", "ignore": "0,0,1,0.1"}


def test_post_uploads_bad_new_option_returns_400(s3: Any) -> None:
    response = with_bucket(s3).post("/uploads", json={"filename": "scan.pdf", "pdf_text": "maybe"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_option"
