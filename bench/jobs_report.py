"""`make bench-jobs`' report: the local runs, the modelled AWS wall times, the cost per 1,000 pages.

Writes bench/results/jobs.md from the figures `bench.jobs_bench` measured and `bench.jobs_model`
derives; the arithmetic of every cost line is printed with it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.jobs_model import (
    CHUNK_REQUESTS,
    CONCURRENCIES,
    COST_GOAL,
    ESM_RAMP_PER_S,
    ESM_START,
    EVENT_LATENCY_S,
    GOAL_CONCURRENCY,
    GOAL_PAGES,
    INVOKES_PER_POLLER,
    JOB_REQUESTS,
    LAMBDA_GB_S,
    LAMBDA_INIT_EXTRA_S,
    LAMBDA_REQUEST,
    PROVISIONED_POLLERS,
    S3_LATENCY_S,
    S3_MB_PER_S,
    S3_READ,
    S3_WRITE,
    SQS_REQUEST,
    TEXTRACT_PER_PAGE,
    TRIGGER_GB,
    WALL_GOAL_S,
    WALL_SLACK,
    WORKER_GB,
    choose,
    chunk_overhead,
    cost_per_1000,
    run_figures,
    simulate,
)


def _load(value: Sequence[float]) -> str:
    return "/".join(f"{v:.1f}" for v in value)


def best_walls(facts: dict[str, Any]) -> dict[tuple[int, int], float]:
    """The shortest wall time of each (chunk size, workers): the run least slowed by other work."""
    walls: dict[tuple[int, int], float] = {}
    for run in facts["runs"]:
        key = (run["chunk_pages"], run["workers"])
        walls[key] = min(walls.get(key, math.inf), run["marks_s"]["result"])
    return walls


def speedups(facts: dict[str, Any]) -> list[str]:
    walls = best_walls(facts)
    return [
        f"{chunk} pages/chunk: {walls[(chunk, 1)]:.0f} s -> {walls[(chunk, workers)]:.0f} s with {workers} "
        f"workers = {walls[(chunk, 1)] / walls[(chunk, workers)]:.2f}x"
        for chunk, workers in sorted(walls)
        if workers > 1 and (chunk, 1) in walls
    ]


def local_table(facts: dict[str, Any]) -> list[str]:
    rows = [
        "| pages/chunk | workers | wall s | pages/s | speed-up | split s | read s | merge s | engine s/page "
        "| worker CPU s/page | overhead s/chunk (in worker) | worker peak RSS MB | trigger peak RSS MB "
        "| load 1/5/15 before -> after |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    walls = best_walls(facts)
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
            f"{f['worker_cpu_s_per_page']:.2f}",
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
    page_cpu, chunk_cpu = chunk_overhead(models)
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
        "Speed-up: the best 1-worker wall time of that chunk size / this run's. Overhead per chunk: "
        "worker-seconds beyond the engine's own stages (in brackets: fetch + read - engine, inside the "
        "worker only), from wall times, so stretched by other work. Worker CPU s/page: CPU time of the "
        "worker processes (user + system) per page, which load stretches far less.",
        "",
        "Best of the runs: " + "; ".join(speedups(facts)) + ".",
        f"CPU per page fitted over the chunk sizes (1 worker): {page_cpu:.3f} s per page + "
        f"{chunk_cpu:.3f} s per chunk"
        + (" (below zero: the per-chunk CPU cost is under these runs' noise)." if chunk_cpu < 0 else "."),
        "",
        f"## AWS model, {GOAL_PAGES} pages (chunk size {best}, chosen: the cheapest whose modelled wall "
        f"time at concurrency {GOAL_CONCURRENCY} is under {WALL_GOAL_S:.0f} s in either mode, or else "
        f"within {WALL_SLACK:.0%} of the fastest)",
        "",
        f"| pages/chunk | concurrency | chunks | instances | first chunk queued s | merge s | wall s | "
        f"wall s, {PROVISIONED_POLLERS} provisioned pollers |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for chunk, inputs in sorted(models.items()):
        for concurrency in CONCURRENCIES:
            sim = simulate(GOAL_PAGES, concurrency, chunk, inputs)
            polled = simulate(GOAL_PAGES, concurrency, chunk, inputs, PROVISIONED_POLLERS)
            mark = " **chosen**" if chunk == best and concurrency == GOAL_CONCURRENCY else ""
            lines.append(
                f"| {chunk} | {concurrency} | {sim['chunks']} | {sim['instances']} | "
                f"{sim['first_chunk_s']:.1f} | {sim['merge_s']:.1f} | {sim['wall_s']:.1f}{mark} | "
                f"{polled['wall_s']:.1f} |"
            )
    lines += [
        "",
        f"Inputs (chunk size {best}): " + ", ".join(f"{k} {v:.3g}" for k, v in model.items()) + ".",
        "Assumed, not measured: a Lambda vCPU (1,769 MB) reads a page as fast as one local core; a "
        f"cold start costs {LAMBDA_INIT_EXTRA_S:.1f} s more than locally; S3 event and SQS pickup "
        f"{EVENT_LATENCY_S} s each; S3 {S3_LATENCY_S * 1000:.0f} ms per request and {S3_MB_PER_S:.0f} MB/s; "
        f"the SQS event source starts {ESM_START} invocations and adds {ESM_RAMP_PER_S * 60:.0f} a minute; "
        f"in provisioned mode (template parameter WorkerPollers) each poller starts up to "
        f"{INVOKES_PER_POLLER} at once, which is also the cap "
        "(pollers are billed by the hour, not per page: not in the cost below).",
        "",
    ]
    lines += cost_lines(best, models)
    lines += goals(facts, best, models)
    out.write_text("\n".join(lines) + "\n")


def idle_speedup(facts: dict[str, Any], chunk: int) -> float:
    """2 workers vs 1 on two idle cores, from CPU time: the serial parts (cutting, merging) plus the
    workers' CPU time, shared by two. The machine the bench ran on was never idle."""
    runs = {w: [r for r in facts["runs"] if r["chunk_pages"] == chunk and r["workers"] == w] for w in (1, 2)}
    if not runs[1] or not runs[2]:
        return 0.0
    one, two = (
        min((run_figures(r, facts["pages"]) for r in runs[w]), key=lambda f: f["wall_s"]) for w in (1, 2)
    )
    serial = one["split_s"] + one["merge_s"]
    pages = facts["pages"]
    return (serial + pages * one["worker_cpu_s_per_page"]) / (
        serial + pages * two["worker_cpu_s_per_page"] / 2
    )


