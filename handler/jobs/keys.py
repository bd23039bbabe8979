"""Where a job keeps its objects; one place names every key, so no two modules can disagree.

A job belongs to one version of one upload: `uploads/<rest>` with ETag `<etag>` keeps its files
under `jobs/<rest>/<etag>/`. A new upload of the same key is another version, so it gets its own
job and can never mix chunks with the one it replaces. Chunk numbers are zero-padded, so a
listing returns them in page order.

    jobs/<rest>/<etag>/manifest.json      what the job reads: pages, chunks, options, source
    jobs/<rest>/<etag>/queued             written last by the trigger: the job is fully queued
    jobs/<rest>/<etag>/parts/<k>.<ext>    chunk k's pages (a small PDF or TIFF), split once
    jobs/<rest>/<etag>/started            a worker began the job (progress says "running")
    jobs/<rest>/<etag>/chunks/<k>.json    chunk k's result, or its pages' errors
    jobs/<rest>/<etag>/chunks/<k>.pdf     chunk k's searchable PDF
    jobs/<rest>/<etag>/merged             the merge lock, created once (If-None-Match: *)
    results/<rest>.json                   THE result (as for any upload)
    exports/<rest>.<txt|md|html|jsonl|csv|zip|xlsx|pdf>  the job's exports
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handler import storage
from ocr_core.output.exports import EXTENSIONS

CHUNK_DIGITS = 5
_CHUNK_RECORD = re.compile(r"chunks/(\d+)\.json$")


@dataclass(frozen=True)
class JobKeys:
    bucket: str
    upload_key: str
    etag: str

    @property
    def rest(self) -> str:
        return self.upload_key[len(storage.UPLOAD_PREFIX) :]

    @property
    def root(self) -> str:
        return f"{storage.JOB_PREFIX}{self.rest}/{self.etag}/"

    @property
    def manifest(self) -> str:
        return f"{self.root}manifest.json"

    @property
    def queued(self) -> str:
        return f"{self.root}queued"

    @property
    def merge_lock(self) -> str:
        return f"{self.root}merged"

    @property
    def chunks(self) -> str:
        """Prefix of the chunk records."""
        return f"{self.root}chunks/"

    @property
    def started(self) -> str:
        return f"{self.root}started"

    def part(self, chunk: int, extension: str) -> str:
        return f"{self.root}parts/{chunk:0{CHUNK_DIGITS}d}.{extension}"

    def chunk_record(self, chunk: int) -> str:
        return f"{self.chunks}{chunk:0{CHUNK_DIGITS}d}.json"

    def chunk_pdf(self, chunk: int) -> str:
        return f"{self.chunks}{chunk:0{CHUNK_DIGITS}d}.pdf"

    @property
    def result(self) -> str:
        key = storage.result_key(self.upload_key)
        if key is None:
            raise ValueError(f"{self.upload_key!r} is not an upload key")
        return key

    def export(self, output: str, extension: str | None = None) -> str:
        return f"{storage.EXPORT_PREFIX}{self.rest}.{extension or EXTENSIONS[output]}"


def chunk_numbers(keys: list[str]) -> list[int]:
    """The chunk numbers of the records among `keys` (a listing of `JobKeys.chunks`)."""
    return sorted(int(match.group(1)) for key in keys if (match := _CHUNK_RECORD.search(key)))
