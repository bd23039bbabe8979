"""Large files: POST /uploads -> presigned S3 POST -> S3 trigger -> GET /results/{id}, on a moto server.

A real HTTP server (moto's) receives the form POST, so the presigned URL and fields are used
exactly as a browser would. moto does not enforce POST policy conditions, so the size cap is
checked in the policy document we sign.
"""

from __future__ import annotations

import base64
import json
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config
from fastapi.testclient import TestClient
from mangum import Mangum
from moto.server import ThreadedMotoServer

from bench.kit.events import (
    READ_TEXT,
    call_api,
    load_event,
    s3_event_for,
    sample_bytes,
    with_body,
    with_route,
)
from bench.kit.raw_pdfs import PDF_PASSWORD, encrypted_pdf
from bench.scoring import normalise
from handler.app import create_app
from handler.s3_trigger import process_event
from handler.settings import Settings

BUCKET = "ocr-uploads-roundtrip"
PNG = sample_bytes()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass(frozen=True)
class Bucket:
    client: Any
    name: str


@pytest.fixture
def bucket(endpoint: str, aws_env: dict[str, str]) -> Bucket:
    """A fresh bucket per test on the shared server, and a client made for that server."""
    client = boto3.client("s3", endpoint_url=endpoint, config=Config(signature_version="s3v4"))
    name = f"{BUCKET}-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=name)
    return Bucket(client, name)


@pytest.fixture
def settings(bucket: Bucket) -> Settings:
    return Settings(upload_bucket=bucket.name, presign_max_bytes=1_000_000, presign_expires_s=300)


@pytest.fixture
def api(settings: Settings, bucket: Bucket) -> TestClient:
    return TestClient(create_app(settings, s3_client=bucket.client), raise_server_exceptions=False)


def presign(api: TestClient, **request: Any) -> dict[str, Any]:
    response = api.post("/uploads", json={"filename": "line.png", "content_type": "image/png", **request})
    assert response.status_code == 200, response.text
    return response.json()


def post_file(upload: dict[str, Any], data: bytes) -> httpx.Response:
    files = {"file": ("line.png", data, "image/png")}
    return httpx.post(upload["url"], data=upload["fields"], files=files, timeout=30)


def deliver(bucket: Bucket, key: str) -> dict[str, int]:
    """What the bucket notification does in AWS (moto does not deliver it): fire the S3 event."""
    head = bucket.client.head_object(Bucket=bucket.name, Key=key)
    event = s3_event_for(bucket.name, key, head["ETag"], head["ContentLength"])
    return process_event(event, bucket.client, Settings(upload_bucket=bucket.name), "trigger-req")


def stored_result(bucket: Bucket, upload_key: str) -> dict[str, Any]:
    key = "results/" + upload_key.removeprefix("uploads/") + ".json"
    result: dict[str, Any] = json.loads(bucket.client.get_object(Bucket=bucket.name, Key=key)["Body"].read())
    return result


def policy_of(upload: dict[str, Any]) -> dict[str, Any]:
    return json.loads(base64.b64decode(upload["fields"]["policy"]))


def test_presigned_upload_round_trip_returns_result(api: TestClient, bucket: Bucket) -> None:
    upload = presign(api, mode="auto")
    assert upload["key"] == f"uploads/{upload['id']}/line.png"
    assert api.get(f"/results/{upload['id']}").status_code == 404  # pending until the trigger ran

    assert post_file(upload, PNG).status_code in (200, 201, 204)
    assert bucket.client.get_object(Bucket=bucket.name, Key=upload["key"])["Body"].read() == PNG
    assert deliver(bucket, upload["key"]) == {"written": 1}

    response = api.get(f"/results/{upload['id']}")
    assert response.status_code == 200
    body = response.json()
    assert normalise(body["text"]) == READ_TEXT
    assert body["source"]["key"] == upload["key"]
    assert upload["result_url"].endswith(f"/results/{upload['id']}")


def test_presigned_upload_chinese_name_round_trip(api: TestClient, bucket: Bucket) -> None:
    upload = presign(api, filename="C:\\扫描 件+1.png")
    assert upload["key"] == f"uploads/{upload['id']}/扫描 件+1.png"
    post_file(upload, PNG)
    deliver(bucket, upload["key"])
    assert normalise(api.get(f"/results/{upload['id']}").json()["text"]) == READ_TEXT


def test_presigned_upload_options_reach_the_trigger(api: TestClient, bucket: Bucket) -> None:
    upload = presign(api, mode="line", model="fast")
    post_file(upload, PNG)
    deliver(bucket, upload["key"])
    body = api.get(f"/results/{upload['id']}").json()
    assert body["model"]["preset"] == "fast"
    assert body["pages"][0]["mode"] == "line"


def test_presigned_upload_unreadable_file_result_has_error_status(api: TestClient, bucket: Bucket) -> None:
    upload = presign(api)
    post_file(upload, b"definitely not a png")
    assert deliver(bucket, upload["key"]) == {"error_written": 1}
    response = api.get(f"/results/{upload['id']}")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert response.json()["success"] is False


