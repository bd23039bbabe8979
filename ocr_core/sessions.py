"""ONNX Runtime sessions, created on first use and kept for the life of the process.

Lambda reuses the process between warm invocations, so loading a model once per process
keeps cold starts short (nothing is loaded at import) and warm requests free of load cost.
Thread count is explicit: ONNX Runtime's default spins a thread per core plus pool overhead.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import onnxruntime as ort

from ocr_core.errors import ModelNotReadyError

THREADS_ENV = "OCR_THREADS"

_sessions: dict[tuple[str, int], ort.InferenceSession] = {}
_locks: dict[tuple[str, int], threading.Lock] = {}
_locks_lock = threading.Lock()


def default_threads() -> int:
    """$OCR_THREADS, else the CPUs this process may use (2 on a 2-vCPU Lambda)."""
    env = os.environ.get(THREADS_ENV)
    if env:
        return max(1, int(env))
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def session_options(threads: int) -> ort.SessionOptions:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # Without the arena, memory goes back after each request: peak RSS of a warm worker fell
    # from ~480 to ~370 MB in `make bench` cases, at no measurable cost in speed.
    options.enable_cpu_mem_arena = False
    # Worker threads that spin-wait after a run keep a vCPU busy: with a pool per session (four for
    # the default preset) on 2 vCPUs they starve the next stage and the Python between stages.
    # Off, measured warm: 1080p page -10%, street sign -20%, one line 60 -> 25 ms; cold: the
    # background preload stopped slowing the imports (+60-80 ms with spinning, none without).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def get_session(path: Path, threads: int | None = None) -> ort.InferenceSession:
    """The process-wide session for `path`, built on first call."""
    count = threads or default_threads()
    key = (str(path), count)
    session = _sessions.get(key)
    if session is not None:
        return session
    with _locks_lock:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:  # one lock per model: a thread loading one model never holds up a request for another
        session = _sessions.get(key)
        if session is None:
            try:
                session = ort.InferenceSession(
                    str(path), sess_options=session_options(count), providers=["CPUExecutionProvider"]
                )
            except Exception as error:  # onnxruntime raises its own untyped errors
                raise ModelNotReadyError(f"cannot load model {path.name}: {error}") from error
            _sessions[key] = session
    return session


def is_loaded(path: Path, threads: int | None = None) -> bool:
    return (str(path), threads or default_threads()) in _sessions


def loaded_sessions() -> list[str]:
    """Names of the models loaded so far (for health checks)."""
    return sorted(Path(path).name for path, _ in _sessions)
