"""S3 side of large uploads: key layout, the presigned POST, reading stored results.

Key layout is the recursion guard: the trigger watches `uploads/` and writes only under
`results/`, so its own writes can never fire it again. An upload `uploads/<id>/<name>` gets its
result at `results/<id>/<name>.json`. OCR options chosen at presign time travel with the object as
`x-amz-meta-ocr-*` metadata that the POST policy pins, so the trigger reads them without a database.

The boto3 client is created on first use (importing boto3 costs cold-start time the /ocr path
does not need) and every function takes the client as an argument, so tests pass a moto client.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

UPLOAD_PREFIX = "uploads/"
RESULT_PREFIX = "results/"
OPTION_METADATA = (
    "mode",
    "model",
    "pages",
    "layout",
    "boxes",
    "lang",
    "pdf_text",
    "ignore",
    "min_confidence",
)
"""Options stored as `x-amz-meta-ocr-<name>` on the uploaded object (S3 metadata is ASCII, so
`allowed_chars` is not among them; a `password` is never stored)."""
MAX_NAME_CHARS = 200


@cache
def default_s3_client() -> Any:
    """The process-wide S3 client. SigV4 because presigned POSTs in newer regions require it."""
    import boto3
    from botocore.config import Config

    return boto3.client("s3", config=Config(signature_version="s3v4", retries={"mode": "standard"}))


def result_key(upload_key: str) -> str | None:
    """`uploads/<rest>` -> `results/<rest>.json`; None for keys outside `uploads/` (never processed)."""
    if not upload_key.startswith(UPLOAD_PREFIX) or upload_key == UPLOAD_PREFIX:
        return None
    return f"{RESULT_PREFIX}{upload_key[len(UPLOAD_PREFIX) :]}.json"


def safe_filename(name: str) -> str:
    """The last path component, without control characters, short enough for an S3 key."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip().lstrip(".")
    return base[:MAX_NAME_CHARS] or "upload"


@dataclass(frozen=True)
class PresignedUpload:
    id: str
    key: str
    url: str
    fields: dict[str, str]


def presign_upload(
    client: Any,
    bucket: str,
    filename: str,
    content_type: str | None,
    max_bytes: int,
    expires_s: int,
    options: dict[str, str],
) -> PresignedUpload:
    """A presigned POST for `uploads/<uuid>/<name>` whose policy caps the size at `max_bytes`."""
    upload_id = str(uuid.uuid4())
    key = f"{UPLOAD_PREFIX}{upload_id}/{safe_filename(filename)}"
    fields = {"Content-Type": content_type or "application/octet-stream"}
    fields.update({f"x-amz-meta-ocr-{name}": value for name, value in options.items()})
    conditions: list[Any] = [["content-length-range", 1, max_bytes]]
    conditions += [{name: value} for name, value in fields.items()]
    post = client.generate_presigned_post(
        Bucket=bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_s
    )
    return PresignedUpload(upload_id, key, post["url"], dict(post["fields"]))


def options_from_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """The OCR options an uploaded object carries (S3 returns metadata keys without the prefix)."""
    return {name: metadata[f"ocr-{name}"] for name in OPTION_METADATA if metadata.get(f"ocr-{name}")}


def s3_error_code(error: Any) -> str:
    """The S3 error code of a botocore ClientError ("404", "NoSuchKey", "AccessDenied", ...)."""
    return str(error.response.get("Error", {}).get("Code", ""))


def load_result(client: Any, bucket: str, upload_id: str) -> dict[str, Any] | None:
    """The stored result JSON for an upload id, or None while there is none."""
    listing = client.list_objects_v2(Bucket=bucket, Prefix=f"{RESULT_PREFIX}{upload_id}/", MaxKeys=1)
    contents = listing.get("Contents") or []
    if not contents:
        return None
    body = client.get_object(Bucket=bucket, Key=contents[0]["Key"])["Body"].read()
    result: dict[str, Any] = json.loads(body)
    return result
