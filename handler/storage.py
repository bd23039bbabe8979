"""S3 side of large uploads: key layout, the presigned POST, upload options, stored results.

Key layout is the recursion guard: the trigger watches `uploads/` and writes only under
`results/` (and `options/`, written by the API), so its own writes can never fire it again. An
upload `uploads/<id>/<name>` gets its result at `results/<id>/<name>.json`.

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
from typing import Any
from urllib.parse import unquote

from ocr_core.options import UPLOAD_OPTIONS

UPLOAD_PREFIX = "uploads/"
RESULT_PREFIX = "results/"
OPTIONS_PREFIX = "options/"
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
        stored = _read_json(client, bucket, f"{OPTIONS_PREFIX}{upload_id}.json")
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
    return _read_json(client, bucket, contents[0]["Key"], missing_ok=False)


def _read_json(client: Any, bucket: str, key: str, missing_ok: bool = True) -> Any:
    """A JSON object stored by this service; None when absent (and `missing_ok`).

    ValueError when it is not JSON (someone else wrote it, or it is damaged)."""
    try:
        body = client.get_object(Bucket=bucket, Key=key)["Body"]
    except Exception as error:  # botocore's ClientError; botocore is imported only on use
        if missing_ok and s3_error_code(error) in MISSING_CODES:
            return None
        raise
    try:
        return json.loads(body.read())
    finally:
        body.close()
