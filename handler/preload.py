"""Load the models in the background while the rest of the function imports.

A cold Lambda spends ~300 ms importing FastAPI, pydantic and numpy on one core before it can take
its first request. ONNX Runtime builds sessions in C++, mostly without the GIL, so a thread
started before those imports creates the default preset's sessions (`OcrEngine.warm_up`, the
fallback recognizer included) on the second vCPU meanwhile; the first request finds them ready
(what it saves: docs/performance.md). Only the sessions: running inputs through the models as
well would compete with the imports for the two vCPUs.

Nothing changes for correctness: sessions stay process-wide and are still created on first need,
under a lock per model, so a request that comes first loads what it needs itself and the two
share one copy. A failure here (models missing) is logged, never raised: the request reports it as usual.

The thread is not a daemon: a short process (a script, a test run) that exits while ONNX Runtime
is still building a session would otherwise tear the runtime down under it and abort
("terminate called without an active exception"); the interpreter waits for it instead.
"""

from __future__ import annotations

import logging
import threading

from handler.engine import get_engine
from handler.settings import get_settings
from ocr_core import OcrEngine

log = logging.getLogger("ocr.preload")

_thread: threading.Thread | None = None


def start() -> threading.Thread | None:
    """Start the background load once per process (if `OCR_PRELOAD` allows); returns its thread."""
    global _thread
    settings = get_settings()
    if _thread is None and settings.preload:
        engine = get_engine(settings.limits())
        _thread = threading.Thread(
            target=_warm_up, args=(engine, settings.default_preset), name="ocr-preload", daemon=False
        )
        _thread.start()
    return _thread


def wait(timeout: float | None = None) -> bool:
    """Block until the background load is over (or `timeout` passes); True once it has ended."""
    if _thread is not None:
        _thread.join(timeout)
    return _thread is None or not _thread.is_alive()


def _warm_up(engine: OcrEngine, preset: str | None) -> None:
    try:
        engine.warm_up(preset)
    except Exception:  # logged, not raised: the first request reports the same failure itself
        log.warning("preloading the models failed; requests will load them", exc_info=True)