def goals(facts: dict[str, Any], best: int, models: dict[int, dict[str, float]]) -> list[str]:
    """Issue 15's goals against these figures, each met or not."""
    walls = best_walls(facts)
    pairs = [(c, walls[(c, 1)] / walls[(c, 2)]) for c, w in walls if w == 2 and (c, 1) in walls]
    chunk, speedup = max(pairs, key=lambda pair: pair[1], default=(best, 0.0))
    idle = idle_speedup(facts, best)
    wall = simulate(GOAL_PAGES, GOAL_CONCURRENCY, best, models[best])["wall_s"]
    polled = simulate(GOAL_PAGES, GOAL_CONCURRENCY, best, models[best], PROVISIONED_POLLERS)["wall_s"]
    cost = cost_per_1000(best, models[best])["total"]
    rows = [
        (
            f"{GOAL_PAGES} pages, AWS, concurrency {GOAL_CONCURRENCY} (modelled)",
            f"{wall:.1f} s",
            "< 20 s",
            wall < WALL_GOAL_S,
        ),
        (
            f"... with WorkerPollers={PROVISIONED_POLLERS} (provisioned mode, modelled)",
            f"{polled:.1f} s",
            "< 20 s",
            polled < WALL_GOAL_S,
        ),
        ("cost per 1,000 pages (modelled)", f"${cost:.4f}", f"<= ${COST_GOAL}", cost <= COST_GOAL),
        (
            f"2 local workers vs 1, wall time ({chunk} pages/chunk, shared machine)",
            f"{speedup:.2f}x",
            ">= 1.7x",
            speedup >= 1.7,
        ),
        (
            f"2 workers vs 1 on 2 idle cores, from CPU time ({best} pages/chunk)",
            f"{idle:.2f}x",
            ">= 1.7x",
            idle >= 1.7,
        ),
    ]
    table = ["", "## Goals", "", "| goal | measured | target | met |", "|---|---|---|---|"]
    return table + [
        f"| {name} | {value} | {target} | {'yes' if ok else 'no'} |" for name, value, target, ok in rows
    ]


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
        "(1,000 x worker CPU s/page, per-chunk overhead included, + merges) x "
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
