"""The fan-out under the faults SQS and S3 really produce: nothing lost, nothing merged twice.

Standard SQS queues deliver at least once and in no set order, a Lambda can die mid-chunk (its
message then comes back after the visibility timeout), a chunk can fail on every delivery, and
a user can upload the same key again while its job runs. Every test drives the real trigger, the
real worker entry point and the real merge on moto, and counts writes on a versioned bucket.
(The worker killed mid-chunk, which needs a real process to kill, is in test_jobs_local.py.)
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bench.kit.render import render_page
from bench.scoring import normalise
from handler import storage
from handler.app import create_app
from handler.local_queue import queue_arn, sqs_event
from tests.helpers.jobs import JobStack, document_pdf, job_stack, page_text

EXPORTS = ("txt", "md", "jsonl", "pdf")


@pytest.fixture
def stack() -> Iterator[JobStack]:
    with job_stack() as stack:
        yield stack


def job_root(stack: JobStack) -> str:
    manifest = next(key for key in stack.keys("jobs/") if key.endswith("manifest.json"))
    return manifest.removesuffix("manifest.json")


def written_once(stack: JobStack, upload_id: str, name: str = "scan.pdf") -> None:
    """The result and every export were each written exactly once."""
    assert stack.versions(f"results/{upload_id}/{name}.json") == 1
    for extension in EXPORTS:
        assert stack.versions(f"exports/{upload_id}/{name}.{extension}") == 1


def event_of(stack: JobStack, messages: list[dict[str, Any]]) -> dict[str, Any]:
    return sqs_event(messages, queue_arn(stack.sqs, stack.resources.queue_url))


def test_job_duplicate_deliveries_read_each_chunk_once_and_merge_once(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(5))
    stack.trigger(event)
    messages = stack.receive()
    assert stack.worker(event_of(stack, messages + messages)) == {"batchItemFailures": []}
    for message in messages:  # and again after the job ended, as SQS may
        stack.sqs.send_message(QueueUrl=stack.resources.queue_url, MessageBody=message["Body"])
    assert stack.drain() == 3
    written_once(stack, upload_id)
    for chunk in range(3):
        assert stack.versions(f"{job_root(stack)}chunks/{chunk:05d}.json") == 1


def test_job_concurrent_duplicates_merge_once(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(4))
    stack.trigger(event)
    batch = event_of(stack, stack.receive())
    replies: list[Any] = []
    workers = [threading.Thread(target=lambda: replies.append(stack.worker(batch))) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert replies == [{"batchItemFailures": []}] * 3
    written_once(stack, upload_id)


def test_job_out_of_order_deliveries_merge_in_page_order(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(5))
    stack.trigger(event)
    messages = sorted(stack.receive(), key=lambda m: json.loads(m["Body"])["chunk"], reverse=True)
    for message in messages:
        stack.worker(event_of(stack, [message]))
    merged = stack.json(f"results/{upload_id}/scan.pdf.json")
    assert [page["page"] for page in merged["pages"]] == [1, 2, 3, 4, 5]
    firsts = [normalise(line["text"]) for line in merged["results"] if "Page" in line["text"]]
    assert firsts == [normalise(page_text(n)) for n in range(1, 6)]
    written_once(stack, upload_id)


def test_job_chunk_that_always_fails_goes_to_the_dead_letter_queue_and_the_job_ends(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(5))
    stack.trigger(event)
    stack.s3.delete_object(Bucket=stack.bucket, Key=f"{job_root(stack)}parts/00001.pdf")  # S3 lost it
    stack.drain()
    merged = stack.json(f"results/{upload_id}/scan.pdf.json")
    assert merged["success"] is True
    assert [page["page"] for page in merged["pages"]] == [1, 2, 5]
    assert merged["job"]["pages_failed"] == [3, 4]
    failed = [w for w in merged["warnings"] if w["code"] == "page_failed"]
    assert [w["page"] for w in failed] == [3, 4] and "chunk_failed" in failed[0]["message"]
    dead = stack.dead_letters()
    assert [json.loads(message["Body"])["pages"] for message in dead] == [[3, 4]]
    assert (
        stack.json(f"{job_root(stack)}chunks/00001.json")["receives"] == 3
    )  # tried twice, the third gave up
    written_once(stack, upload_id)


def test_job_where_every_chunk_fails_ends_failed_naming_its_pages(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(3))
    stack.trigger(event)
    for key in stack.keys(job_root(stack) + "parts/"):
        stack.s3.delete_object(Bucket=stack.bucket, Key=key)
    stack.drain()
    answer = TestClient(create_app(stack.settings, stack.s3)).get(f"/results/{upload_id}")
    assert answer.status_code == 500
    body = answer.json()
    assert body["error"]["code"] == "job_failed" and body["job"]["pages_failed"] == [1, 2, 3]
    assert len(stack.dead_letters()) == 2


def test_job_page_the_engine_refuses_fails_alone() -> None:
    pages = [render_page([page_text(n)], size=30, width=700) for n in (1, 2)]
    pages.append(render_page([page_text(3), *["长页 Long page"] * 28], size=30, width=700))
    pages.append(render_page([page_text(4)], size=30, width=700))
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=100)
    with job_stack(OCR_MAX_TOTAL_PIXELS="2000000") as stack:
        upload_id, event = stack.upload(buffer.getvalue())
        stack.trigger(event)
        stack.drain()
        merged = stack.json(f"results/{upload_id}/scan.pdf.json")
    assert [page["page"] for page in merged["pages"]] == [1, 2, 4]
    assert merged["job"]["pages_failed"] == [3]
    failed = [w for w in merged["warnings"] if w["code"] == "page_failed"]
    assert [w["page"] for w in failed] == [3] and "(input_too_large)" in failed[0]["message"]


@pytest.mark.parametrize("new_pages", [4, 1], ids=["new-job", "read-inline"])
def test_job_reupload_of_the_same_key_while_running_supersedes_it(stack: JobStack, new_pages: int) -> None:
    upload_id, first = stack.upload(document_pdf(5))
    stack.trigger(first)
    stack.deliver()  # the first version's job is under way
    lines = ("第二版 Second version",)
    second = stack.put(f"uploads/{upload_id}/scan.pdf", document_pdf(new_pages, lines))
    stack.trigger(second)
    stack.drain()
    result = stack.json(f"results/{upload_id}/scan.pdf.json")
    assert result["source"]["etag"] == second["Records"][0]["s3"]["object"]["eTag"]
    assert len(result["pages"]) == new_pages and "Second version" in result["text"]
    assert stack.versions(f"results/{upload_id}/scan.pdf.json") == 1
    answer = TestClient(create_app(stack.settings, stack.s3)).get(f"/results/{upload_id}")
    assert answer.status_code == 200 and answer.json()["source"] == result["source"]


def test_job_stale_event_of_a_replaced_upload_does_nothing(stack: JobStack) -> None:
    upload_id, first = stack.upload(document_pdf(5))
    second = stack.put(f"uploads/{upload_id}/scan.pdf", document_pdf(3))
    assert stack.trigger(second) == {"job_queued": 1}
    assert stack.trigger(first) == {"duplicate": 1}  # S3 delivered the older event last
    assert len(stack.receive()) == 2


def test_job_retried_trigger_queues_again_and_still_merges_once(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(5))
    stack.trigger(event)
    stack.s3.delete_object(Bucket=stack.bucket, Key=f"{job_root(stack)}queued")  # as if it died before
    assert stack.trigger(event) == {"job_queued": 1}
    assert stack.drain() == 6
    written_once(stack, upload_id)


def test_job_merge_lock_of_a_dead_merger_is_taken_over_once_its_lease_ends(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(4))
    stack.trigger(event)
    lock = f"{job_root(stack)}merged"
    storage.put_json(stack.s3, stack.bucket, lock, {"holder": "dead", "lease_until": time.time() + 3600})
    messages = stack.receive()
    stack.worker(event_of(stack, messages))
    assert stack.keys(f"results/{upload_id}/") == []  # its holder may still be merging
    storage.put_json(stack.s3, stack.bucket, lock, {"holder": "dead", "lease_until": time.time() - 1})
    stack.worker(event_of(stack, messages[:1]))  # SQS delivers the dead worker's message again
    written_once(stack, upload_id)
    assert stack.json(lock) == {"done": True}
    stack.worker(event_of(stack, messages))
    written_once(stack, upload_id)
