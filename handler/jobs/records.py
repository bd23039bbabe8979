"""The shapes a job writes and sends: its manifest, a chunk's message, a chunk's record.

All are plain JSON, versioned by their fields only: a worker of the same deployment reads what
the trigger of that deployment wrote. Options are stored without `password` (a part of an
encrypted PDF is already decrypted) and without `pages` (a part holds exactly its pages).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from handler.jobs.keys import JobKeys

PART_OPTIONS_DROPPED = ("password", "pages")
CHUNK_FAILED = "chunk_failed"
"""The error code of pages whose chunk failed on every delivery (the worker's log has the cause)."""


def part_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The upload's options as a chunk is read with them (see the module docstring)."""
    return {name: value for name, value in options.items() if name not in PART_OPTIONS_DROPPED}


@dataclass(frozen=True)
class Manifest:
    """What a job reads and how it was cut; written by the trigger before any chunk is queued."""

    bucket: str
    key: str
    etag: str
    document_pages: int
    """Pages in the uploaded document."""
    chunks: tuple[tuple[int, ...], ...]
    """Each chunk's page numbers in the document, in reading order."""
    options: dict[str, Any]
    """The upload's options as given (without `password`), `pages` included."""
    part_extension: str
    created: str

    @property
    def keys(self) -> JobKeys:
        return JobKeys(self.bucket, self.key, self.etag)

    @property
    def pages_total(self) -> int:
        return sum(len(pages) for pages in self.chunks)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "chunks": [list(pages) for pages in self.chunks]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Manifest:
        chunks = tuple(tuple(int(page) for page in pages) for pages in data["chunks"])
        return cls(
            str(data["bucket"]),
            str(data["key"]),
            str(data["etag"]),
            int(data["document_pages"]),
            chunks,
            dict(data["options"]),
            str(data["part_extension"]),
            str(data["created"]),
        )

    def message(self, chunk: int) -> ChunkMessage:
        return ChunkMessage(
            self.bucket,
            self.key,
            self.etag,
            chunk,
            len(self.chunks),
            self.chunks[chunk],
            self.keys.part(chunk, self.part_extension),
            part_options(self.options),
        )


@dataclass(frozen=True)
class ChunkMessage:
    """One SQS message: everything a worker needs to read one chunk, without the manifest."""

    bucket: str
    key: str
    etag: str
    chunk: int
    chunks: int
    pages: tuple[int, ...]
    part: str
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def keys(self) -> JobKeys:
        return JobKeys(self.bucket, self.key, self.etag)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pages": list(self.pages)}

    @classmethod
    def from_dict(cls, data: Any) -> ChunkMessage:
        """The message, or ValueError/KeyError/TypeError when the body is not one (never retried)."""
        if not isinstance(data, dict):
            raise TypeError("the message body is not a JSON object")
        pages = tuple(int(page) for page in data["pages"])
        chunk, chunks = int(data["chunk"]), int(data["chunks"])
        if not pages or not 0 <= chunk < chunks:
            raise ValueError("the message names no pages, or a chunk outside its job")
        options = data.get("options") or {}
        if not isinstance(options, dict):
            raise TypeError("the message's options are not an object")
        strings = [data[name] for name in ("bucket", "key", "etag", "part")]
        if not all(isinstance(value, str) and value for value in strings):
            raise ValueError("the message lacks its bucket, key, etag or part")
        bucket, key, etag, part = strings
        return cls(bucket, key, etag, chunk, chunks, pages, part, options)


@dataclass(frozen=True)
class PageError:
    """A page a job could not read, and why (the API's error code and message)."""

    page: int
    code: str
    message: str


@dataclass(frozen=True)
class ChunkRecord:
    """What a worker stored for a chunk: the result of the pages it read and the pages it could not."""

    chunk: int
    pages: tuple[int, ...]
    result: dict[str, Any] | None
    """`OcrResult.to_dict()` of the pages read, numbered as in the document; None if none was."""
    errors: tuple[PageError, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)
    """Where the worker's time went (fetch, read), for the bench's per-chunk overhead."""
    receives: int = 1
    """The delivery of the chunk's message that stored this record (SQS's ApproximateReceiveCount)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "chunk": self.chunk,
            "pages": list(self.pages),
            "result": self.result,
            "errors": [asdict(error) for error in self.errors],
            "seconds": {name: round(value, 3) for name, value in self.seconds.items()},
            "receives": self.receives,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChunkRecord:
        errors = tuple(PageError(int(e["page"]), str(e["code"]), str(e["message"])) for e in data["errors"])
        pages = tuple(int(page) for page in data["pages"])
        seconds = dict(data.get("seconds") or {})
        return cls(int(data["chunk"]), pages, data["result"], errors, seconds, int(data.get("receives", 1)))


def failed_pages(errors: Sequence[PageError]) -> list[int]:
    return sorted({error.page for error in errors})
