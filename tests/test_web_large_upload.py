"""Files over the synchronous limit: the page uploads them to S3 with a presigned POST and polls.

moto's server stands in for S3, so the browser really POSTs the file to a bucket. moto does not
deliver bucket notifications, so a watcher thread plays that part of S3: when an object appears
under `uploads/` it hands the real trigger (`handler.s3_trigger.process_event`) the notification
a bucket would send. Everything else is the real local server and the real page.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import boto3
import pytest
from moto.server import ThreadedMotoServer
from playwright.sync_api import Browser, Page, Route, expect

from bench.kit.local_server import REPO, free_port
from bench.kit.render import encode, render_page
from handler.s3_trigger import process_event
from handler.settings import Settings
from tests.web.harness import (
    WAIT_MS,
    close_page,
    local_server,
    open_page,
    wait_until_ready,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=WAIT_MS)

BUCKET = "ocr-uploads-test"
REGION = "us-east-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
}
LINES = ("大文件上传 Large upload", "轮询结果 Polling 2024")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        s3_client(endpoint).create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture(scope="module")
def server(s3_endpoint: str) -> Iterator[str]:
    env = {**CREDENTIALS, "AWS_ENDPOINT_URL": s3_endpoint, "OCR_UPLOAD_BUCKET": BUCKET}
    with local_server(env=env) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def notifications(s3_endpoint: str) -> Iterator[list[dict[str, Any]]]:
    """Run the S3 trigger for each new object under uploads/, as the bucket notification would."""
    handled: list[dict[str, Any]] = []
    stop = threading.Event()
    worker = threading.Thread(target=_deliver_notifications, args=(s3_endpoint, handled, stop), daemon=True)
    worker.start()
    yield handled
    stop.set()
    worker.join(timeout=30)


def _deliver_notifications(endpoint: str, handled: list[dict[str, Any]], stop: threading.Event) -> None:
    s3 = s3_client(endpoint)
    settings = Settings(upload_bucket=BUCKET)
    seen: set[str] = set()
    while not stop.wait(0.2):
        for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="uploads/").get("Contents", []):
            if item["Key"] not in seen:
                seen.add(item["Key"])
                event = _notification(item["Key"], item["ETag"].strip('"'), item["Size"])
                handled.append({"key": item["Key"], "outcome": process_event(event, s3, settings)})


def _notification(key: str, etag: str, size: int) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((REPO / "events" / "s3_put.json").read_text(encoding="utf-8"))
    record = event["Records"][0]
    record["s3"]["bucket"].update(name=BUCKET, arn=f"arn:aws:s3:::{BUCKET}")
    record["s3"]["object"].update(key=quote_plus(key, safe="/"), eTag=etag, size=size)
    return event


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    page = open_page(browser, server)
    # As if the deploy had set a small synchronous limit: this test's small image counts as large.
    body = 'window.OCR_CONFIG = {"apiBase": "", "syncMaxBytes": 1000};'

    def serve_config(route: Route) -> None:
        route.fulfill(status=200, content_type="text/javascript", body=body)

    page.route("**/config.js", serve_config)
    page.reload()
    wait_until_ready(page)
    yield page
    close_page(page)


def test_file_over_sync_limit_goes_through_presigned_upload_and_polling(
    page: Page, notifications: list[dict[str, Any]], s3_endpoint: str, tmp_path: Path
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.method} {r.url}"))
    image = encode(render_page(LINES, size=40, width=760))
    assert len(image) > 1000

    page.set_input_files("#file-input", {"name": "large scan.png", "mimeType": "image/png", "buffer": image})

    expect(page.locator("#progress-label")).to_have_text(re.compile("Waiting for the result"))
    expect(page.locator("li.line")).to_have_count(2)
    texts = [re.sub(r"\s+", "", t) for t in page.locator("li.line .line-text").all_inner_texts()]
    assert texts == [re.sub(r"\s+", "", line) for line in LINES]
    expect(page.locator(".overlay .box")).to_have_count(2)
    expect(page.locator("#error")).to_be_hidden()

    assert any(r.startswith("POST ") and r.endswith("/uploads") for r in requests)
    assert f"POST {s3_endpoint}/{BUCKET}" in requests  # the browser sent the file straight to S3
    assert any(r.startswith("GET ") and "/results/" in r for r in requests)
    assert [item["outcome"] for item in notifications] == [{"written": 1}]
    assert notifications[0]["key"].endswith("/large scan.png")
    assert not any(r.split("?")[0].endswith("/ocr") for r in requests)  # never through POST /ocr
