"""From `make bench-jobs`' local figures to AWS: modelled wall time and cost per 1,000 pages.

Measured locally (bench.jobs_bench): the workers' CPU time per page (one model thread each,
per-chunk overhead included), the trigger's CPU time for cutting, the merge, a worker's cold
start. Taken from AWS's
documentation and price list (us-east-1, x86_64, no free tier), each named below. Assumed, and
said so in the report: one Lambda vCPU (1,769 MB) reads a page as fast as one core of the bench
machine; S3 and event latencies are typical figures, not measured here.

The wall time is simulated chunk by chunk: the trigger releases chunk k once it has cut it; the
SQS event source starts with 5 concurrent invocations and adds up to 300 a minute (AWS, Nov 2023)
up to the worker concurrency; a new instance pays the cold start once; the last chunk's worker
merges.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any

from handler.jobs.merge import FETCH_THREADS

LAMBDA_GB_S = 0.0000166667
"""$ per GB-second, x86_64 (arm64: 0.0000133334)."""
LAMBDA_REQUEST = 0.20 / 1e6
SQS_REQUEST = 0.40 / 1e6
S3_WRITE = 0.005 / 1000
"""PUT, COPY, POST, LIST requests."""
S3_READ = 0.0004 / 1000
"""GET, HEAD requests."""
TEXTRACT_PER_PAGE = 1.50 / 1000
"""DetectDocumentText, first million pages a month."""
WORKER_GB = 1769 / 1024
TRIGGER_GB = 2048 / 1024
ESM_START, ESM_RAMP_PER_S = 5, 300 / 60
"""The SQS event source in its standard mode: 5 invocations at first, up to 300 more a minute."""
INVOKES_PER_POLLER = 10
"""Its provisioned mode (AWS, Nov 2025; template parameter WorkerPollers, as many pollers at least
as at most): each event poller invokes up to 10 workers at once, so a job's first wave is 10 per
poller, and that is also the cap."""
PROVISIONED_POLLERS = 5
"""The minimum pollers the report models: 50 invocations at once, the goal's concurrency."""
LAMBDA_INIT_EXTRA_S = 1.0
"""A Lambda cold start's cost beyond the local one (runtime start, a 150 MB package read from its
disk for the first time): assumed, not measured here."""
EVENT_LATENCY_S = 0.5
"""S3 event -> trigger invocation, and SQS message -> worker invocation (assumed)."""
S3_LATENCY_S = 0.03
S3_MB_PER_S = 80.0
"""One Lambda's S3 request latency and throughput (assumed typical figures)."""
CHUNK_REQUESTS = {"s3_write": 4, "s3_read": 6, "sqs": 3}
"""Per chunk: part, chunk PDF, chunk record, chunk listing / part, heads of the chunk record, the
upload and the started marker, the merge's record and PDF reads / send, receive, delete."""
JOB_REQUESTS = {"s3_write": 13, "s3_read": 8}
"""Per job: upload, options, manifest, queued, started, lock twice, result, 4 exports, a multipart
part / the trigger's heads, manifest, lock, result and upload heads."""
COST_GOAL, WALL_GOAL_S, GOAL_PAGES, GOAL_CONCURRENCY = 0.02, 20.0, 300, 50
CONCURRENCIES = (10, 50, 100)
WALL_SLACK = 0.10
"""Modelled wall times within this share of the fastest are a tie: the model's inputs move more
than that between runs (CPU per page 0.67-0.85 s, first chunk queued 3.9-4.2 s), so the cheaper
chunk size wins a tie."""


def run_figures(run: dict[str, Any], pages: int) -> dict[str, float]:
    marks, chunks, workers = run["marks_s"], run["chunks"], run["workers"]
    engine = sum(chunk["engine_s"] for chunk in chunks)
    read = marks["records"] - marks.get("first_started", marks["queued"])
    return {
        "wall_s": marks["result"],
        "pages_per_s": pages / marks["result"],
        "split_s": marks["queued"],
        "read_s": read,
        "merge_s": marks["result"] - marks["records"],
        "engine_s_per_page": engine / pages,
        "chunks": len(chunks),
        "overhead_s_per_chunk": (workers * read - engine) / len(chunks),
        "worker_overhead_s_per_chunk": statistics.mean(
            c["fetch"] + c["read"] - c["engine_s"] for c in chunks
        ),
        "worker_rss_mb": max(run["peak_rss_mb"]["workers"]),
        "trigger_rss_mb": run["peak_rss_mb"]["trigger"],
        "worker_cpu_s_per_page": sum(run["cpu_s"]["workers"]) / pages,
        "trigger_cpu_s": run["cpu_s"]["trigger"],
    }


