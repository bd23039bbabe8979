"""The process-wide engine, built on first use.

Lambda keeps the process between warm invocations, so one engine (and the ONNX sessions it loads
lazily on its first request) serves every later request. Building it costs nothing: no model is
read until a request needs it, which keeps imports and /health fast. One engine per distinct
`Limits` (synchronous API vs. presigned uploads); they share the process-wide sessions.
"""

from __future__ import annotations

from functools import cache

from handler.result_cache import ResultCache
from ocr_core import Limits, OcrEngine


@cache
def get_engine(limits: Limits) -> OcrEngine:
    return OcrEngine(limits=limits)


@cache
def result_cache(max_entries: int) -> ResultCache:
    """The process-wide result cache (one per configured size, in practice one)."""
    return ResultCache(max_entries)
