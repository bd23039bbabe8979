"""The chunk queue (SQS): sending a job's chunks, and asking for a failed chunk back sooner.

The SQS client is built on first use, like the S3 client (`handler.storage`), and every function
takes it as an argument, so tests pass a moto client.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import cache
from typing import Any

from handler.jobs.records import ChunkMessage

log = logging.getLogger("ocr.jobs")

SEND_BATCH = 10
"""Most messages per SendMessageBatch call (an SQS limit)."""


@cache
def default_sqs_client() -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client("sqs", config=Config(retries={"mode": "standard"}))


class QueueSendError(RuntimeError):
    """SQS refused some of a job's messages: the trigger fails, so its retry queues them again."""


def send_chunks(sqs: Any, queue_url: str, messages: Sequence[ChunkMessage]) -> None:
    for start in range(0, len(messages), SEND_BATCH):
        batch = messages[start : start + SEND_BATCH]
        entries = [
            {"Id": str(message.chunk), "MessageBody": json.dumps(message.to_dict(), ensure_ascii=False)}
            for message in batch
        ]
        failed = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed") or []
        if failed:
            codes = sorted({str(entry.get("Code")) for entry in failed})
            raise QueueSendError(f"SQS refused {len(failed)} of {len(entries)} chunk messages: {codes}")


def retry_in(sqs: Any, queue_url: str | None, receipt_handle: str, seconds: int) -> None:
    """Make a failed message visible again after `seconds` instead of the queue's visibility timeout
    (which is long: it must outlast a worker's whole run). Best effort: if this fails, SQS still
    delivers the message again once the timeout passes."""
    if not queue_url or not receipt_handle:
        return
    try:
        sqs.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
        )
    except Exception:  # botocore's ClientError; the message comes back later anyway
        log.warning("could not shorten the retry delay of a failed chunk", exc_info=True)