def simulate(
    pages: int, concurrency: int, chunk: int, model: dict[str, float], pollers: int = 0
) -> dict[str, float]:
    """Modelled AWS wall time of one job of `pages`, and how many worker instances it started;
    `pollers` > 0 models the event source's provisioned mode with that many pollers."""
    if pollers:
        concurrency = min(concurrency, INVOKES_PER_POLLER * pollers)
    first_wave = concurrency if pollers else ESM_START
    count = math.ceil(pages / chunk)
    sizes = [pages // count + (1 if i < pages % count else 0) for i in range(count)]
    mb = pages * model["bytes_per_page"] / 1e6
    start = EVENT_LATENCY_S + model["cold_start_s"] + mb / S3_MB_PER_S
    released: list[float] = []
    free_at: list[float] = []
    clock = start
    for size in sizes:
        clock += size * model["split_s_per_page"]
        released.append(clock + EVENT_LATENCY_S)
    first = released[0]
    for size, ready in zip(sizes, released, strict=True):
        work = size * model["cpu_s_per_page"]
        reuse = max(ready, min(free_at)) + work if free_at else math.inf
        new = math.inf
        if len(free_at) < concurrency:
            allowed_at = first + max(0.0, (len(free_at) + 1 - first_wave) / ESM_RAMP_PER_S)
            new = max(ready, allowed_at) + model["cold_start_s"] + work
        if new < reuse:
            free_at.append(new)
        else:
            free_at[free_at.index(min(free_at))] = reuse
    fetches = 2 * count * S3_LATENCY_S / FETCH_THREADS  # records and PDFs, eight at a time
    merge = model["merge_s"] + fetches + pages * model["pdf_bytes_per_page"] / 1e6 / S3_MB_PER_S
    return {
        "wall_s": max(free_at) + merge,
        "chunks": count,
        "instances": len(free_at),
        "merge_s": merge,
        "first_chunk_s": first,
    }


def cost_per_1000(chunk: int, model: dict[str, float], job_pages: int = GOAL_PAGES) -> dict[str, float]:
    """$ per 1,000 pages, line by line; cold starts priced for jobs of `job_pages` at concurrency 50."""
    chunks = 1000 / chunk
    jobs = 1000 / job_pages
    job = simulate(job_pages, GOAL_CONCURRENCY, chunk, model)
    worker_s = 1000 * model["cpu_s_per_page"] + jobs * job["merge_s"]
    trigger_s = jobs * (model["cold_start_s"] + job_pages * model["split_s_per_page"])
    lines = {
        "worker compute (warm)": worker_s * WORKER_GB * LAMBDA_GB_S,
        "worker cold starts (every instance of every job)": jobs
        * job["instances"]
        * model["cold_start_s"]
        * WORKER_GB
        * LAMBDA_GB_S,
        "trigger compute": trigger_s * TRIGGER_GB * LAMBDA_GB_S,
        "Lambda requests": (chunks + jobs) * LAMBDA_REQUEST,
        "SQS requests": chunks * CHUNK_REQUESTS["sqs"] * SQS_REQUEST,
        "S3 requests": chunks * (CHUNK_REQUESTS["s3_write"] * S3_WRITE + CHUNK_REQUESTS["s3_read"] * S3_READ)
        + jobs * (JOB_REQUESTS["s3_write"] * S3_WRITE + JOB_REQUESTS["s3_read"] * S3_READ),
    }
    return {**lines, "total": sum(lines.values())}


def aws_inputs(facts: dict[str, Any], runs: Sequence[dict[str, Any]]) -> dict[str, float]:
    """The model's inputs from the 1-worker runs of one chunk size: the least disturbed run's CPU
    time per page (a Lambda vCPU is the worker's alone), the trigger's CPU for cutting, the merge."""
    pages = facts["pages"]
    figures = [run_figures(run, pages) for run in runs]
    best = min(range(len(runs)), key=lambda i: figures[i]["worker_cpu_s_per_page"])
    return {
        "cpu_s_per_page": figures[best]["worker_cpu_s_per_page"],
        "split_s_per_page": min(f["trigger_cpu_s"] for f in figures) / pages,
        "merge_s": min(f["merge_s"] for f in figures),
        "cold_start_s": facts["cold_start_s"] + LAMBDA_INIT_EXTRA_S,
        "bytes_per_page": facts["document_bytes"] / pages,
        "pdf_bytes_per_page": runs[best].get("export_pdf_bytes", facts["document_bytes"]) / pages,
    }


def chunk_overhead(models: dict[int, dict[str, float]]) -> tuple[float, float]:
    """CPU s per page = page cost + chunk overhead / pages per chunk, fitted over the chunk sizes tried."""
    xs = [1 / chunk for chunk in models]
    ys = [models[chunk]["cpu_s_per_page"] for chunk in models]
    if len(xs) < 2:
        return ys[0], 0.0
    slope, intercept = statistics.linear_regression(xs, ys)
    return intercept, slope


def choose(facts: dict[str, Any]) -> tuple[int, dict[int, dict[str, float]]]:
    """The cheapest chunk size whose modelled 300-page job ends within 20 s at concurrency 50, in
    either mode of the event source (the template offers both: WorkerPollers); if none does, the
    cheapest within WALL_SLACK of the fastest (a tie, see WALL_SLACK)."""
    sizes = sorted({run["chunk_pages"] for run in facts["runs"]})
    models = {
        chunk: aws_inputs(
            facts, [r for r in facts["runs"] if r["chunk_pages"] == chunk and r["workers"] == 1]
        )
        for chunk in sizes
    }
    wall = {
        c: min(
            simulate(GOAL_PAGES, GOAL_CONCURRENCY, c, models[c], pollers)["wall_s"]
            for pollers in (0, PROVISIONED_POLLERS)
        )
        for c in models
    }
    fast = [c for c in models if wall[c] < WALL_GOAL_S]
    fast = fast or [c for c in models if wall[c] <= min(wall.values()) * (1 + WALL_SLACK)]
    return min(fast, key=lambda c: cost_per_1000(c, models[c])["total"]), models
