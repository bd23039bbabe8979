"""The local flow with real processes: moto's server, worker processes, and `make run`'s supervisor.

A worker is a real process here, so it can really be killed mid-chunk: SQS must then deliver its
message again once the visibility timeout ends, and the job must still end complete, merged once.
The last test starts `python -m handler.local_stack` (what `make run` runs) and reads a PDF
through `POST /uploads`, the presigned POST and `GET /results/{id}`, as the upload page does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.kit.events import s3_event_for
from bench.kit.local_server import REPO, free_port, log_tail
from handler import s3_trigger, storage
from handler.jobs.keys import JobKeys
from handler.local_stack import LocalResources, child_environment, clients, create_resources, start_moto
from handler.settings import Settings
from tests.helpers.jobs import document_pdf

VISIBILITY_S = 8
WAIT_S = 240.0


@pytest.fixture
def moto_stack() -> Iterator[tuple[Any, Any, LocalResources]]:
    server, endpoint = start_moto()
    try:
        s3, sqs = clients(endpoint)
        resources = create_resources(s3, sqs, endpoint, visibility_s=VISIBILITY_S)
        s3.put_bucket_versioning(Bucket=resources.bucket, VersioningConfiguration={"Status": "Enabled"})
        yield s3, sqs, resources
    finally:
        server.stop()


def worker(resources: LocalResources, log: Path, *args: str, **env: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "handler.local_queue",
        "worker",
        "--queue-url",
        resources.queue_url,
        *args,
    ]
    environment = child_environment(resources, {"OCR_JOB_CHUNK_PAGES": "2", "OCR_THREADS": "1", **env})
    return subprocess.Popen(
        command, cwd=REPO, env=environment, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )


def wait_for(condition: Any, what: str, log: Path, timeout: float = WAIT_S) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout} s:\n{log_tail(log)}")


def test_job_worker_killed_mid_chunk_is_delivered_again(
    moto_stack: tuple[Any, Any, LocalResources], tmp_path: Path
) -> None:
    s3, sqs, resources = moto_stack
    key, data = "uploads/4c1f3c2e-0d7b-4f0e-9a55-2b1f2f0c9e11/scan.pdf", document_pdf(6)
    put = s3.put_object(Bucket=resources.bucket, Key=key, Body=data)
    settings = Settings(upload_bucket=resources.bucket, job_queue_url=resources.queue_url, job_chunk_pages=2)
    assert s3_trigger.process_event(
        s3_event_for(resources.bucket, key, put["ETag"], len(data)), s3, settings, sqs=sqs
    )
    log = tmp_path / "workers.log"
    # No preloading: the models load inside the first chunk, which keeps the worker in it for seconds.
    first = worker(resources, log, OCR_PRELOAD="0")
    root = JobKeys(resources.bucket, key, put["ETag"].strip('"')).root
    wait_for(lambda: storage.exists(s3, resources.bucket, root + "started"), "a worker starting a chunk", log)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert storage.list_keys(s3, resources.bucket, root + "chunks/") == [], "a chunk ended before the kill"
    second = worker(resources, log, "--max-idle-s", str(2 * VISIBILITY_S))
    result_key = f"results/{key.removeprefix('uploads/')}.json"
    wait_for(lambda: storage.exists(s3, resources.bucket, result_key), "the merged result", log)
    second.wait(timeout=WAIT_S)
    result = json.loads(s3.get_object(Bucket=resources.bucket, Key=result_key)["Body"].read())
    assert [page["page"] for page in result["pages"]] == [1, 2, 3, 4, 5, 6]
    assert result["job"]["pages_failed"] == []
    records = [
        storage.read_json(s3, resources.bucket, name)
        for name in storage.list_keys(s3, resources.bucket, root + "chunks/")
        if name.endswith(".json")
    ]
    assert max(record["receives"] for record in records) >= 2  # the killed chunk came back after its timeout
    listed = s3.list_object_versions(Bucket=resources.bucket, Prefix=result_key).get("Versions", [])
    assert len(listed) == 1
    assert sqs.receive_message(QueueUrl=resources.dead_letter_url).get("Messages") is None


def test_local_stack_reads_an_upload_through_presigned_post_and_results(tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "stack.log"
    command = [sys.executable, "-m", "handler.local_stack", "--port", str(port), "--workers", "1"]
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment["OCR_JOB_CHUNK_PAGES"] = "2"
    stack = subprocess.Popen(
        command, cwd=REPO, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _health(base), "the local stack answering /health", log)
        upload = httpx.post(
            f"{base}/uploads", json={"filename": "scan.pdf", "content_type": "application/pdf"}
        )
        assert upload.status_code == 200, upload.text
        ticket = upload.json()
        data = document_pdf(5)
        stored = httpx.post(ticket["url"], data=ticket["fields"], files={"file": ("scan.pdf", data)})
        assert stored.status_code in (200, 201, 204), stored.text
        states: list[int] = []

        def result() -> Any:
            answer = httpx.get(f"{base}/results/{ticket['id']}", timeout=10)
            states.append(answer.status_code)
            return answer.json() if answer.status_code == 200 else None

        body = wait_for(result, "the job's result", log)
        assert 202 in states and len(body["pages"]) == 5 and body["job"]["chunks"] == 3
        pdf = httpx.get(f"{base}/results/{ticket['id']}", params={"format": "pdf"}, follow_redirects=True)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    finally:
        stack.send_signal(signal.SIGINT)
        assert stack.wait(timeout=60) == 0, log_tail(log)


def _health(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=2).json().get("uploads") is True
    except (httpx.HTTPError, ValueError):
        return False
