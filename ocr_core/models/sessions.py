"""ONNX Runtime sessions, created on first use and kept for the life of the process.

Lambda reuses the process between warm invocations, so loading a model once per process
keeps cold starts short (nothing is loaded at import) and warm requests free of load cost.

All sessions share one process-wide intra-op thread pool, sized once (`OCR_THREADS`, else the
CPUs) when the first session is created: a request runs one stage at a time, so a pool per
session (four for the default preset) only left idle threads holding the vCPUs the next stage
needed (figures in docs/performance.md).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import onnxruntime as ort

from ocr_core.errors import ModelNotReadyError

THREADS_ENV = "OCR_THREADS"

_sessions: dict[str, ort.InferenceSession] = {}
_locks: dict[str, threading.Lock] = {}
_locks_lock = threading.Lock()
_pool_threads: int | None = None
"""Size of the shared thread pool; set with the first session, fixed for the process."""


def default_threads() -> int:
    """$OCR_THREADS, else the CPUs this process may use (2 on a 2-vCPU Lambda)."""
    env = os.environ.get(THREADS_ENV)
    if env:
        return max(1, int(env))
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def pool_threads() -> int | None:
    """Threads of the shared pool, or None before the first session."""
    return _pool_threads


def session_options() -> ort.SessionOptions:
    options = ort.SessionOptions()
    options.use_per_session_threads = False  # the shared pool (see the module docstring)
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # Without the arena, memory goes back after each request: peak RSS of a warm worker fell
    # from ~480 to ~370 MB in `make bench` cases, at no measurable cost in speed.
    options.enable_cpu_mem_arena = False
    return options


def get_session(path: Path, threads: int | None = None) -> ort.InferenceSession:
    """The process-wide session for `path`, built on first call.

    `threads` sizes the shared pool if this is the process's first session (default:
    `default_threads()`); afterwards the pool keeps its size.
    """
    key = str(path)
    session = _sessions.get(key)
    if session is not None:
        return session
    with _locks_lock:
        _ensure_pool(threads or default_threads())
        lock = _locks.setdefault(key, threading.Lock())
    with lock:  # one lock per model: a thread loading one model never holds up a request for another
        session = _sessions.get(key)
        if session is None:
            try:
                session = ort.InferenceSession(
                    str(path), sess_options=session_options(), providers=["CPUExecutionProvider"]
                )
            except Exception as error:  # onnxruntime raises its own untyped errors
                raise ModelNotReadyError(f"cannot load model {path.name}: {error}") from error
            _sessions[key] = session
    return session


def _ensure_pool(threads: int) -> None:
    """Size the shared pool once, before any session exists (ONNX Runtime reads it then)."""
    global _pool_threads
    if _pool_threads is None:
        ort.set_global_thread_pool_sizes(threads, 1)
        _pool_threads = threads


def is_loaded(path: Path) -> bool:
    return str(path) in _sessions


def loaded_sessions() -> list[str]:
    """Names of the models loaded so far (for health checks)."""
    return sorted(Path(path).name for path in _sessions)
