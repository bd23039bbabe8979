"""S3 side of large uploads: key layout, the presigned POST, upload options, stored results.

Key layout is the recursion guard: the trigger watches `uploads/` and writes only under
`results/` and `jobs/` (and `options/`, written by the API), so its own writes can never fire it
again. An upload `uploads/<id>/<name>` gets its result at `results/<id>/<name>.json`; a job's
working objects live under `jobs/<id>/<name>/<etag>/` (`handler.jobs.keys`) and its exports
under `exports/<id>/<name>.<ext>`.

Options chosen with `POST /uploads` are stored by the API as `options/<id>.json` (JSON keeps any
Unicode, e.g. `allowed_chars`, and a PDF `password` never travels in object metadata or in the
form the browser posts); the trigger reads them without a database. A file put straight into the
bucket may carry options as `x-amz-meta-ocr-<name>` metadata instead (percent-encode non-ASCII
values: S3 metadata is ASCII), every non-secret option of the table.

The boto3 client is created on first use (importing boto3 costs cold-start time the /ocr path
does not need) and every function takes the client as an argument, so tests pass a moto client.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from ocr_core.options import UPLOAD_OPTIONS

UPLOAD_PREFIX = "uploads/"
RESULT_PREFIX = "results/"
OPTIONS_PREFIX = "options/"
JOB_PREFIX = "jobs/"
EXPORT_PREFIX = "exports/"
COPY_CHUNK_BYTES = 1024 * 1024
WHOLE_READ_MAX_BYTES = 50 * 1024 * 1024
"""Most of an uploaded file one invocation reads into memory at once (POST /ocr with `s3_key`, a
job's part on average). Uploads may be larger (OCR_PRESIGN_MAX_BYTES): they are read as jobs."""
ETAG_METADATA = "source-etag"
"""User metadata of a result: the ETag of the upload version it was read from (makes writes idempotent)."""
METADATA_KEYS = {spec.metadata_key: spec.name for spec in UPLOAD_OPTIONS if spec.metadata_key}
"""S3 user-metadata key (as S3 returns it, without `x-amz-meta-`) -> option name."""
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


def upload_id_of(key: str) -> str | None:
    """The `<id>` of `uploads/<id>/<name>`, or None for a key of another shape."""
    parts = key[len(UPLOAD_PREFIX) :].split("/") if key.startswith(UPLOAD_PREFIX) else []
    return parts[0] if len(parts) >= 2 and parts[0] else None


def presign_upload(
    client: Any,
    bucket: str,
    filename: str,
    content_type: str | None,
    max_bytes: int,
    expires_s: int,
    options: dict[str, Any],
) -> PresignedUpload:
    """A presigned POST for `uploads/<uuid>/<name>` whose policy caps the size at `max_bytes`.

    The options are stored first (`options/<uuid>.json`), so the trigger finds them whenever the
    file arrives."""
    upload_id = str(uuid.uuid4())
    key = f"{UPLOAD_PREFIX}{upload_id}/{safe_filename(filename)}"
    if options:
        client.put_object(
            Bucket=bucket,
            Key=f"{OPTIONS_PREFIX}{upload_id}.json",
            Body=json.dumps(options, ensure_ascii=False).encode("utf-8"),
            ContentType="application/json; charset=utf-8",
        )
    fields = {"Content-Type": content_type or "application/octet-stream"}
    conditions: list[Any] = [["content-length-range", 1, max_bytes]]
    conditions += [{name: value} for name, value in fields.items()]
    post = client.generate_presigned_post(
        Bucket=bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_s
    )
    return PresignedUpload(upload_id, key, post["url"], dict(post["fields"]))


def upload_options(client: Any, bucket: str, key: str, metadata: dict[str, str]) -> dict[str, Any]:
    """The options of the upload `key`: those stored by `POST /uploads`, else the object's metadata."""
    upload_id = upload_id_of(key)
    if upload_id is not None:
        stored = read_json(client, bucket, f"{OPTIONS_PREFIX}{upload_id}.json")
        if isinstance(stored, dict):
            return stored
    return options_from_metadata(metadata)


def options_from_metadata(metadata: dict[str, str]) -> dict[str, str]:
    """Options an object carries as `x-amz-meta-ocr-<name>` (S3 returns keys without the prefix).

    Any other `ocr-` key is passed on too, so the option parser refuses a misspelled one."""
    options = {}
    for key, value in metadata.items():
        if key.startswith("ocr-") and value:
            options[METADATA_KEYS.get(key, key.removeprefix("ocr-"))] = unquote(value)
    return options


MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def s3_error_code(error: Any) -> str:
    """The S3 error code of a botocore ClientError ("404", "NoSuchKey", "AccessDenied", ...); "" else."""
    response = getattr(error, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


def load_result(client: Any, bucket: str, upload_id: str) -> Any:
    """The stored result JSON for an upload id, or None while there is none."""
    listing = client.list_objects_v2(Bucket=bucket, Prefix=f"{RESULT_PREFIX}{upload_id}/", MaxKeys=1)
    contents = listing.get("Contents") or []
    if not contents:
        return None
    return read_json(client, bucket, contents[0]["Key"], missing_ok=False)


def current_upload(client: Any, bucket: str, upload_id: str) -> tuple[str, str] | None:
    """The key and ETag of the file uploaded for an id (the newest version), or None."""
    listing = client.list_objects_v2(Bucket=bucket, Prefix=f"{UPLOAD_PREFIX}{upload_id}/", MaxKeys=1)
    contents = listing.get("Contents") or []
    if not contents:
        return None
    return str(contents[0]["Key"]), str(contents[0]["ETag"]).strip('"')


def upload_etag(client: Any, bucket: str, key: str) -> str | None:
    """The ETag of the object at `key` now, or None when there is none."""
    try:
        return str(client.head_object(Bucket=bucket, Key=key)["ETag"]).strip('"')
    except Exception as error:  # botocore's ClientError
        if s3_error_code(error) in MISSING_CODES:
            return None
        raise


def result_etag(client: Any, bucket: str, key: str) -> str | None:
    """The upload ETag a stored result was read from (its `source-etag` metadata), or None."""
    try:
        head = client.head_object(Bucket=bucket, Key=key)
    except Exception as error:  # botocore's ClientError
        if s3_error_code(error) in MISSING_CODES:
            return None
        raise
    etag: str | None = (head.get("Metadata") or {}).get(ETAG_METADATA)
    return etag


def exists(client: Any, bucket: str, key: str) -> bool:
    return upload_etag(client, bucket, key) is not None


def list_keys(client: Any, bucket: str, prefix: str) -> list[str]:
    """Every key under `prefix`, in key order (S3 lists are strongly consistent)."""
    keys: list[str] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [item["Key"] for item in page.get("Contents") or []]
    return keys


def json_bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8", "replace")


def put_json(client: Any, bucket: str, key: str, body: Any, **extra: Any) -> None:
    client.put_object(
        Bucket=bucket, Key=key, Body=json_bytes(body), ContentType="application/json; charset=utf-8", **extra
    )


def download(client: Any, bucket: str, key: str, path: Path) -> int:
    """Stream an object to a file (never whole in memory); returns its size in bytes."""
    return save_stream(client.get_object(Bucket=bucket, Key=key)["Body"], path)


def save_stream(body: Any, path: Path) -> int:
    """Copy an S3 response body to `path` piece by piece, and close it; returns the bytes written."""
    size = 0
    try:
        with path.open("wb") as out:
            while piece := body.read(COPY_CHUNK_BYTES):
                out.write(piece)
                size += len(piece)
    finally:
        body.close()
    return size


def presign_get(client: Any, bucket: str, key: str, expires_s: int, filename: str) -> str:
    """A short-lived GET URL for a stored file (a searchable PDF can be far over Lambda's 6 MB answer)."""
    url: str = client.generate_presigned_url(
        "get_object",
        Params={
            "Bucket": bucket,
            "Key": key,
            "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(filename, safe='')}",
        },
        ExpiresIn=expires_s,
    )
    return url


def read_json(client: Any, bucket: str, key: str, missing_ok: bool = True) -> Any:
    """A JSON object stored by this service; None when absent (and `missing_ok`).

    ValueError when it is not JSON (someone else wrote it, or it is damaged)."""
    try:
        body = client.get_object(Bucket=bucket, Key=key)["Body"]
    except Exception as error:  # botocore's ClientError; botocore is imported only on use
        if missing_ok and s3_error_code(error) in MISSING_CODES:
            return None
        raise
    return parse_json(body)


def parse_json(body: Any) -> Any:
    """The JSON of an S3 response body, which is closed; ValueError when it is not JSON."""
    try:
        return json.loads(body.read())
    finally:
        body.close()
