"""Small read-only views of an S3 notification event, one typed property per field used.

In the spirit of Powertools' event classes, without the dependency: the trigger needs five
fields, and the one that bites is the key, which S3 delivers URL-encoded (`+` for a space,
`%2B` for a plus, `%E4%BD%A0` for 你), so `key` returns it decoded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote_plus


class S3EventRecord:
    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    @property
    def event_name(self) -> str:
        """E.g. "ObjectCreated:Put" (no "s3:" prefix in delivered events)."""
        return str(self._raw.get("eventName", ""))

    @property
    def bucket(self) -> str:
        return str(self._raw["s3"]["bucket"]["name"])

    @property
    def raw_key(self) -> str:
        return str(self._raw["s3"]["object"]["key"])

    @property
    def key(self) -> str:
        return unquote_plus(self.raw_key)

    @property
    def etag(self) -> str:
        return str(self._raw["s3"]["object"].get("eTag", "")).strip('"')

    @property
    def size(self) -> int | None:
        size = self._raw["s3"]["object"].get("size")
        return int(size) if size is not None else None


class S3Event:
    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw

    @staticmethod
    def matches(raw: Any) -> bool:
        """True for an S3 notification (used to route a sample event to the right handler)."""
        records = raw.get("Records") if isinstance(raw, dict) else None
        if not isinstance(records, list) or not records:
            return False
        return all(isinstance(r, dict) and r.get("eventSource") == "aws:s3" for r in records)

    @property
    def records(self) -> Iterator[S3EventRecord]:
        for raw in self._raw.get("Records", []):
            if raw.get("eventSource") == "aws:s3":
                yield S3EventRecord(raw)
