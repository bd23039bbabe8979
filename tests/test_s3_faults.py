"""Faults on the S3 path, injected into a moto client with botocore's event hooks.

tests/test_s3_trigger.py covers the happy path, replays, a deleted object, a connection error
on GetObject and a missing bucket. Here: S3 errors (ClientError) on each call the trigger
makes, a result write that fails once and the retry that follows, a body that breaks while
being read, events out of order, keys with special characters, and the template wiring that
turns a raised failure into retries and then a message in the dead-letter queue.

The bucket is versioned, so "written once" is counted from the result's versions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import yaml
from botocore.exceptions import ClientError, ResponseStreamingError

from bench.kit.bad_inputs import line_png
from bench.kit.events import s3_event_for
from bench.kit.raw_pdfs import text_pdf
from handler import s3_trigger
from handler.settings import Settings
from tests import test_template
from tests.helpers.aws import moto_bucket

BUCKET = "ocr-uploads-faults"
PNG = line_png()


@pytest.fixture
def s3() -> Iterator[Any]:
    with moto_bucket(BUCKET, versioned=True) as client:
        yield client


def upload(s3: Any, key: str, data: bytes = PNG) -> dict[str, Any]:
    put = s3.put_object(Bucket=BUCKET, Key=key, Body=data)
    return s3_event_for(BUCKET, key, put["ETag"], len(data))


def result_versions(s3: Any, key: str) -> list[dict[str, Any]]:
    versions = s3.list_object_versions(Bucket=BUCKET, Prefix=key).get("Versions", [])
    return [version for version in versions if version["Key"] == key]


def stored(s3: Any, key: str) -> dict[str, Any]:
    return json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())


def s3_error(code: str, operation: str, status: int = 500) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, operation
    )


def fail(s3: Any, operation: str, error: Exception, times: int = 1_000) -> list[int]:
    """Make the next `times` calls of `operation` raise `error`; returns a list counting them."""
    calls: list[int] = []

    def hook(**_: Any) -> None:
        if len(calls) < times:
            calls.append(1)
            raise error

    s3.meta.events.register(f"before-call.s3.{operation}", hook)
    return calls


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    """template.yaml parsed, short-form tags (!Ref, !If ...) as their long forms."""
    return yaml.load(test_template.TEMPLATE.read_text(encoding="utf-8"), Loader=test_template._CfnLoader)


# ---- reading the upload fails --------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        s3_error("AccessDenied", "GetObject", 403),
        s3_error("InternalError", "GetObject"),
        s3_error("SlowDown", "GetObject", 503),
    ],
    ids=["access_denied", "internal_error", "slow_down"],
)
def test_trigger_get_object_client_error_raises_for_retry(s3: Any, error: ClientError) -> None:
    event = upload(s3, "uploads/g/line.png")
    fail(s3, "GetObject", error)
    with pytest.raises(ClientError) as raised:
        s3_trigger.process_event(event, s3, Settings())
    assert raised.value is error
    assert result_versions(s3, "results/g/line.png.json") == []


def test_trigger_result_check_client_error_raises_for_retry(s3: Any) -> None:
    event = upload(s3, "uploads/h/line.png")
    fail(s3, "HeadObject", s3_error("AccessDenied", "HeadObject", 403))
    with pytest.raises(ClientError):
        s3_trigger.process_event(event, s3, Settings())
    assert result_versions(s3, "results/h/line.png.json") == []


def test_trigger_body_breaking_while_read_raises_for_retry(s3: Any) -> None:
    event = upload(s3, "uploads/b/line.png")

    class BrokenBody:
        def read(self, *_: Any) -> bytes:
            raise ResponseStreamingError(error="connection reset by peer")

        def close(self) -> None:
            pass

    def swap_body(parsed: dict[str, Any], **_: Any) -> None:
        parsed["Body"] = BrokenBody()

    s3.meta.events.register("after-call.s3.GetObject", swap_body)
    with pytest.raises(ResponseStreamingError):
        s3_trigger.process_event(event, s3, Settings())
    assert result_versions(s3, "results/b/line.png.json") == []


# ---- writing the result fails --------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [s3_error("InternalError", "PutObject"), ConnectionError("S3 unreachable")],
    ids=["client_error", "connection_error"],
)
def test_trigger_put_result_failure_raises_then_retry_writes_once(s3: Any, error: Exception) -> None:
    event = upload(s3, "uploads/p/line.png")
    calls = fail(s3, "PutObject", error, times=1)
    with pytest.raises(type(error)):
        s3_trigger.process_event(event, s3, Settings())
    assert calls == [1] and result_versions(s3, "results/p/line.png.json") == []
    # Lambda retries the same event: this time the write goes through, and only once.
    assert s3_trigger.process_event(event, s3, Settings()) == {"written": 1}
    assert s3_trigger.process_event(event, s3, Settings()) == {"duplicate": 1}
    assert len(result_versions(s3, "results/p/line.png.json")) == 1
    assert stored(s3, "results/p/line.png.json")["success"] is True


def test_trigger_error_json_write_failure_is_raised_not_swallowed(s3: Any) -> None:
    event = upload(s3, "uploads/e/notes.png", b"plain text, not an image")
    fail(s3, "PutObject", s3_error("InternalError", "PutObject"), times=1)
    with pytest.raises(ClientError):
        s3_trigger.process_event(event, s3, Settings())
    assert s3_trigger.process_event(event, s3, Settings()) == {"error_written": 1}
    assert stored(s3, "results/e/notes.png.json")["error"]["code"] == "unsupported_media_type"


def test_trigger_event_retry_after_partial_failure_writes_each_result_once(s3: Any) -> None:
    first, second = upload(s3, "uploads/m/a.png"), upload(s3, "uploads/m/b.pdf", text_pdf())
    event = {"Records": first["Records"] + second["Records"]}
    fail(s3, "PutObject", s3_error("InternalError", "PutObject"), times=1)  # only a.png's write fails
    with pytest.raises(ClientError):
        s3_trigger.process_event(event, s3, Settings())
    assert s3_trigger.process_event(event, s3, Settings()) == {"written": 1, "duplicate": 1}
    for key in ("results/m/a.png.json", "results/m/b.pdf.json"):
        assert len(result_versions(s3, key)) == 1


# ---- delivery order --------------------------------------------------------------------------------


def test_trigger_same_event_delivered_three_times_writes_once(s3: Any) -> None:
    event = upload(s3, "uploads/d/line.png")
    outcomes = [s3_trigger.process_event(event, s3, Settings()) for _ in range(3)]
    assert outcomes == [{"written": 1}, {"duplicate": 1}, {"duplicate": 1}]
    assert len(result_versions(s3, "results/d/line.png.json")) == 1


def test_trigger_events_out_of_order_write_the_latest_upload_once(s3: Any) -> None:
    old_event = upload(s3, "uploads/o/doc.png", b"the first upload was not an image")
    new_event = upload(s3, "uploads/o/doc.png", PNG)  # replaced before any event was handled
    assert s3_trigger.process_event(new_event, s3, Settings()) == {"written": 1}
    assert s3_trigger.process_event(old_event, s3, Settings()) == {"duplicate": 1}
    versions = result_versions(s3, "results/o/doc.png.json")
    assert len(versions) == 1
    result = stored(s3, "results/o/doc.png.json")
    assert result["success"] is True
    assert result["source"]["etag"] == new_event["Records"][0]["s3"]["object"]["eTag"]


def test_trigger_stale_event_first_reads_the_current_object(s3: Any) -> None:
    old_event = upload(s3, "uploads/s/doc.png", b"the first upload was not an image")
    new_event = upload(s3, "uploads/s/doc.png", PNG)
    assert s3_trigger.process_event(old_event, s3, Settings()) == {"written": 1}  # reads what is there now
    assert s3_trigger.process_event(new_event, s3, Settings()) == {"duplicate": 1}
    assert len(result_versions(s3, "results/s/doc.png.json")) == 1
    assert stored(s3, "results/s/doc.png.json")["success"] is True


# ---- keys ------------------------------------------------------------------------------------------

SPECIAL_KEYS = [
    "uploads/k/100% sure.png",
    "uploads/k/a#b?c=d&e=f.png",
    'uploads/k/quote\'s "double".png',
    "uploads/k/ümlaut ✓ 📄.png",
    "uploads/k/tab\tand~tilde.png",
    "uploads/k/../dots/./x.png",
    "uploads/k/trailing space .png",
    "uploads/k/" + "长" * 300 + ".png",
]


@pytest.mark.parametrize("key", SPECIAL_KEYS, ids=range(len(SPECIAL_KEYS)))
def test_trigger_special_character_key_result_lands_beside_it(s3: Any, key: str) -> None:
    event = upload(s3, key)
    assert s3_trigger.process_event(event, s3, Settings()) == {"written": 1}
    result_key = "results/" + key[len("uploads/") :] + ".json"
    result = stored(s3, result_key)
    assert result["success"] is True and result["source"]["key"] == key
    assert len(result_versions(s3, result_key)) == 1


# ---- the template: raised failures are retried, then kept in the dead-letter queue --------------


def test_template_trigger_retries_twice_then_sends_to_dead_letter_queue(stack: dict[str, Any]) -> None:
    trigger = stack["Resources"]["UploadTriggerFunction"]["Properties"]
    config = trigger["EventInvokeConfig"]
    assert config["MaximumRetryAttempts"] == 2
    assert config["DestinationConfig"]["OnFailure"]["Destination"] == {"Fn::GetAtt": "DeadLetterQueue.Arn"}
    send_policies = [p for p in trigger["Policies"] if "SQSSendMessagePolicy" in p]
    assert send_policies == [  # its dead-letter queue, and the chunk queue of the jobs it starts
        {"SQSSendMessagePolicy": {"QueueName": {"Fn::GetAtt": "DeadLetterQueue.QueueName"}}},
        {"SQSSendMessagePolicy": {"QueueName": {"Fn::GetAtt": "ChunkQueue.QueueName"}}},
    ]
    queue = stack["Resources"]["DeadLetterQueue"]["Properties"]
    assert queue["MessageRetentionPeriod"] >= 4 * 24 * 3600  # long enough to notice and redrive


def test_template_trigger_timeout_leaves_room_for_a_full_document(stack: dict[str, Any]) -> None:
    # A timeout is a failure too (retried, then dead-lettered): the budget must fit the page cap.
    trigger = stack["Resources"]["UploadTriggerFunction"]["Properties"]
    assert trigger["Timeout"] >= 120


def sqs_message_for(event: dict[str, Any], error: Exception) -> dict[str, Any]:
    """What Lambda's OnFailure destination puts in the queue: the event and the error, nothing lost."""
    return {
        "requestContext": {"condition": "RetriesExhausted", "approximateInvokeCount": 3},
        "requestPayload": event,
        "responseContext": {"functionError": "Unhandled"},
        "responsePayload": {"errorType": type(error).__name__, "errorMessage": str(error)},
    }


def test_trigger_event_redriven_from_dead_letter_queue_writes_result(
    s3: Any, aws_env: dict[str, str]
) -> None:
    event = upload(s3, "uploads/q/line.png")
    error = s3_error("InternalError", "PutObject")
    fail(s3, "PutObject", error, times=3)
    raised: list[Exception] = []
    for _attempt in range(3):  # the first try and Lambda's two retries
        with pytest.raises(ClientError) as failure:
            s3_trigger.process_event(event, s3, Settings())
        raised.append(failure.value)
    sqs = boto3.client("sqs", region_name="us-east-1")
    queue = sqs.create_queue(QueueName="ocr-dlq")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(sqs_message_for(event, raised[-1])))
    message = json.loads(sqs.receive_message(QueueUrl=queue)["Messages"][0]["Body"])
    # Redrive: the event from the queue, once S3 is healthy again, writes the result.
    assert s3_trigger.process_event(message["requestPayload"], s3, Settings()) == {"written": 1}
    assert stored(s3, "results/q/line.png.json")["success"] is True
