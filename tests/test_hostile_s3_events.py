"""Hostile S3 events and stored objects, through the upload trigger's Lambda entry point on moto.

A batch with one malformed record must not lose the valid ones; events that are not uploads of
this deployment's bucket are skipped on purpose; a stored result that is not JSON is a clear 502.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bench.kit.events import s3_event_for, sample_bytes
from handler import s3_trigger, storage
from handler.app import create_app
from handler.invoke import LocalContext
from handler.settings import Settings
from tests.helpers.aws import moto_bucket

BUCKET = "ocr-uploads-hostile"
PNG = sample_bytes()
SETTINGS = Settings(upload_bucket=BUCKET)


@pytest.fixture
def s3() -> Iterator[Any]:
    with moto_bucket(BUCKET) as client:
        yield client


def valid_record(s3: Any, key: str = "uploads/ok/line.png") -> dict[str, Any]:
    put = s3.put_object(Bucket=BUCKET, Key=key, Body=PNG)
    return dict(s3_event_for(BUCKET, key, put["ETag"], len(PNG))["Records"][0])


def without(record: dict[str, Any], *path: str) -> dict[str, Any]:
    broken = copy.deepcopy(record)
    node = broken
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]
    return broken


def result_keys(s3: Any) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET, Prefix="results/").get("Contents", [])]


@pytest.mark.parametrize(
    "broken",
    [("s3", "object", "key"), ("s3",), ("s3", "bucket"), ("eventSource",)],
    ids=["no-key", "no-s3", "no-bucket", "not-s3"],
)
def test_batch_with_a_malformed_record_still_reads_the_valid_one(s3: Any, broken: tuple[str, ...]) -> None:
    good = valid_record(s3)
    event = {"Records": [without(good, *broken), good]}
    assert s3_trigger.process_event(event, s3, SETTINGS, "req") == {"malformed": 1, "written": 1}
    assert result_keys(s3) == ["results/ok/line.png.json"]


@pytest.mark.parametrize("records", [None, [], "x", [None, 5, "y"]])
def test_event_without_usable_records_writes_nothing_and_raises_nothing(s3: Any, records: Any) -> None:
    outcome = s3_trigger.process_event({"Records": records}, s3, SETTINGS, "req")
    assert set(outcome) <= {"malformed"}
    assert result_keys(s3) == []


def test_event_for_another_bucket_is_ignored(s3: Any) -> None:
    record = valid_record(s3)
    record["s3"]["bucket"]["name"] = "someone-elses-bucket"
    assert s3_trigger.process_event({"Records": [record]}, s3, SETTINGS, "req") == {"other_bucket": 1}
    assert result_keys(s3) == []


def test_trigger_entry_point_answers_a_batch_with_malformed_records(s3: Any) -> None:
    event = {"Records": [{"eventSource": "aws:s3"}, valid_record(s3, "uploads/two/line.png")]}
    storage.default_s3_client.cache_clear()  # the entry point builds its client inside the mock
    try:
        assert s3_trigger.handler(event, LocalContext()) == {"malformed": 1, "written": 1}
    finally:
        storage.default_s3_client.cache_clear()


def test_stored_result_that_is_not_json_returns_502(s3: Any) -> None:
    s3.put_object(
        Bucket=BUCKET, Key="results/0b5c2d1e-0000-4000-8000-000000000000/x.png.json", Body=b"\xff{oops"
    )
    client = TestClient(create_app(SETTINGS, s3_client=s3), raise_server_exceptions=False)
    response = client.get("/results/0b5c2d1e-0000-4000-8000-000000000000")
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "result_unreadable"


def test_stored_time_budget_error_is_served_with_504_and_documented(s3: Any) -> None:
    error = {
        "success": False,
        "error": {"code": "time_budget_exceeded", "message": "slow"},
        "request_id": "r",
    }
    body = json.dumps({**error, "source": {"bucket": BUCKET, "key": "uploads/a/b.pdf", "etag": "e"}})
    s3.put_object(Bucket=BUCKET, Key="results/0b5c2d1e-0000-4000-8000-000000000001/b.pdf.json", Body=body)
    client = TestClient(create_app(SETTINGS, s3_client=s3), raise_server_exceptions=False)
    assert client.get("/results/0b5c2d1e-0000-4000-8000-000000000001").status_code == 504
    documented = client.get("/openapi.json").json()["paths"]["/results/{upload_id}"]["get"]["responses"]
    assert {"404", "408", "413", "415", "422", "502", "504"} <= set(documented)
