"""The sample events in events/: complete, real-shaped, reproducible, and routed by handler.invoke."""

from __future__ import annotations

import base64
import json
import runpy
from pathlib import Path
from typing import Any

import pytest

from bench.kit.events import EVENTS_DIR, READ_TEXT, load_event, sample_bytes
from bench.scoring import normalise
from handler.invoke import invoke, main
from handler.jobs.records import ChunkMessage
from tests.helpers.jobs import job_stack

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
API_KINDS = ("multipart", "binary", "json", "missing_field", "health")
API_EVENTS = [f"apigw_{version}_{kind}" for version in ("v1", "v2") for kind in API_KINDS]


def test_events_folder_has_every_sample_the_issue_lists() -> None:
    names = {path.stem for path in EVENTS_DIR.glob("*.json")}
    assert names >= {*API_EVENTS, "s3_put", "apigw_v2_page", "sqs_chunk"}


@pytest.mark.parametrize("name", [n for n in API_EVENTS if n.startswith("apigw_v2")])
def test_events_v2_have_http_api_payload_shape(name: str) -> None:
    event = load_event(name)
    assert event["version"] == "2.0"
    context = event["requestContext"]
    assert context["http"]["method"] + " " + context["http"]["path"] == event["routeKey"]
    assert context["requestId"] and context["stage"] == "$default"
    assert isinstance(event["isBase64Encoded"], bool)
    assert all(key == key.lower() for key in event["headers"])


@pytest.mark.parametrize("name", [n for n in API_EVENTS if n.startswith("apigw_v1")])
def test_events_v1_have_rest_api_payload_shape(name: str) -> None:
    event = load_event(name)
    assert event["httpMethod"] == event["requestContext"]["httpMethod"]
    assert event["resource"] == event["path"]
    assert event["multiValueHeaders"] == {k: [v] for k, v in event["headers"].items()}
    assert event["requestContext"]["requestId"]


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_events_bodies_carry_the_sample_image_byte_for_byte(version: str) -> None:
    png = sample_bytes()
    assert base64.b64decode(load_event(f"apigw_{version}_binary")["body"]) == png
    assert png in base64.b64decode(load_event(f"apigw_{version}_multipart")["body"])
    json_body = json.loads(load_event(f"apigw_{version}_json")["body"])
    assert base64.b64decode(json_body["image"]) == png


def test_events_s3_put_key_is_url_encoded_like_s3() -> None:
    record = load_event("s3_put")["Records"][0]
    assert record["eventSource"] == "aws:s3" and record["eventName"].startswith("ObjectCreated")
    assert record["s3"]["object"]["key"].startswith("uploads/")
    assert " " not in record["s3"]["object"]["key"]


@pytest.mark.skipif(not FONT.exists(), reason="fonts-noto-cjk is not installed (run `make system-deps`)")
def test_make_events_reproduces_the_committed_files(tmp_path: Path) -> None:
    (tmp_path / "events").mkdir()
    module = runpy.run_path(str(EVENTS_DIR / "make_events.py"))
    module["main"](tmp_path / "events", tmp_path / "data")
    for path in sorted((tmp_path / "events").glob("*.json")):
        assert path.read_bytes() == (EVENTS_DIR / path.name).read_bytes(), path.name
    assert (tmp_path / "data" / "sample_line.png").read_bytes() == sample_bytes()
    assert (tmp_path / "data" / "sample_page.png").read_bytes() == sample_bytes("sample_page.png")


def test_invoke_routes_api_events_to_the_api_handler() -> None:
    response: Any = invoke(load_event("apigw_v1_health"))
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["status"] == "ok"


def test_events_sqs_chunk_is_a_chunk_message_of_the_sample_bucket() -> None:
    record = load_event("sqs_chunk")["Records"][0]
    assert record["eventSource"] == "aws:sqs" and record["attributes"]["ApproximateReceiveCount"] == "1"
    message = ChunkMessage.from_dict(json.loads(record["body"]))
    assert message.part == message.keys.part(0, "pdf") and message.pages == tuple(range(1, 9))


def test_invoke_routes_sqs_events_to_the_job_worker() -> None:
    with job_stack() as stack:
        event = load_event("sqs_chunk")
        record = event["Records"][0]
        record["body"] = record["body"].replace(json.loads(record["body"])["bucket"], stack.bucket)
        # The message names an upload this bucket does not hold (any more): the worker drops it.
        assert invoke(event) == {"batchItemFailures": []}
        assert stack.keys("jobs/") == []


def test_invoke_rejects_unknown_events() -> None:
    with pytest.raises(ValueError, match="not an API Gateway"):
        invoke({"detail-type": "Scheduled Event"})


def test_invoke_main_prints_readable_response(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(EVENTS_DIR / "apigw_v2_binary.json")]) == 0
    out = capsys.readouterr().out
    response = json.loads(out[out.index('{\n  "statusCode"') :])
    assert response["statusCode"] == 200
    assert normalise(response["body"]["text"]) == READ_TEXT
