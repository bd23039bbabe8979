"""`s3_key`: read a file that is already in the upload bucket, instead of one in the request body.

Only the configured upload bucket and only keys under `uploads/` are read: the caller names an
object, never a bucket or a URL, so the service cannot be used to fetch anything else (no
server-side request forgery, no reading of `results/` or of other buckets the role can see).
The object's size is checked from its metadata before a byte of it is read. botocore is imported
only when an `s3_key` arrives (the Lambda runtime provides it; the package leaves it out).
"""

from __future__ import annotations

from typing import Any

from handler.errors import ObjectNotFoundError, UploadsDisabledError
from handler.settings import Settings
from handler.storage import MISSING_CODES, UPLOAD_PREFIX, WHOLE_READ_MAX_BYTES, s3_error_code
from ocr_core.errors import InputTooLargeError, InvalidOptionError

_MISSING = MISSING_CODES | {"403", "AccessDenied"}
MAX_KEY_CHARS = 1024


def read_uploaded(s3: Any, settings: Settings, key: str) -> bytes:
    """The bytes of `uploads/...` in the upload bucket, within the upload size cap."""
    if not settings.upload_bucket:
        raise UploadsDisabledError(
            "s3_key needs an upload bucket, and none is configured (OCR_UPLOAD_BUCKET)"
        )
    check_key(key)
    from botocore.exceptions import ClientError  # on demand: botocore costs cold-start time /ocr rarely needs

    limit = min(settings.presign_max_bytes, WHOLE_READ_MAX_BYTES)
    try:
        head = s3.head_object(Bucket=settings.upload_bucket, Key=key)
        size = int(head.get("ContentLength", 0))
        if size > limit:
            raise InputTooLargeError(
                f"the object has {size} bytes; POST /ocr reads uploaded files of up to {limit} bytes "
                "(GET /results/{id} has the result of the whole upload, and its exports)"
            )
        stream = s3.get_object(Bucket=settings.upload_bucket, Key=key)["Body"]
        try:
            body: bytes = stream.read(limit + 1)
        finally:
            stream.close()
        if len(body) > limit:  # it grew after the head request
            raise InputTooLargeError(f"the object is over the {limit} bytes POST /ocr reads")
    except ClientError as error:
        # 403 too: without list permission S3 answers 403 for a missing key, and either way
        # the caller learns nothing about what else is in the bucket.
        if s3_error_code(error) in _MISSING:
            raise ObjectNotFoundError(
                f"no uploaded object {key!r}; upload it first (POST /uploads)"
            ) from error
        raise
    return body


def check_key(key: str) -> None:
    parts = key.split("/")
    if (
        not key.startswith(UPLOAD_PREFIX)
        or len(key) > MAX_KEY_CHARS
        or any(part in ("", ".", "..") for part in parts[1:])
    ):
        raise InvalidOptionError(f"s3_key must name an object under {UPLOAD_PREFIX} in the upload bucket")
