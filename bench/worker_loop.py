"""The request loop both bench workers share: JSON lines in on stdin, JSON lines out on stdout.

Standard library only, because it also runs inside the peer's virtualenv. Both engines are timed
by the same code around the same call (image bytes in memory -> list of line texts), so the
numbers differ only by engine, not by harness. Requests:

    {"op": "ocr", "path": "...", "mode": "line" | "page" | "auto", ...}  -> {"texts": [...], "ms": 12.3, ...}
    {"op": "memory"}                                                   -> {"vmhwm_kb": ..., "vmrss_kb": ...}
    {"op": "quit"}

The first line a worker writes is {"ready": true, "startup_ms": ...} once its imports are done.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

Reader = Callable[[bytes, dict[str, Any]], tuple[list[str], dict[str, Any]]]
"""(image bytes, request) -> (line texts in reading order, extra fields for the reply)."""


def memory() -> dict[str, int]:
    """Peak (VmHWM) and current (VmRSS) resident memory of this process, in kB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key.lower() + "_kb"] = int(value.split()[0])
    return fields


def serve(read: Reader, started: float, info: dict[str, Any] | None = None) -> None:
    """Answer requests until stdin closes or a quit arrives; `started` is perf_counter at process start."""
    out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, never into the protocol

    def send(message: dict[str, Any]) -> None:
        out.write(json.dumps(message, ensure_ascii=False) + "\n")

    send(
        {
            "ready": True,
            "startup_ms": (time.perf_counter() - started) * 1000.0,
            "pid": os.getpid(),
            **(info or {}),
        }
    )
    for line in sys.stdin:
        request = json.loads(line)
        op = request.get("op")
        if op == "quit":
            break
        if op == "memory":
            send(memory())
            continue
        try:
            data = Path(request["path"]).read_bytes()
            start = time.perf_counter()
            texts, extra = read(data, request)
            elapsed = (time.perf_counter() - start) * 1000.0
            send({"texts": texts, "ms": elapsed, **extra})
        except Exception:  # report to the bench and keep serving: one bad case must not end the run
            send({"error": traceback.format_exc(limit=4)})
