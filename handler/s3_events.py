"""Small read-only views of an S3 notification event, one typed property per field used.

In the spirit of Powertools' event classes, without the dependency. Records are checked when
the event is read, so a malformed record (no `s3`, no object key, not a dict) is reported as
such instead of failing the records after it. The key is the field that bites: S3 delivers it
URL-encoded (`+` for a space, `%2B` for a plus, `%E4%BD%A0` for 你), so `key` returns it decoded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus


@dataclass(frozen=True)
class S3EventRecord:
    event_name: str
    """E.g. "ObjectCreated:Put" (no "s3:" prefix in delivered events)."""
    bucket: str
    raw_key: str
    etag: str

    @property
    def key(self) -> str:
        return unquote_plus(self.raw_key)

    @classmethod
    def parse(cls, raw: Any) -> S3EventRecord | str:
        """The record, or why it cannot be one."""
        if not isinstance(raw, dict):
            return "the record is not an object"
        if raw.get("eventSource") != "aws:s3":
            return f"the record is not from S3 (eventSource {str(raw.get('eventSource'))[:40]!r})"
        s3 = raw.get("s3")
        bucket = s3.get("bucket") if isinstance(s3, dict) else None
        obj = s3.get("object") if isinstance(s3, dict) else None
        name = bucket.get("name") if isinstance(bucket, dict) else None
        key = obj.get("key") if isinstance(obj, dict) else None
        if not isinstance(name, str) or not name or not isinstance(key, str) or not key:
            return "the record has no s3.bucket.name or s3.object.key"
        etag = obj.get("eTag", "") if isinstance(obj, dict) else ""
        return cls(str(raw.get("eventName", "")), name, key, str(etag or "").strip('"'))


class S3Event:
    def __init__(self, raw: Any) -> None:
        self._raw = raw

    @staticmethod
    def matches(raw: Any) -> bool:
        """True for an S3 notification (used to route a sample event to the right handler)."""
        records = raw.get("Records") if isinstance(raw, dict) else None
        if not isinstance(records, list) or not records:
            return False
        return all(isinstance(r, dict) and r.get("eventSource") == "aws:s3" for r in records)

    @property
    def records(self) -> Iterator[S3EventRecord | str]:
        """Every record: parsed, or the reason it could not be (`Records` missing or null: none)."""
        records = self._raw.get("Records") if isinstance(self._raw, dict) else None
        if records is None:
            return
        if not isinstance(records, list):
            yield "Records is not a list"
            return
        for raw in records:
            yield S3EventRecord.parse(raw)
