"""A job stack on moto for tests: the bucket and queues `make run` creates, the real trigger, and
the real worker entry point delivered to the way Lambda's SQS event source does it.

Queues, bucket and notifications come from `handler.local_stack.create_resources` (the local
flow's own set-up); deliveries go through `handler.local_queue.poll_once` into
`handler.job_worker.handler`, which reads its settings and clients from the environment as in
Lambda, so the fixture sets the environment and clears the process-wide caches around each test.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws

from bench.kit.events import s3_event_for
from bench.kit.render import render_page
from handler import job_worker, s3_trigger, storage
from handler.jobs import queue
from handler.local_queue import InvocationContext, poll_once, queue_arn
from handler.local_stack import LocalResources, create_resources
from handler.settings import Settings, get_settings
from tests.helpers.aws import use_fake_aws_env

PAGE_LINES = ("营业时间 Opening Hours", "周一至周五 Monday to Friday")


def page_text(number: int) -> str:
    return f"第{number}页 Page {number}"


def document_pdf(pages: int, lines: tuple[str, ...] = PAGE_LINES) -> bytes:
    """A scanned document: page images only (no text layer), each headed by its page number."""
    images = [render_page([page_text(n), *lines], size=30, width=700) for n in range(1, pages + 1)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=100)
    return buffer.getvalue()


@dataclass
class JobStack:
    s3: Any
    sqs: Any
    resources: LocalResources

    @property
    def bucket(self) -> str:
        return self.resources.bucket

    @property
    def settings(self) -> Settings:
        return get_settings()

    def upload(self, data: bytes, name: str = "scan.pdf", **options: str) -> tuple[str, dict[str, Any]]:
        """Store a file as `POST /uploads` + the browser would; returns its id and S3's event for it."""
        upload_id = str(uuid.uuid4())
        if options:
            storage.put_json(self.s3, self.bucket, f"{storage.OPTIONS_PREFIX}{upload_id}.json", options)
        return upload_id, self.put(f"uploads/{upload_id}/{name}", data)

    def put(self, key: str, data: bytes) -> dict[str, Any]:
        put = self.s3.put_object(Bucket=self.bucket, Key=key, Body=data)
        return s3_event_for(self.bucket, key, put["ETag"], len(data))

    def trigger(self, event: dict[str, Any]) -> dict[str, int]:
        return s3_trigger.process_event(event, self.s3, self.settings, "trigger", None, self.sqs)

    def worker(self, event: dict[str, Any]) -> dict[str, Any]:
        """The Lambda entry point itself, with a context that has a worker's time."""
        return job_worker.handler(event, InvocationContext(120))

    def deliver(self, batch_size: int = 1) -> int:
        """One receive from the chunk queue, delivered as Lambda's event source would."""
        url = self.resources.queue_url
        return poll_once(self.sqs, url, queue_arn(self.sqs, url), self.worker, batch_size, wait_s=0)

    def drain(self, batch_size: int = 1, limit: int = 200) -> int:
        delivered = 0
        for _ in range(limit):
            count = self.deliver(batch_size)
            if not count:
                return delivered
            delivered += count
        raise AssertionError(f"the chunk queue did not empty after {limit} receives")

    def receive(self, count: int = 10) -> list[dict[str, Any]]:
        """Messages taken off the chunk queue without delivering them (for reordering, duplicating)."""
        messages: list[dict[str, Any]] = []
        while len(messages) < count:
            batch = self.sqs.receive_message(
                QueueUrl=self.resources.queue_url,
                MaxNumberOfMessages=min(10, count - len(messages)),
                MessageSystemAttributeNames=["All"],
            ).get("Messages", [])
            if not batch:
                break
            messages += batch
        return messages

    def json(self, key: str) -> Any:
        return json.loads(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def keys(self, prefix: str) -> list[str]:
        return storage.list_keys(self.s3, self.bucket, prefix)

    def versions(self, key: str) -> int:
        listed = self.s3.list_object_versions(Bucket=self.bucket, Prefix=key).get("Versions", [])
        return sum(1 for version in listed if version["Key"] == key)

    def dead_letters(self) -> list[dict[str, Any]]:
        url = self.resources.dead_letter_url
        return self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])


def clear_process_caches() -> None:
    for cached in (get_settings, storage.default_s3_client, queue.default_sqs_client):
        cached.cache_clear()


@contextmanager
def job_stack(visibility_s: int = 30, **environment: str) -> Iterator[JobStack]:
    """Moto (in process) with the local flow's bucket and queues, and the environment Lambda's
    functions would have; `environment` adds or overrides OCR_* variables."""
    with pytest.MonkeyPatch.context() as patch, mock_aws():
        use_fake_aws_env(patch)
        s3, sqs = boto3.client("s3"), boto3.client("sqs")
        resources = create_resources(s3, sqs, "", visibility_s)
        s3.put_bucket_versioning(Bucket=resources.bucket, VersioningConfiguration={"Status": "Enabled"})
        settings = {"OCR_JOB_CHUNK_PAGES": "2", "OCR_JOB_RETRY_DELAY_S": "0", **environment}
        for name, value in {**resources.environment(), **settings}.items():
            if not name.startswith("AWS_"):
                patch.setenv(name, value)
        clear_process_caches()
        try:
            yield JobStack(s3, sqs, resources)
        finally:
            clear_process_caches()
