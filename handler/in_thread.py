"""Run blocking work (the engine, S3 reads, exports, hashing) off the event loop, within a deadline.

The API's routes are `async`; anything that takes CPU or waits on S3 runs in a worker thread so one
request cannot stall the others, and the request stops waiting once its deadline passes (see
`handler.deadline`): the client gets the 504 error JSON instead of the gateway's bare timeout.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from handler.deadline import Deadline
from ocr_core.errors import TimeBudgetExceededError

T = TypeVar("T")


async def run_within(deadline: Deadline, function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a worker thread; TimeBudgetExceededError once the deadline passes."""
    remaining = deadline.remaining()
    if remaining <= 0:
        raise deadline.exceeded()
    with anyio.move_on_after(remaining):
        try:
            return await anyio.to_thread.run_sync(partial(function, *args), abandon_on_cancel=True)
        except TimeBudgetExceededError:  # the engine saw the same deadline first: one message for both
            raise deadline.exceeded() from None
    raise deadline.exceeded()
