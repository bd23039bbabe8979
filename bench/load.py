"""`make load`: a bounded load test of the local server, on loopback only.

It starts `uvicorn handler.local:app` on 127.0.0.1 (a free port), warms it up, then runs N
asyncio + httpx clients for a fixed time, each sending a weighted mix of line crops, pages, bad
inputs (the same files as the test matrix) and hostile ones (PDF bombs, misspelled options, JSON
nested thousands deep, an expanding page selection), checking every status it gets back. It
reports throughput, latency percentiles per kind, answers by status, and the resident memory
of the server and of its PDFium worker before and after the load and at their peaks.

Memory is compared after a short settle phase at the same concurrency: N requests in flight
need N working sets, which the allocator keeps for reuse once they are freed (measured: the
first 15 s at 4 clients lift RSS by ~180 MB, five more 15 s phases stay within 510-595 MB).
Growth after that is what a leak would show; the allocator's retention still varies by up to
~100 MB between runs, so the default bound is 150 MB: a leak of 0.4 MB per request over a
30 s run (~400 requests) would exceed it.

Exit status 1 when an answer had an unexpected status (any 5xx included) or the server's memory
grew by more than `--rss-bound-mb`: a leak or unbounded buffering shows up as steady growth.
Traffic never leaves the machine: the server binds 127.0.0.1 and the clients talk only to it.

    python -m bench.load --clients 4 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from bench.kit.local_server import local_server, log_tail
from bench.load_mix import KIND_WEIGHTS, REQUEST_TIMEOUT_S, Request, requests_mix
from bench.load_report import Memory, Outcome, print_report, rss, summarize

ROOT = Path(__file__).resolve().parent.parent
# ---- the server ----------------------------------------------------------------------------------


SERVER_LOG = ROOT / "bench" / "results" / "logs" / "load-server.log"
"""The server's own output (Python faulthandler on): where to look if it died under load."""


def load_server(
    app: str, cache_size: int = 0
) -> contextlib.AbstractContextManager[tuple[str, subprocess.Popen[bytes]]]:
    """The local server as `make load` runs it: quiet, faulthandler on, its log kept in SERVER_LOG.

    The result cache is off unless asked for: the mix repeats a handful of files, so with it the
    load test would time cache lookups (thousands per second), not the engine.
    """
    env = {"OCR_LOG_LEVEL": "WARNING", "OCR_CACHE_SIZE": str(cache_size), "PYTHONFAULTHANDLER": "1"}
    return local_server(app, env, SERVER_LOG, uvicorn_args=("--no-access-log",))


def server_died(process: subprocess.Popen[bytes]) -> str | None:
    """How the server ended if it did so on its own (before we stopped it), with its last words."""
    code = process.poll()
    if code is None:
        return None
    return f"the server exited on its own with {code}; the end of {SERVER_LOG}:\n{log_tail(SERVER_LOG)}"


