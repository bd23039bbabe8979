"""`make run`: the whole product on one machine, with moto's server standing in for S3 and SQS.

One supervisor starts, in this order:
- moto's server on 127.0.0.1 (in this process), with the upload bucket, the chunk queue and its
  dead-letter queue, and a queue for the bucket's `uploads/` notifications (what S3 sends the
  trigger function in AWS);
- one trigger process and N worker processes (default: one per CPU, each with OCR_THREADS=1),
  each running the SAME entry point Lambda runs (`handler.local_queue` plays the event source);
- uvicorn serving the API and the page (`handler.local:app`) with the bucket and queue set, so
  presigned uploads, the trigger, jobs and `GET /results/{id}` work as deployed.
Ctrl-C (or SIGTERM) stops them all. The queues' settings mirror template.yaml's.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess  # nosec B404 - starts this project's own processes: sys.executable -m ..., no shell
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from handler.local_queue import WORKER_TIMEOUT_S, queue_arn

BUCKET = "ocr-uploads-local"
CHUNK_QUEUE, DEAD_LETTER_QUEUE, NOTIFICATION_QUEUE = "ocr-chunks", "ocr-chunks-dlq", "ocr-upload-events"
REGION = "us-east-1"
VISIBILITY_PER_TIMEOUT = 6
"""AWS's advice for an SQS event source: a visibility timeout of 6x the function's timeout."""
MAX_RECEIVES = 3
MOTO_KEY = "local"  # nosec B105 - moto accepts any credentials; these never reach AWS
CREDENTIALS = {"AWS_ACCESS_KEY_ID": MOTO_KEY, "AWS_SECRET_ACCESS_KEY": MOTO_KEY, "AWS_DEFAULT_REGION": REGION}
STOP_WAIT_S = 10.0


@dataclass(frozen=True)
class LocalResources:
    endpoint: str
    bucket: str
    queue_url: str
    dead_letter_url: str
    notification_url: str

    def environment(self) -> dict[str, str]:
        """What every process of the local flow needs to find them (and nothing of a real account)."""
        return {
            **CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint,
            "OCR_UPLOAD_BUCKET": self.bucket,
            "OCR_JOB_QUEUE_URL": self.queue_url,
            "OCR_JOB_MAX_RECEIVES": str(MAX_RECEIVES),
        }


def create_resources(
    s3: Any, sqs: Any, endpoint: str, visibility_s: int = VISIBILITY_PER_TIMEOUT * WORKER_TIMEOUT_S
) -> LocalResources:
    """The bucket, its notifications and the queues, as template.yaml makes them in AWS."""
    s3.create_bucket(Bucket=BUCKET)
    dead_letter = sqs.create_queue(QueueName=DEAD_LETTER_QUEUE)["QueueUrl"]
    redrive = {"deadLetterTargetArn": queue_arn(sqs, dead_letter), "maxReceiveCount": MAX_RECEIVES}
    queue = sqs.create_queue(
        QueueName=CHUNK_QUEUE,
        Attributes={"VisibilityTimeout": str(visibility_s), "RedrivePolicy": json.dumps(redrive)},
    )["QueueUrl"]
    notifications = sqs.create_queue(QueueName=NOTIFICATION_QUEUE, Attributes={"VisibilityTimeout": "600"})
    notification_url = notifications["QueueUrl"]
    rule = {"Key": {"FilterRules": [{"Name": "prefix", "Value": "uploads/"}]}}
    s3.put_bucket_notification_configuration(
        Bucket=BUCKET,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": queue_arn(sqs, notification_url),
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": rule,
                }
            ]
        },
    )
    return LocalResources(endpoint, BUCKET, queue, dead_letter, notification_url)


def start_moto() -> tuple[Any, str]:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per S3 or SQS request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def clients(endpoint: str) -> tuple[Any, Any]:
    import boto3
    from botocore.config import Config

    options: dict[str, Any] = {"endpoint_url": endpoint, "region_name": REGION}
    options |= {"aws_access_key_id": MOTO_KEY, "aws_secret_access_key": MOTO_KEY}
    s3 = boto3.client("s3", config=Config(signature_version="s3v4"), **options)
    return s3, boto3.client("sqs", **options)


def child_environment(resources: LocalResources, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}  # never a real account
    return {**env, **resources.environment(), **(extra or {})}


def start_consumers(
    resources: LocalResources, workers: int, extra: Mapping[str, str] | None = None, output: Any = None
) -> list[subprocess.Popen[bytes]]:
    """The trigger process and `workers` worker processes (one model thread each); `extra` adds
    environment variables, `output` takes their output (default: this process's)."""
    queue = [sys.executable, "-m", "handler.local_queue"]
    trigger_env = child_environment(resources, extra)
    worker_env = child_environment(resources, {**(extra or {}), "OCR_THREADS": "1"})
    commands = [([*queue, "trigger", "--queue-url", resources.notification_url], trigger_env)]
    commands += [([*queue, "worker", "--queue-url", resources.queue_url], worker_env)] * workers
    return [
        subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT if output else None)  # nosec B603
        for command, env in commands
    ]


def stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_WAIT_S
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the API, the page, S3, SQS, the trigger and workers")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes")
    args = parser.parse_args(argv)
    server, endpoint = start_moto()
    resources = create_resources(*clients(endpoint), endpoint)
    processes = start_consumers(resources, args.workers)
    api = [
        sys.executable,
        "-m",
        "uvicorn",
        "handler.local:app",
        "--host",
        args.host,
        "--port",
        str(args.port),
    ]
    processes.append(subprocess.Popen(api, env=child_environment(resources)))  # nosec B603 - fixed argv
    print(
        f"S3 and SQS (moto) on {endpoint}; {args.workers} workers; OCR service on http://{args.host}:{args.port}/",
        flush=True,
    )
    stopping: list[int] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda number, _frame: stopping.append(number))
    try:
        while not stopping and all(process.poll() is None for process in processes):
            time.sleep(0.5)
    finally:
        stop(processes)
        server.stop()
    failed = [process.args for process in processes if process.returncode not in (0, -signal.SIGTERM, None)]
    return 1 if failed and not stopping else 0


if __name__ == "__main__":
    raise SystemExit(main())
