"""Run a Lambda handler on a sample event file, as Lambda would, and print the response.

`sam local` needs Docker, which these machines lack, so this is how events/ are tried by hand:
`python -m handler.invoke events/apigw_v2_multipart.json` (or `make invoke EVENT=...`).
API Gateway events (REST v1 and HTTP API v2) go to the API handler; S3 notifications go to the
upload trigger and SQS batches (a job's chunks) to the job worker, which talk to real S3 and SQS
unless AWS_ENDPOINT_URL points elsewhere (e.g. moto's server).
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handler.s3_events import S3Event


@dataclass
class LocalContext:
    """The attributes of Lambda's context object that handlers and Mangum read."""

    function_name: str = "local"
    memory_limit_in_mb: int = 2048
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:000000000000:function:local"
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 29_000


def invoke(event: dict[str, Any], context: Any = None) -> Any:
    """The response of the handler this event is meant for."""
    context = context or LocalContext()
    if S3Event.matches(event):
        from handler import s3_trigger

        return s3_trigger.handler(event, context)
    if is_sqs_event(event):
        from handler import job_worker

        return job_worker.handler(event, context)
    if "requestContext" in event:
        from handler import api

        return api.handler(event, context)
    raise ValueError("not an API Gateway (v1/v2), S3 or SQS event")


def is_sqs_event(event: Any) -> bool:
    records = event.get("Records") if isinstance(event, dict) else None
    if not isinstance(records, list) or not records:
        return False
    return all(isinstance(r, dict) and r.get("eventSource") == "aws:sqs" for r in records)


def readable(response: Any) -> Any:
    """The response with a JSON body parsed (base64 bodies decoded first), for people to read."""
    if not isinstance(response, dict) or not isinstance(response.get("body"), str):
        return response
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", errors="replace")
    try:
        return {**response, "body": json.loads(body)}
    except json.JSONDecodeError:
        return {**response, "body": body}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("event", type=Path, help="event JSON file, e.g. events/apigw_v2_multipart.json")
    parser.add_argument("--raw", action="store_true", help="print the response exactly as returned")
    args = parser.parse_args(argv)
    event = json.loads(args.event.read_text(encoding="utf-8"))
    response = invoke(event)
    shown = response if args.raw else readable(response)
    sys.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2) + "\n")
    status = response.get("statusCode", 200) if isinstance(response, dict) else 200
    return 0 if int(status) < 500 else 1


if __name__ == "__main__":
    sys.exit(main())