def test_post_uploads_through_lambda_gives_https_result_url(settings: Settings, bucket: Bucket) -> None:
    # Behind API Gateway the page may live on another origin, so result_url must be absolute https.
    lambda_handler = Mangum(create_app(settings, s3_client=bucket.client), lifespan="off")
    request = json.dumps({"filename": "line.png", "content_type": "image/png"}).encode()
    event = with_route(
        with_body(load_event("apigw_v2_json"), request, "application/json"), "POST", "/uploads"
    )
    response = call_api(lambda_handler, event)
    assert response.status == 200, response.body
    upload = response.json()
    host = event["headers"]["host"]
    assert upload["result_url"] == f"https://{host}/results/{upload['id']}"


def test_presigned_policy_caps_size(api: TestClient, settings: Settings) -> None:
    policy = policy_of(presign(api))
    assert ["content-length-range", 1, settings.presign_max_bytes] in policy["conditions"]


def test_presigned_policy_pins_key_and_type_and_keeps_options_server_side(
    api: TestClient, bucket: Bucket
) -> None:
    upload = presign(api, mode="page", pages="1-2", password="s3cret")
    conditions = policy_of(upload)["conditions"]
    assert {"key": upload["key"]} in conditions
    assert {"bucket": bucket.name} in conditions
    assert {"Content-Type": "image/png"} in conditions
    # The options (a password among them) never travel in the form the browser posts.
    assert not any(name.startswith("x-amz-meta-") for name in upload["fields"])
    stored = bucket.client.get_object(Bucket=bucket.name, Key=f"options/{upload['id']}.json")["Body"].read()
    assert json.loads(stored) == {"mode": "page", "pages": "1-2", "password": "s3cret"}


def test_presigned_upload_password_and_allowed_chars_reach_the_trigger(
    api: TestClient, bucket: Bucket
) -> None:
    locked = presign(api, filename="locked.pdf", content_type="application/pdf", password=PDF_PASSWORD)
    post_file(locked, encrypted_pdf("Top secret"))
    assert deliver(bucket, locked["key"]) == {"written": 1}
    assert api.get(f"/results/{locked['id']}").json()["text"] == "Top secret"

    digits = presign(api, allowed_chars="0123456789零一二", mode="line")
    post_file(digits, PNG)
    deliver(bucket, digits["key"])
    assert set(api.get(f"/results/{digits['id']}").json()["text"]) <= set("0123456789零一二 ")


def test_direct_upload_options_from_percent_encoded_metadata(bucket: Bucket) -> None:
    key = f"uploads/{uuid.uuid4()}/line.png"
    metadata = {"ocr-mode": "line", "ocr-allowed_chars": "0123456789%E9%9B%B6"}  # 零, percent-encoded
    bucket.client.put_object(Bucket=bucket.name, Key=key, Body=PNG, Metadata=metadata)
    assert deliver(bucket, key) == {"written": 1}
    stored = json.loads(
        bucket.client.get_object(Bucket=bucket.name, Key=f"results/{key[8:]}.json")["Body"].read()
    )
    assert stored["pages"][0]["mode"] == "line"
    assert set(stored["text"]) <= set("0123456789零 ") and "2024" in stored["text"]


def test_direct_upload_misspelled_metadata_option_gets_an_error_result(bucket: Bucket) -> None:
    key = f"uploads/{uuid.uuid4()}/line.png"
    bucket.client.put_object(Bucket=bucket.name, Key=key, Body=PNG, Metadata={"ocr-layuot": "paragraphs"})
    assert deliver(bucket, key) == {"error_written": 1}
    stored = json.loads(
        bucket.client.get_object(Bucket=bucket.name, Key=f"results/{key[8:]}.json")["Body"].read()
    )
    assert stored["error"]["code"] == "invalid_option" and "layout" in stored["error"]["message"]


@pytest.mark.parametrize("request_", [{"format": "pdf"}, {"layuot": "paragraphs"}])
def test_post_uploads_option_an_upload_cannot_keep_returns_400(
    api: TestClient, request_: dict[str, str]
) -> None:
    response = api.post("/uploads", json={"filename": "a.png", **request_})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_option"


def test_post_uploads_declared_size_over_cap_returns_413(api: TestClient, settings: Settings) -> None:
    response = api.post("/uploads", json={"filename": "big.pdf", "size": settings.presign_max_bytes + 1})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "input_too_large"


@pytest.mark.parametrize("request_", [{"mode": "sideways"}, {"model": "huge"}, {"pages": "a-b"}])
def test_post_uploads_bad_option_returns_400(api: TestClient, request_: dict[str, str]) -> None:
    response = api.post("/uploads", json={"filename": "a.png", **request_})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_option"


def test_get_results_unknown_id_returns_404(api: TestClient) -> None:
    response = api.get(f"/results/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "result_not_found"
