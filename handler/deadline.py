"""The time budget of a synchronous request: answer 504 with the error JSON before the gateway gives up.

API Gateway's HTTP API drops an integration after 30 s and the API function times out at 29 s;
either way the client gets a bare gateway error and a timed-out Lambda restarts its process
(a cold start for the next request). A hostile but valid file can cost that much: 20 pages
of dense small text are 20 x 2,000 lines. So the engine runs in a worker thread and the
request stops waiting when the budget is spent: the smaller of `OCR_TIME_BUDGET_S` and the
Lambda invocation's remaining time less a margin for sending the answer.

The engine cannot be interrupted from outside (ONNX Runtime calls hold the thread), so it gets the
same deadline and refuses to start a stage past it: the abandoned thread stops at the next stage
boundary instead of reading every remaining page for nobody. The S3 trigger uses the same
deadline, from its invocation's remaining time, so a file too slow to read gets an error result
before Lambda's timeout kills the process.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ocr_core.errors import TimeBudgetExceededError

LAMBDA_MARGIN_S = 1.5
"""Time kept back from Lambda's remaining time to serialise and return the answer."""


@dataclass(frozen=True)
class Deadline:
    """A point on the monotonic clock, and the budget it came from (for the error message)."""

    at: float
    budget_s: float

    @classmethod
    def for_request(cls, scope: Mapping[str, Any], budget_s: float) -> Deadline:
        """Budget from now, cut to the Lambda invocation's remaining time when Mangum passed its context."""
        return cls.for_invocation(scope.get("aws.context"), budget_s)

    @classmethod
    def for_invocation(cls, context: Any, budget_s: float = math.inf) -> Deadline:
        """Budget from now, cut to the remaining time of a Lambda `context` (if it has one)."""
        seconds = budget_s
        remaining_ms = getattr(context, "get_remaining_time_in_millis", None)
        if callable(remaining_ms):
            seconds = min(seconds, remaining_ms() / 1000.0 - LAMBDA_MARGIN_S)
        return cls(time.monotonic() + seconds, seconds)

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def exceeded(self) -> TimeBudgetExceededError:
        return TimeBudgetExceededError(
            f"the file needs more than this request's {max(self.budget_s, 0):.1f} s time budget; "
            "select fewer pages (e.g. pages=1-5) or send it through POST /uploads"
        )