class ChildSampler:
    """Samples the resident memory of the server's children (the PDFium worker, which is restarted
    after a bomb, so no one process's VmHWM holds the peak) and of the server plus them, 5 times a
    second; the server's own peak is exact (its VmHWM)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.children_peak, self.total_peak = pid, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ChildSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            children = sum(memory_mb(child).get("VmRSS", 0.0) for child in child_pids(self.pid))
            self.children_peak = max(self.children_peak, children)
            self.total_peak = max(self.total_peak, children + memory_mb(self.pid).get("VmRSS", 0.0))


def child_pids(pid: int) -> list[int]:
    pids = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            pids += [int(token) for token in children.read_text().split()]
    return pids


def memory_mb(pid: int) -> dict[str, float]:
    """Resident set now (VmRSS) and at its peak (VmHWM), from /proc; empty where there is none."""
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return {}
    text = status.read_text()
    values = {}
    for field_name in ("VmRSS", "VmHWM"):
        match = re.search(rf"^{field_name}:\s+(\d+) kB", text, re.M)
        if match:
            values[field_name] = int(match.group(1)) / 1024
    return values


# ---- the clients ---------------------------------------------------------------------------------


async def send(client: httpx.AsyncClient, request: Request, outcome: Outcome) -> None:
    start = time.perf_counter()
    try:
        if request.raw:
            headers = {"Content-Type": request.content_type}
            response = await client.post("/ocr", params=request.params, content=request.body, headers=headers)
        else:
            files = {"image": (f"{request.name}.bin", request.body, request.content_type)}
            response = await client.post("/ocr", params=request.params, files=files)
        status = response.status_code
    except httpx.HTTPError as error:
        status = 0
        outcome.unexpected.append(f"{request.name}: {type(error).__name__}")
    elapsed_ms = (time.perf_counter() - start) * 1000.0
    outcome.statuses[status] += 1
    outcome.latencies_ms[request.kind].append(elapsed_ms)
    if status and status not in request.expected:
        outcome.unexpected.append(f"{request.name}: {status}, expected {sorted(request.expected)}")


async def client_loop(
    url: str, mix: dict[str, list[Request]], until: float, seed: int, outcome: Outcome
) -> None:
    chooser = random.Random(seed)  # nosec B311: picks test inputs, not secrets
    kinds = [kind for kind, weight in KIND_WEIGHTS.items() if kind in mix for _ in range(weight)]
    async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
        while time.monotonic() < until:
            request = chooser.choice(mix[chooser.choice(kinds)])
            await send(client, request, outcome)


async def run_load(
    url: str, mix: dict[str, list[Request]], clients: int, seconds: float
) -> tuple[Outcome, float]:
    outcome = Outcome()
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(*(client_loop(url, mix, until, seed, outcome) for seed in range(clients)))
    return outcome, time.monotonic() - start


def warm_up(url: str, mix: dict[str, list[Request]]) -> None:
    """Every input once, so model loading and first-use costs are not counted as growth."""
    outcome = Outcome()

    async def all_once() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=REQUEST_TIMEOUT_S) as client:
            for requests in mix.values():
                for request in requests:
                    await send(client, request, outcome)

    asyncio.run(all_once())
    if outcome.unexpected:
        raise SystemExit(f"warm-up answers were wrong: {outcome.unexpected[:5]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long they send (default 30)")
    parser.add_argument("--settle", type=float, default=15.0, help="seconds of load before measuring memory")
    parser.add_argument("--rss-bound-mb", type=float, default=150.0, help="allowed server RSS growth")
    parser.add_argument("--app", default="handler.local:app", help="the ASGI app uvicorn serves")
    parser.add_argument(
        "--cache-size", type=int, default=0, help="server OCR_CACHE_SIZE (default 0: every request is read)"
    )
    parser.add_argument(
        "--kinds", default=",".join(KIND_WEIGHTS), help="kinds of request in the mix (default: all)"
    )
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 600 or not 0 <= args.settle <= 120:
        parser.error("keep it bounded: 1-64 clients, at most 600 s of load and 120 s of settling")
    kinds = [kind for kind in args.kinds.split(",") if kind]
    if not kinds or set(kinds) - set(KIND_WEIGHTS):
        parser.error(f"--kinds: a comma-separated choice of {', '.join(KIND_WEIGHTS)}")
    mix = {kind: requests for kind, requests in requests_mix().items() if kind in kinds}
    with load_server(args.app, args.cache_size) as (url, process):
        warm_up(url, mix)
        cold = memory_mb(process.pid)
        asyncio.run(run_load(url, mix, args.clients, args.settle))
        time.sleep(1.0)  # let the last responses' buffers go before measuring
        before = memory_mb(process.pid)
        with ChildSampler(process.pid) as sampled:
            outcome, elapsed = asyncio.run(run_load(url, mix, args.clients, args.seconds))
        time.sleep(1.0)
        after = memory_mb(process.pid)
        died = server_died(process)
    memory = Memory(
        rss(cold),
        rss(before),
        rss(after),
        rss(after, "VmHWM"),
        args.rss_bound_mb,
        round(sampled.children_peak),
        round(sampled.total_peak),
    )
    summary = summarize(outcome, elapsed, args.clients, memory, tuple(mix))
    print_report(summary)
    if died:
        print(died)
    if args.json:
        args.json.write_text(json.dumps(summary.to_json(), indent=1), encoding="utf-8")
    return 1 if summary.failed() or died else 0


if __name__ == "__main__":
    sys.exit(main())
