"""From `make bench-jobs`' local figures to AWS: modelled wall time and cost per 1,000 pages.

Measured locally (bench.jobs_bench): the engine's time per page on one thread, the per-chunk
overhead, the trigger's cutting time per page, the merge, a worker's cold start. Taken from AWS's
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
import time
from collections.abc import Sequence
from pathlib import Path
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
    }


def simulate(pages: int, concurrency: int, chunk: int, model: dict[str, float]) -> dict[str, float]:
    """Modelled AWS wall time of one job of `pages`, and how many worker instances it started."""
    count = math.ceil(pages / chunk)
    sizes = [pages // count + (1 if i < pages % count else 0) for i in range(count)]
    mb = pages * model["bytes_per_page"] / 1e6
    start = EVENT_LATENCY_S + model["cold_start_s"] + mb / S3_MB_PER_S
    released, free_at, clock = [], [], start
    for size in sizes:
        clock += size * model["split_s_per_page"]
        released.append(clock + EVENT_LATENCY_S)
    first = released[0]
    for size, ready in zip(sizes, released, strict=True):
        work = size * model["engine_s_per_page"] + model["overhead_s_per_chunk"]
        reuse = max(ready, min(free_at)) + work if free_at else math.inf
        new = math.inf
        if len(free_at) < concurrency:
            allowed_at = first + max(0.0, (len(free_at) + 1 - ESM_START) / ESM_RAMP_PER_S)
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
    worker_s = (
        1000 * model["engine_s_per_page"] + chunks * model["overhead_s_per_chunk"] + jobs * job["merge_s"]
    )
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


def aws_inputs(facts: dict[str, Any], run: dict[str, Any]) -> dict[str, float]:
    figures = run_figures(run, facts["pages"])
    pdf = run.get("export_pdf_bytes", facts["document_bytes"])
    return {
        "engine_s_per_page": figures["engine_s_per_page"],
        "overhead_s_per_chunk": figures["overhead_s_per_chunk"],
        "split_s_per_page": figures["split_s"] / facts["pages"],
        "merge_s": figures["merge_s"],
        "cold_start_s": facts["cold_start_s"],
        "bytes_per_page": facts["document_bytes"] / facts["pages"],
        "pdf_bytes_per_page": pdf / facts["pages"],
    }


def choose(facts: dict[str, Any]) -> tuple[int, dict[int, dict[str, float]]]:
    """The chunk size with the shortest modelled 300-page wall time at concurrency 50 among those
    within the cost goal (from the 1-worker runs, where the engine is least disturbed)."""
    models = {run["chunk_pages"]: aws_inputs(facts, run) for run in facts["runs"] if run["workers"] == 1}
    within = [c for c in models if cost_per_1000(c, models[c])["total"] <= COST_GOAL] or list(models)
    best = min(within, key=lambda c: simulate(GOAL_PAGES, GOAL_CONCURRENCY, c, models[c])["wall_s"])
    return best, models


def _load(value: Sequence[float]) -> str:
    return "/".join(f"{v:.1f}" for v in value)


def local_table(facts: dict[str, Any]) -> list[str]:
    rows = [
        "| pages/chunk | workers | wall s | pages/s | speed-up | split s | read s | merge s | engine s/page "
        "| overhead s/chunk (in worker) | worker peak RSS MB | trigger peak RSS MB "
        "| load 1/5/15 before -> after |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    walls = {(r["chunk_pages"], r["workers"]): r["marks_s"]["result"] for r in facts["runs"]}
    for run in facts["runs"]:
        f = run_figures(run, facts["pages"])
        one = walls.get((run["chunk_pages"], 1))
        speedup = f"{one / f['wall_s']:.2f}x" if one and run["workers"] > 1 else "-"
        cells = [
            run["chunk_pages"],
            run["workers"],
            f"{f['wall_s']:.1f}",
            f"{f['pages_per_s']:.2f}",
            speedup,
            f"{f['split_s']:.1f}",
            f"{f['read_s']:.1f}",
            f"{f['merge_s']:.1f}",
            f"{f['engine_s_per_page']:.2f}",
            f"{f['overhead_s_per_chunk']:.2f} ({f['worker_overhead_s_per_chunk']:.2f})",
            f"{f['worker_rss_mb']:.0f}",
            f"{f['trigger_rss_mb']:.0f}",
            f"{_load(run['load_before'])} -> {_load(run['load_after'])}",
        ]
        rows.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return rows


def write_report(facts: dict[str, Any], out: Path) -> None:
    best, models = choose(facts)
    model = models[best]
    lines = [
        "# Jobs: the local flow measured, AWS modelled (`make bench-jobs`)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}; {facts['cpus']} CPUs shared with other work: load average "
        f"(1/5/15 min) {_load(facts['load_start'])} at the start, {_load(facts['load_end'])} at the end. "
        f"Document: {facts['pages']} scanned pages (A4, 150 dpi JPEG, image only, 30 lines each), "
        f"{facts['document_bytes'] / 1e6:.1f} MB. Worker cold start (import + models, one thread): "
        f"{facts['cold_start_s']:.2f} s.",
        "",
        "## Local runs (moto S3 + SQS, trigger and worker processes, one model thread each)",
        "",
        *local_table(facts),
        "",
        "Overhead per chunk: worker-seconds beyond the engine's own stages, per chunk (in brackets: "
        "fetch + read - engine, inside the worker only). Speed-up: wall time with 1 worker / with 2.",
        "",
        f"## AWS model, {GOAL_PAGES} pages (chunk size {best}, chosen: shortest modelled wall time at "
        f"concurrency {GOAL_CONCURRENCY} within ${COST_GOAL} per 1,000 pages)",
        "",
        "| pages/chunk | concurrency | chunks | instances | first chunk queued s | merge s | wall s |",
        "|---|---|---|---|---|---|---|",
    ]
    for chunk, inputs in sorted(models.items()):
        for concurrency in CONCURRENCIES:
            sim = simulate(GOAL_PAGES, concurrency, chunk, inputs)
            mark = " **chosen**" if chunk == best and concurrency == GOAL_CONCURRENCY else ""
            lines.append(
                f"| {chunk} | {concurrency} | {sim['chunks']} | {sim['instances']} | "
                f"{sim['first_chunk_s']:.1f} | {sim['merge_s']:.1f} | {sim['wall_s']:.1f}{mark} |"
            )
    lines += [
        "",
        f"Inputs (chunk size {best}): " + ", ".join(f"{k} {v:.3g}" for k, v in model.items()) + ".",
        "",
    ]
    lines += cost_lines(best, models)
    out.write_text("\n".join(lines) + "\n")


def cost_lines(best: int, models: dict[int, dict[str, float]]) -> list[str]:
    lines = [
        "## Cost per 1,000 pages",
        "",
        "| line | " + " | ".join(f"{c} pages/chunk" for c in sorted(models)) + " |",
        "|---|" + "---|" * len(models),
    ]
    costs = {chunk: cost_per_1000(chunk, inputs) for chunk, inputs in models.items()}
    for name in costs[best]:
        lines.append(f"| {name} | " + " | ".join(f"${costs[c][name]:.5f}" for c in sorted(models)) + " |")
    total = costs[best]["total"]
    lines += [
        "",
        f"Chosen ({best} pages/chunk): ${total:.4f} per 1,000 pages, "
        f"{TEXTRACT_PER_PAGE * 1000 / total:.0f}x below Textract's $1.50. Arithmetic: worker GB-s = "
        "(1,000 x engine s/page + chunks x overhead + merges) x "
        f"{WORKER_GB:.3f} GB x ${LAMBDA_GB_S}; cold starts = instances per {GOAL_PAGES}-page job x jobs "
        "x cold start s x GB x price (INIT is billed); trigger = (cold start + cutting) x "
        f"{TRIGGER_GB:.0f} GB; requests: Lambda ${LAMBDA_REQUEST * 1e6:.2f}/M, SQS "
        f"${SQS_REQUEST * 1e6:.2f}/M x {CHUNK_REQUESTS['sqs']} per chunk, S3 ${S3_WRITE * 1000}/1,000 "
        f"writes and ${S3_READ * 1000}/1,000 reads ({CHUNK_REQUESTS['s3_write']} + "
        f"{CHUNK_REQUESTS['s3_read']} per chunk, {JOB_REQUESTS['s3_write']} + {JOB_REQUESTS['s3_read']} "
        "per job). Not counted: the event source's idle polling (a few cents a month per queue, not per "
        "page), storage for a day, polling GET /results (about $0.000004 per poll), data transfer out.",
    ]
    return lines
