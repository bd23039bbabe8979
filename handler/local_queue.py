"""What Lambda's SQS event source does, for the local flow: receive, invoke the real handler, delete.

`make run` has no Lambda service, so a loop plays the event source mapping: it receives a batch
from a queue, hands the SAME entry point Lambda calls an SQS event built the way Lambda builds
it, and deletes the messages the handler did not report in `batchItemFailures`. A batch whose
handler raises (or whose process dies) is not deleted at all, so SQS delivers it again once its
visibility timeout ends, exactly as with Lambda. Two roles:

    python -m handler.local_queue worker  --queue-url URL   # chunk queue -> handler.job_worker
    python -m handler.local_queue trigger --queue-url URL   # S3 notifications -> handler.s3_trigger

The S3 notifications come from the bucket's notification configuration (moto delivers S3 -> SQS
notifications; it does not invoke functions), one S3 event per message, which is what the
trigger function receives from S3 in AWS.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("ocr.local_queue")

Handler = Callable[[dict[str, Any]], dict[str, Any]]
WAIT_S = 2
"""Long-poll wait per receive: short, so a stop request is noticed quickly."""
WORKER_TIMEOUT_S = 120
TRIGGER_TIMEOUT_S = 300
"""The functions' timeouts in template.yaml, which the handlers read from their context."""


@dataclass
class InvocationContext:
    """The attributes of Lambda's context the handlers read, with a real remaining time."""

    timeout_s: float
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return int((self.timeout_s - (time.monotonic() - self.started)) * 1000)


def queue_arn(sqs: Any, queue_url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]
    return str(attributes["QueueArn"])


def sqs_event(messages: Sequence[dict[str, Any]], arn: str) -> dict[str, Any]:
    """The event Lambda's SQS event source sends for received `messages`."""
    region = arn.split(":")[3] if arn.count(":") >= 5 else "us-east-1"
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": dict(message.get("Attributes") or {}),
                "messageAttributes": {},
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": region,
            }
            for message in messages
        ]
    }


def poll_once(
    sqs: Any, queue_url: str, arn: str, handle: Handler, batch_size: int = 1, wait_s: int = WAIT_S
) -> int:
    """Receive one batch and deliver it; returns how many messages it held."""
    received = sqs.receive_message(
        QueueUrl=queue_url,
        MaxNumberOfMessages=batch_size,
        WaitTimeSeconds=wait_s,
        MessageSystemAttributeNames=["All"],
    )
    messages = received.get("Messages") or []
    if not messages:
        return 0
    try:
        response = handle(sqs_event(messages, arn))
    except Exception:  # as for Lambda: the whole batch comes back after its visibility timeout
        log.exception("the handler failed; the batch will be delivered again")
        return len(messages)
    failed = {item.get("itemIdentifier") for item in (response or {}).get("batchItemFailures") or []}
    done = [m for m in messages if m["MessageId"] not in failed]
    if done:
        entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)]
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
    return len(messages)


def job_worker_handler(timeout_s: float = WORKER_TIMEOUT_S) -> Handler:
    from handler import job_worker

    return lambda event: job_worker.handler(event, InvocationContext(timeout_s))


def trigger_handler(timeout_s: float = TRIGGER_TIMEOUT_S) -> Handler:
    """S3 notifications (one S3 event per message body) -> the trigger, one invocation per event."""
    from handler import s3_trigger

    def handle(event: dict[str, Any]) -> dict[str, Any]:
        failures = []
        for record in event["Records"]:
            notification = json.loads(record["body"])
            if "Records" not in notification:  # s3:TestEvent, sent when the notification is set up
                continue
            try:
                s3_trigger.handler(notification, InvocationContext(timeout_s))
            except Exception:
                log.exception("the trigger failed; the event will be delivered again")
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return handle


def run(role: str, queue_url: str, batch_size: int = 1, max_idle_s: float | None = None) -> None:
    """Deliver until SIGTERM/SIGINT (or `max_idle_s` without a message, for scripts)."""
    import boto3

    from handler import logs, preload
    from handler.settings import get_settings

    logs.configure(get_settings().log_level)
    sqs = boto3.client("sqs")
    handle = job_worker_handler() if role == "worker" else trigger_handler()
    arn = queue_arn(sqs, queue_url)
    preload.wait()  # a local worker has nothing to do before its models are in memory
    log.info("ready", extra={"role": role, "queue_url": queue_url})
    stopping: list[int] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda number, _frame: stopping.append(number))
    idle_since = time.monotonic()
    while not stopping:
        if poll_once(sqs, queue_url, arn, handle, batch_size):
            idle_since = time.monotonic()
        elif max_idle_s is not None and time.monotonic() - idle_since > max_idle_s:
            break


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("role", choices=("worker", "trigger"))
    parser.add_argument("--queue-url", required=True)
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--max-idle-s", type=float, default=None, help="exit after this long without work")
    args = parser.parse_args(argv)
    run(args.role, args.queue_url, args.batch_size, args.max_idle_s)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
