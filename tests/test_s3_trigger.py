"""The S3 upload trigger against moto: results, encoded keys, replays, bad files, real failures.

Clients are created inside `mock_aws`, events are events/s3_put.json pointed at the object the
test uploaded, and the bucket is versioned so "written once" is counted, not assumed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bench.kit.events import READ_TEXT, load_event, s3_event_for, sample_bytes
from bench.scoring import normalise
from handler import s3_trigger, storage
from handler.deadline import Deadline
from handler.engine import get_engine
from handler.invoke import LocalContext, invoke
from handler.settings import Settings
from tests.helpers.aws import moto_bucket

BUCKET = "ocr-uploads-test"
PNG = sample_bytes()


@pytest.fixture
def s3() -> Iterator[Any]:
    with moto_bucket(BUCKET, versioned=True) as client:
        yield client


def upload(s3: Any, key: str, data: bytes = PNG, **metadata: str) -> dict[str, Any]:
    """Put an object as a presigned upload would and return the event S3 would send for it."""
    put = s3.put_object(Bucket=BUCKET, Key=key, Body=data, Metadata=metadata)
    return s3_event_for(BUCKET, key, put["ETag"], len(data))


def stored(s3: Any, key: str) -> dict[str, Any]:
    return json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())


def versions(s3: Any, prefix: str) -> list[dict[str, Any]]:
    return s3.list_object_versions(Bucket=BUCKET, Prefix=prefix).get("Versions", [])


def keys(s3: Any, prefix: str) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])]


def test_trigger_writes_result_json_under_results(s3: Any) -> None:
    event = upload(s3, "uploads/abc/line.png")
    assert s3_trigger.process_event(event, s3, Settings(), "req-1") == {"written": 1}
    result = stored(s3, "results/abc/line.png.json")
    assert result["success"] is True
    assert normalise(result["text"]) == READ_TEXT
    assert result["request_id"] == "req-1"
    etag = s3.head_object(Bucket=BUCKET, Key="uploads/abc/line.png")["ETag"].strip('"')
    assert result["source"] == {"bucket": BUCKET, "key": "uploads/abc/line.png", "etag": etag}
    head = s3.head_object(Bucket=BUCKET, Key="results/abc/line.png.json")
    assert head["ContentType"].startswith("application/json")


@pytest.mark.parametrize(
    "key",
    [
        "uploads/0b5c/my scan.png",
        "uploads/0b5c/发票 2024.png",
        "uploads/0b5c/a+b.png",
        "uploads/0b5c/你好 世界+1.png",
    ],
)
def test_trigger_url_encoded_key_is_decoded(s3: Any, key: str) -> None:
    event = upload(s3, key)
    assert event["Records"][0]["s3"]["object"]["key"] != key  # it really is encoded
    s3_trigger.process_event(event, s3, Settings())
    assert stored(s3, f"results/{key[len('uploads/') :]}.json")["source"]["key"] == key


def test_trigger_sample_event_key_decodes_to_upload_key(s3: Any) -> None:
    event = load_event("s3_put")
    raw_key = event["Records"][0]["s3"]["object"]["key"]
    assert "%E4%BD%A0" in raw_key and "%2B" in raw_key and "+" in raw_key
    key = "uploads/0b5c9d3e-7f1a-4c2b-9e8d-6a5f4b3c2d1e/你好 世界+1.png"
    s3.put_object(Bucket=BUCKET, Key=key, Body=PNG)
    event["Records"][0]["s3"]["bucket"]["name"] = BUCKET
    assert s3_trigger.process_event(event, s3, Settings()) == {"written": 1}
    assert (
        normalise(stored(s3, "results/0b5c9d3e-7f1a-4c2b-9e8d-6a5f4b3c2d1e/你好 世界+1.png.json")["text"])
        == READ_TEXT
    )


def test_trigger_replay_same_etag_writes_once(s3: Any) -> None:
    event = upload(s3, "uploads/r/line.png")
    first = s3_trigger.process_event(event, s3, Settings())
    second = s3_trigger.process_event(event, s3, Settings())
    assert (first, second) == ({"written": 1}, {"duplicate": 1})
    assert len(versions(s3, "results/r/line.png.json")) == 1


def test_trigger_new_upload_same_key_rewrites_result(s3: Any) -> None:
    s3_trigger.process_event(upload(s3, "uploads/n/f.png"), s3, Settings())
    s3_trigger.process_event(upload(s3, "uploads/n/f.png", b"not an image any more"), s3, Settings())
    assert len(versions(s3, "results/n/f.png.json")) == 2
    assert stored(s3, "results/n/f.png.json")["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"plain text, not an image", "unsupported_media_type"),
        (PNG[:300], "invalid_image"),
        (b"", "empty_input"),
    ],
)
def test_trigger_unreadable_file_writes_error_json(s3: Any, data: bytes, code: str) -> None:
    event = upload(s3, "uploads/bad/file.png", data)
    assert s3_trigger.process_event(event, s3, Settings(), "req-9") == {"error_written": 1}
    result = stored(s3, "results/bad/file.png.json")
    assert result["success"] is False
    assert result["error"]["code"] == code
    assert result["request_id"] == "req-9"
    assert result["source"]["key"] == "uploads/bad/file.png"


def test_trigger_object_over_upload_limit_writes_413_error(s3: Any) -> None:
    event = upload(s3, "uploads/big/line.png")
    s3_trigger.process_event(event, s3, Settings(presign_max_bytes=len(PNG) - 1))
    assert stored(s3, "results/big/line.png.json")["error"]["code"] == "input_too_large"


def test_trigger_reads_options_from_object_metadata(s3: Any) -> None:
    event = upload(s3, "uploads/m/line.png", **{"ocr-mode": "line", "ocr-model": "crnn"})
    s3_trigger.process_event(event, s3, Settings())
    result = stored(s3, "results/m/line.png.json")
    assert result["model"]["preset"] == "crnn"
    assert result["pages"][0]["mode"] == "line"
    assert normalise(result["text"]) == READ_TEXT


def test_trigger_bad_option_metadata_writes_error_json(s3: Any) -> None:
    event = upload(s3, "uploads/o/line.png", **{"ocr-mode": "sideways"})
    s3_trigger.process_event(event, s3, Settings())
    assert stored(s3, "results/o/line.png.json")["error"]["code"] == "invalid_option"


def test_trigger_ignores_keys_outside_uploads(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="results/x/line.png.json", Body=b"{}")
    event = s3_event_for(BUCKET, "results/x/line.png.json", "abc", 2)
    assert s3_trigger.process_event(event, s3, Settings()) == {"ignored": 1}
    assert len(versions(s3, "results/")) == 1


def test_trigger_deleted_object_is_skipped(s3: Any) -> None:
    event = upload(s3, "uploads/gone/line.png")
    s3.delete_object(Bucket=BUCKET, Key="uploads/gone/line.png")
    assert s3_trigger.process_event(event, s3, Settings()) == {"gone": 1}
    assert keys(s3, "results/") == []


def test_trigger_never_writes_under_uploads(s3: Any) -> None:
    events = [upload(s3, "uploads/a/line.png"), upload(s3, "uploads/b/bad.png", b"nope")]
    before = versions(s3, "uploads/")
    for event in events + events:
        s3_trigger.process_event(event, s3, Settings())
    assert versions(s3, "uploads/") == before
    assert sorted(keys(s3, "results/")) == ["results/a/line.png.json", "results/b/bad.png.json"]


def test_trigger_get_object_failure_raises_and_writes_nothing(s3: Any) -> None:
    event = upload(s3, "uploads/f/line.png")

    def network_down(**_: Any) -> None:
        raise ConnectionError("S3 unreachable")

    s3.meta.events.register("before-call.s3.GetObject", network_down)
    with pytest.raises(ConnectionError):
        s3_trigger.process_event(event, s3, Settings())
    assert keys(s3, "results/") == []


def test_trigger_missing_bucket_raises(s3: Any) -> None:
    event = s3_event_for("no-such-bucket", "uploads/x/line.png", "abc", 10)
    with pytest.raises(Exception, match="NoSuchBucket"):
        s3_trigger.process_event(event, s3, Settings())


def test_trigger_models_missing_raises_for_retry(
    s3: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    event = upload(s3, "uploads/nm/line.png")
    monkeypatch.setenv("OCR_MODEL_DIR", str(tmp_path))
    get_engine.cache_clear()
    try:
        with pytest.raises(Exception, match="model"):
            s3_trigger.process_event(event, s3, Settings())
    finally:
        get_engine.cache_clear()
    assert keys(s3, "results/") == []


def test_trigger_processes_every_record_before_raising(s3: Any) -> None:
    good = upload(s3, "uploads/g/line.png")
    bad = s3_event_for("no-such-bucket", "uploads/x/line.png", "abc", 10)
    event = {"Records": bad["Records"] + good["Records"]}
    with pytest.raises(Exception, match="NoSuchBucket"):
        s3_trigger.process_event(event, s3, Settings())
    assert keys(s3, "results/") == ["results/g/line.png.json"]


def test_trigger_lambda_entry_point_uses_lazy_client(s3: Any) -> None:
    event = upload(s3, "uploads/h/line.png")
    storage.default_s3_client.cache_clear()  # built inside the mock, on first use
    try:
        assert s3_trigger.handler(event, LocalContext(aws_request_id="lambda-1")) == {"written": 1}
        assert invoke(event) == {"duplicate": 1}  # the invoke script routes S3 events to the trigger
    finally:
        storage.default_s3_client.cache_clear()
    assert stored(s3, "results/h/line.png.json")["request_id"] == "lambda-1"


def test_trigger_out_of_time_writes_time_budget_error_before_lambda_kills_it(s3: Any) -> None:
    event = upload(s3, "uploads/slow/line.png")
    spent = Deadline.for_invocation(LocalContext(), budget_s=-1.0)  # as if the invocation's time ran out
    assert s3_trigger.process_event(event, s3, Settings(), "req-t", spent) == {"error_written": 1}
    result = stored(s3, "results/slow/line.png.json")
    assert result["error"]["code"] == "time_budget_exceeded"
    assert result["source"]["key"] == "uploads/slow/line.png"
