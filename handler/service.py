"""One path from a file and its options to an answer, shared by every way in.

The API routes, the S3 upload trigger and the job workers all call `answer`: options are already
parsed, then the result cache, the engine, and the export. Keeping it in one place keeps the ways
in identical (the same bytes and options give the same JSON whichever way they came) and keeps
the adapters thin: they only turn their input into (bytes, options) and the answer into their
output (an HTTP response, an S3 object).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handler.engine import get_engine, result_cache
from handler.settings import Settings
from ocr_core import Limits, OcrResult
from ocr_core.errors import InputTooLargeError
from ocr_core.options import RequestOptions
from ocr_core.output.exports import ExportFile, export_file


@dataclass(frozen=True)
class Answer:
    """What one file produced: the result, its JSON answer, and the export when one was asked for."""

    result: OcrResult
    body: dict[str, Any]
    export: ExportFile | None = None

    @property
    def warning_codes(self) -> list[str]:
        return list(dict.fromkeys(warning.code for warning in self.result.warnings))


def answer(
    data: bytes,
    options: RequestOptions,
    settings: Settings,
    limits: Limits,
    request_id: str,
    deadline: float | None = None,
    export_max_bytes: int | None = None,
) -> Answer:
    """Read `data` with `options` (cached by content and options); blocking, call it off the event loop.

    `deadline` is on the `time.monotonic()` clock: the engine starts no stage past it.
    `export_max_bytes` caps a searchable PDF (default: what a synchronous answer can carry; a job's
    chunk stores its PDF in S3 instead).
    """
    cache = result_cache(settings.cache_size)
    engine = get_engine(limits)
    key = cache.key(data, options.ocr, engine)
    cached = None if options.format == "pdf" else cache.get(key)  # a searchable PDF needs the pixels
    if cached is None:
        result, pages = engine.run_document(data, options.ocr, deadline)
        cache.put(key, result)
    else:
        result, pages = cached, []
    body = {**result.to_dict(), "request_id": request_id, "cached": cached is not None}
    if options.format == "json":
        return Answer(result, body)
    exported = export_file(result, pages, options.format)
    limit = settings.max_bytes if export_max_bytes is None else export_max_bytes
    if len(exported.content) > limit:
        raise InputTooLargeError(
            f"the {options.format} export has {len(exported.content)} bytes, more than the {limit} "
            "bytes a synchronous answer can carry; select fewer pages (e.g. pages=1-5) or use POST /uploads"
        )
    return Answer(result, body, exported)


def log_fields(reply: Answer, file_bytes: int, output: str) -> dict[str, Any]:
    """What one request's log line says about its answer (never the text itself)."""
    body = reply.body
    return {
        "file_bytes": file_bytes,
        "lines": len(body["results"]),
        "pages": len(body["pages"]),
        "preset": body["model"]["preset"],
        "format": output,
        "cached": body["cached"],
        "warnings": reply.warning_codes,
        "timings_ms": body["timings_ms"],
        "total_time_ms": body["total_time_ms"],
    }
