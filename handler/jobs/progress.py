"""How far a job is, for `GET /results/{id}`, read from the bucket alone (no database).

The upload's current version (its key and ETag, from one listing of `uploads/<id>/`) names the
job; a result written for that version means the job is over. Otherwise the job's manifest gives
its pages, the chunk records how many are done, and the started marker whether any worker has
begun: "queued" until one has, then "running" (also while the last worker merges).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handler import storage
from handler.jobs.keys import JobKeys, chunk_numbers
from handler.jobs.records import Manifest

QUEUED, RUNNING = "queued", "running"


@dataclass(frozen=True)
class JobProgress:
    state: str
    pages_total: int
    pages_done: int
    chunks_total: int
    chunks_done: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "pages_total": self.pages_total,
            "pages_done": self.pages_done,
            "chunks_total": self.chunks_total,
            "chunks_done": self.chunks_done,
        }


def job_progress(s3: Any, bucket: str, upload_id: str, result: Any) -> JobProgress | None:
    """The progress of the upload's job while it runs; None when there is no job or `result` (the
    stored result JSON, if any) was written for the current upload."""
    current = storage.current_upload(s3, bucket, upload_id)
    if current is None:
        return None
    key, etag = current
    source = result.get("source") if isinstance(result, dict) else None
    if isinstance(source, dict) and source.get("etag") == etag:
        return None
    keys = JobKeys(bucket, key, etag)
    stored = storage.read_json(s3, bucket, keys.manifest)
    if not isinstance(stored, dict):
        return None
    manifest = Manifest.from_dict(stored)
    done = chunk_numbers(storage.list_keys(s3, bucket, keys.chunks))
    pages_done = sum(len(manifest.chunks[k]) for k in done if k < len(manifest.chunks))
    started = bool(done) or storage.exists(s3, bucket, keys.started)
    return JobProgress(
        RUNNING if started else QUEUED, manifest.pages_total, pages_done, len(manifest.chunks), len(done)
    )
