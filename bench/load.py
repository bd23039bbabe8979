"""`make load`: a bounded load test of the local server, on loopback only.

It starts `uvicorn handler.local:app` on 127.0.0.1 (a free port), warms it up, then runs N
asyncio + httpx clients for a fixed time, each sending a weighted mix of line crops, pages and
bad inputs (the same hostile files as the test matrix) and checking every status it gets back.
It reports throughput, latency percentiles per kind, answers by status, and the server's
resident memory before and after the load and at its peak, then stops the server.

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
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from bench.cases import build
from bench.kit.bad_inputs import CASES_BY_NAME, multipage_tiff
from bench.kit.local_server import local_server, log_tail
from bench.kit.raw_pdfs import text_pdf

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / ".cache" / "bench-cases"
BAD_CASES = (
    "truncated_jpeg",
    "png_bad_data_crc",
    "png_bomb_50000x50000",
    "text_named_png",
    "animated_gif",
    "zero_bytes",
    "pdf_encrypted",
    "tiff_frames_bomb",
)
KIND_WEIGHTS = {"line": 6, "page": 2, "bad": 2}
REQUEST_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Request:
    kind: str
    name: str
    body: bytes
    content_type: str
    params: dict[str, str]
    expected: int


@dataclass
class Outcome:
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)


def requests_mix() -> dict[str, list[Request]]:
    """Line crops and pages rendered by bench.cases, and the matrix's bad inputs."""
    cases = build(CASES_DIR)
    by_group: dict[str, list[Request]] = defaultdict(list)
    for case in cases:
        data = (CASES_DIR / case.file).read_bytes()
        mime = "image/png" if case.file.endswith(".png") else "image/jpeg"
        if case.group == "line":
            by_group["line"].append(Request("line", case.name, data, mime, {}, 200))
        elif case.name in ("page_document_1080p", "page_street_sign", "lines_10", "lines_20"):
            by_group["page"].append(Request("page", case.name, data, mime, {}, 200))
    by_group["page"].append(Request("page", "tiff_3_pages", multipage_tiff(), "image/tiff", {}, 200))
    by_group["page"].append(
        Request("page", "pdf_text", text_pdf("Load test PDF"), "application/pdf", {}, 200)
    )
    for name in BAD_CASES:
        bad = CASES_BY_NAME[name]
        by_group["bad"].append(Request("bad", name, bad.data(), bad.content_type, bad.query, bad.status))
    return by_group


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
    files = {"image": (f"{request.name}.bin", request.body, request.content_type)}
    start = time.perf_counter()
    try:
        response = await client.post("/ocr", params=request.params, files=files)
        status = response.status_code
    except httpx.HTTPError as error:
        status = 0
        outcome.unexpected.append(f"{request.name}: {type(error).__name__}")
    elapsed_ms = (time.perf_counter() - start) * 1000.0
    outcome.statuses[status] += 1
    outcome.latencies_ms[request.kind].append(elapsed_ms)
    if status and status != request.expected:
        outcome.unexpected.append(f"{request.name}: {status}, expected {request.expected}")


async def client_loop(
    url: str, mix: dict[str, list[Request]], until: float, seed: int, outcome: Outcome
) -> None:
    chooser = random.Random(seed)  # nosec B311: picks test inputs, not secrets
    kinds = [kind for kind, weight in KIND_WEIGHTS.items() for _ in range(weight)]
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


# ---- the report ----------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: every reported figure is a real request)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class LatencyRow:
    kind: str
    count: int
    p50: float
    p95: float
    p99: float
    max: float


@dataclass(frozen=True)
class Memory:
    """Server RSS in MB: after the sequential warm-up, after settling, after the load, and the peak."""

    after_warm_up: int
    before_load: int
    after_load: int
    peak: int
    bound: float

    @property
    def growth(self) -> int:
        return self.after_load - self.before_load


@dataclass(frozen=True)
class Summary:
    clients: int
    seconds: float
    requests: int
    latency_ms: list[LatencyRow]
    statuses: dict[int, int]
    unexpected: list[str]
    memory: Memory

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def failed(self) -> bool:
        return bool(self.unexpected) or self.memory.growth > self.memory.bound

    def to_json(self) -> dict[str, object]:
        return {
            **asdict(self),
            "throughput_per_s": round(self.throughput, 2),
            "rss_growth_mb": self.memory.growth,
        }


def latency_rows(outcome: Outcome) -> list[LatencyRow]:
    groups = {**outcome.latencies_ms, "all": [v for values in outcome.latencies_ms.values() for v in values]}
    rows = []
    for kind in (*KIND_WEIGHTS, "all"):
        values = groups.get(kind) or []
        if values:
            p50, p95, p99 = (percentile(values, share) for share in (0.50, 0.95, 0.99))
            rows.append(LatencyRow(kind, len(values), p50, p95, p99, max(values)))
    return rows


def summarize(outcome: Outcome, elapsed: float, clients: int, memory: Memory) -> Summary:
    return Summary(
        clients=clients,
        seconds=round(elapsed, 1),
        requests=sum(outcome.statuses.values()),
        latency_ms=latency_rows(outcome),
        statuses=dict(sorted(outcome.statuses.items())),
        unexpected=outcome.unexpected,
        memory=memory,
    )


def print_report(summary: Summary) -> None:
    print(
        f"load: {summary.clients} clients for {summary.seconds} s: {summary.requests} requests, "
        f"{summary.throughput:.1f} per second"
    )
    print(f"{'latency ms':12s}{'count':>7s}{'p50':>9s}{'p95':>9s}{'p99':>9s}{'max':>9s}")
    for row in summary.latency_ms:
        print(f"{row.kind:12s}{row.count:>7d}{row.p50:>9.0f}{row.p95:>9.0f}{row.p99:>9.0f}{row.max:>9.0f}")
    statuses = ", ".join(f"{status}: {count}" for status, count in summary.statuses.items())
    print(f"answers by status: {statuses}; unexpected: {len(summary.unexpected)}")
    for line in summary.unexpected[:20]:
        print(f"  unexpected: {line}")
    memory = summary.memory
    print(
        f"server RSS: {memory.after_warm_up} MB after warm-up, {memory.before_load} MB after settling, "
        f"{memory.after_load} MB after load ({memory.growth:+d} MB, bound {memory.bound:g} MB), "
        f"peak {memory.peak} MB"
    )


def rss(values: dict[str, float], name: str = "VmRSS") -> int:
    return round(values.get(name, 0.0))


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
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 600 or not 0 <= args.settle <= 120:
        parser.error("keep it bounded: 1-64 clients, at most 600 s of load and 120 s of settling")
    mix = requests_mix()
    with load_server(args.app, args.cache_size) as (url, process):
        warm_up(url, mix)
        cold = memory_mb(process.pid)
        asyncio.run(run_load(url, mix, args.clients, args.settle))
        time.sleep(1.0)  # let the last responses' buffers go before measuring
        before = memory_mb(process.pid)
        outcome, elapsed = asyncio.run(run_load(url, mix, args.clients, args.seconds))
        time.sleep(1.0)
        after = memory_mb(process.pid)
        died = server_died(process)
    memory = Memory(rss(cold), rss(before), rss(after), rss(after, "VmHWM"), args.rss_bound_mb)
    summary = summarize(outcome, elapsed, args.clients, memory)
    print_report(summary)
    if died:
        print(died)
    if args.json:
        args.json.write_text(json.dumps(summary.to_json(), indent=1), encoding="utf-8")
    return 1 if summary.failed() or died else 0


if __name__ == "__main__":
    sys.exit(main())
