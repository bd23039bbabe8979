"""One frozen `Settings`, read from the environment; every variable name is written once, here.

An explicit argument beats the environment: tests and the local server build `Settings(...)`
directly, the Lambda functions call `Settings.from_env()` once per process.

Why the synchronous byte limit is 4.5 MB: a synchronous Lambda invocation carries at most
6 MB (6,291,456 bytes) of event, and API Gateway hands a binary body to Lambda base64-encoded,
which inflates it by 4/3. 4,500,000 raw bytes become 6,000,000 base64 characters, leaving about
290 KB for headers, multipart framing and the rest of the event. Larger files go through
`POST /uploads` (a presigned S3 POST answered by the S3 trigger), capped by OCR_PRESIGN_MAX_BYTES.
`OCR_THREADS` and `OCR_MODEL_DIR` are read by `ocr_core` itself and are not repeated here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache
from typing import Any

from ocr_core import Limits

SYNC_MAX_BYTES = 4_500_000
"""Largest file accepted by POST /ocr through API Gateway (see the module docstring)."""
TIME_BUDGET_S = 25.0
"""Below the API function's 29 s timeout and API Gateway's 30 s, leaving room to answer."""
BODY_TIMEOUT_S = 10.0
"""A client that sends nothing for this long is not uploading any more (a stalled connection)."""
MULTIPART_SLACK_BYTES = 64 * 1024
"""Room for multipart framing and form fields on top of the file itself."""
JOB_CHUNK_PAGES = 8
"""Pages per chunk of a job, chosen by `make bench-jobs` (bench/results/jobs.md)."""

_FLAGS = dict.fromkeys(("1", "true", "yes", "on"), True) | dict.fromkeys(("0", "false", "no", "off"), False)
_ENGINE = Limits()  # the engine's own defaults for every limit we do not override


def _env(name: str) -> dict[str, str]:
    return {"env": name}


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of the handler layer. Field metadata names each environment variable."""

    max_bytes: int = field(default=SYNC_MAX_BYTES, metadata=_env("OCR_MAX_BYTES"))
    max_pixels: int = field(default=_ENGINE.max_pixels, metadata=_env("OCR_MAX_PIXELS"))
    max_side: int = field(default=_ENGINE.max_side, metadata=_env("OCR_MAX_SIDE"))
    max_total_pixels: int = field(default=_ENGINE.max_total_pixels, metadata=_env("OCR_MAX_TOTAL_PIXELS"))
    max_pdf_pages: int = field(default=_ENGINE.max_pdf_pages, metadata=_env("OCR_MAX_PDF_PAGES"))
    pdf_dpi: int = field(default=_ENGINE.pdf_dpi, metadata=_env("OCR_PDF_DPI"))
    max_lines: int = field(default=_ENGINE.max_lines, metadata=_env("OCR_MAX_LINES"))
    pdf_memory_bytes: int = field(default=_ENGINE.pdf_memory_bytes, metadata=_env("OCR_PDF_MEMORY_BYTES"))
    pdf_seconds: float = field(default=_ENGINE.pdf_seconds, metadata=_env("OCR_PDF_SECONDS"))
    max_text_chars: int = field(default=_ENGINE.max_text_chars, metadata=_env("OCR_MAX_TEXT_CHARS"))
    allowed_origins: tuple[str, ...] = field(default=(), metadata=_env("OCR_ALLOWED_ORIGINS"))
    """Origins allowed by CORS (comma-separated). Empty: no CORS headers (same-origin use only)."""
    upload_bucket: str | None = field(default=None, metadata=_env("OCR_UPLOAD_BUCKET"))
    """Bucket for presigned uploads; unset disables POST /uploads and GET /results."""
    presign_max_bytes: int = field(default=500 * 1024 * 1024, metadata=_env("OCR_PRESIGN_MAX_BYTES"))
    """Largest presigned upload (Textract's limit): a long or heavy document is cut into parts of at
    most about 50 MB (`handler.jobs.split`), so no read holds the whole file."""
    presign_expires_s: int = field(default=900, metadata=_env("OCR_PRESIGN_EXPIRES"))
    default_preset: str | None = field(default=None, metadata=_env("OCR_DEFAULT_PRESET"))
    """Preset used when a request names none; unset means the engine's default."""
    log_level: str = field(default="INFO", metadata=_env("OCR_LOG_LEVEL"))
    time_budget_s: float = field(default=TIME_BUDGET_S, metadata=_env("OCR_TIME_BUDGET_S"))
    """Longest a synchronous POST /ocr may work before it answers 504 (see `handler.budget`)."""
    cache_size: int = field(default=64, metadata={**_env("OCR_CACHE_SIZE"), "zero_ok": True})
    """Results kept in memory for repeated files (same bytes and options); 0 turns the cache off."""
    body_timeout_s: float = field(default=BODY_TIMEOUT_S, metadata=_env("OCR_BODY_TIMEOUT_S"))
    """Longest wait for the next chunk of a request body before a 408 (only the local server
    sees slow bodies: API Gateway buffers the whole body before it invokes the function)."""
    preload: bool = field(default=True, metadata=_env("OCR_PRELOAD"))
    """Create the default preset's ONNX sessions in the background from import on (`handler.preload`)."""
    job_queue_url: str | None = field(default=None, metadata=_env("OCR_JOB_QUEUE_URL"))
    """SQS queue of a job's chunks (`handler.jobs`). Unset: no jobs, an upload reads its first
    `max_pdf_pages` pages as POST /ocr does."""
    job_chunk_pages: int = field(default=JOB_CHUNK_PAGES, metadata=_env("OCR_JOB_CHUNK_PAGES"))
    """Pages per chunk; an upload with more pages becomes a job (at most `max_pdf_pages`)."""
    job_max_pages: int = field(default=1_000, metadata=_env("OCR_JOB_MAX_PAGES"))
    """Most pages a job reads (an explicit larger selection is a 413; else the first ones, with a warning)."""
    job_max_receives: int = field(default=3, metadata=_env("OCR_JOB_MAX_RECEIVES"))
    """The chunk queue's maxReceiveCount: the delivery that reaches it records the chunk's pages as
    failed, so the job can end while SQS moves the message to the dead-letter queue."""
    job_retry_delay_s: int = field(default=10, metadata={**_env("OCR_JOB_RETRY_DELAY_S"), "zero_ok": True})
    """Seconds before a chunk that failed is delivered again (instead of the queue's visibility timeout)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from `environ` (default: the process environment); keyword overrides win."""
        source = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = source.get(spec.metadata["env"], "").strip()
            if raw:
                value = _parse(
                    spec.metadata["env"], raw, type(spec.default), spec.metadata.get("zero_ok", False)
                )
                values[spec.name] = value
        return cls(**{**values, **overrides})

    @property
    def max_body_bytes(self) -> int:
        """Largest request body read for POST /ocr: the file, base64-inflated for JSON bodies, plus slack."""
        return self.max_bytes * 4 // 3 + MULTIPART_SLACK_BYTES

    def limits(self) -> Limits:
        """Engine limits for synchronous requests."""
        return Limits(
            max_bytes=self.max_bytes,
            max_pixels=self.max_pixels,
            max_side=self.max_side,
            max_total_pixels=self.max_total_pixels,
            max_pdf_pages=self.max_pdf_pages,
            pdf_dpi=self.pdf_dpi,
            max_lines=self.max_lines,
            pdf_memory_bytes=self.pdf_memory_bytes,
            pdf_seconds=self.pdf_seconds,
            max_text_chars=self.max_text_chars,
        )

    def upload_limits(self) -> Limits:
        """Engine limits for presigned uploads read by the S3 trigger: only the byte cap differs."""
        return replace(self.limits(), max_bytes=self.presign_max_bytes)

    @property
    def jobs_enabled(self) -> bool:
        return bool(self.job_queue_url)

    @property
    def chunk_pages(self) -> int:
        """Pages per chunk: a chunk is read as one request, so never more than the request page cap."""
        return min(self.job_chunk_pages, self.max_pdf_pages)


def _parse(env: str, raw: str, kind: type, zero_ok: bool = False) -> Any:
    if kind is bool:
        flag = raw.lower()
        if flag not in _FLAGS:
            raise ValueError(f"{env} must be one of {', '.join(sorted(_FLAGS))}, got {raw!r}")
        return _FLAGS[flag]
    if kind is tuple:
        return tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    if kind is int:
        try:
            value = int(raw.replace("_", ""))
        except ValueError:
            raise ValueError(f"{env} must be an integer, got {raw!r}") from None
        if value < 0 or (value == 0 and not zero_ok):
            raise ValueError(f"{env} must be {'zero or more' if zero_ok else 'positive'}, got {value}")
        return value
    if kind is float:
        try:
            number = float(raw)
        except ValueError:
            raise ValueError(f"{env} must be a number, got {raw!r}") from None
        if not number > 0 or number == float("inf"):
            raise ValueError(f"{env} must be a positive number, got {raw}")
        return number
    return raw


@cache
def get_settings() -> Settings:
    """The process-wide settings, read once (a Lambda container's environment does not change)."""
    return Settings.from_env()
