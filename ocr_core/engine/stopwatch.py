"""Per-stage timings of one request, and its deadline.

ONNX Runtime calls cannot be interrupted, so a request over its time budget stops at the next
stage boundary (of any page) instead of reading every page of a long document in vain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from time import monotonic, perf_counter

from ocr_core.errors import TimeBudgetExceededError


@dataclass
class Stopwatch:
    """Times each stage of a request and, given a deadline, refuses to start one past it."""

    deadline: float | None = None
    """On the `time.monotonic()` clock; None: no limit."""
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.deadline is not None and monotonic() >= self.deadline:
            raise TimeBudgetExceededError(f"the time budget ran out before the {name} stage")
        start = perf_counter()
        try:
            yield
        finally:
            elapsed = (perf_counter() - start) * 1000.0
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
