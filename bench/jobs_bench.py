"""`make bench-jobs`: a 200-page scanned PDF through the local job flow, with 1 and 2 workers.

The flow is `make run`'s own (`handler.local_stack`): moto's server for S3 and SQS in this
process, the trigger and N worker processes (one model thread each) running the Lambda entry
points. Each run uploads the document to `uploads/` and times, by watching the bucket:
    split   upload stored -> every chunk queued (the trigger: notification, download, cutting)
    read    first chunk queued -> every chunk record stored (the workers)
    merge   last chunk record -> the result written (exports included)
and reads back from the chunk records the engine's own time, so the per-chunk overhead (time a
worker spends on a chunk beyond the engine's stages) is measured, not guessed. Peak RSS of every
process is read from /proc when the run ends, and their CPU time. Several chunk sizes are tried;
`bench.jobs_model` turns the figures into the AWS wall-time model and the cost per 1,000 pages,
`bench.jobs_report` writes them down.

    python -m bench.jobs_bench [--pages 200] [--chunks 4,8,16] [--workers 1,2]

The document is rendered once (cached under .cache/bench-jobs/): A4 pages at 150 dpi, 30 lines
of Chinese and English each, on noisy paper, stored as JPEG images only (no text layer), as a
scanner writes them. Timings depend on the machine's load: each run records `os.getloadavg()`
before and after, and the report prints them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from PIL import ImageDraw

from bench.case_images import paper, rng_for
from bench.case_texts import DOCUMENT_BODY, PRODUCTS
from bench.jobs_report import write_report
from bench.kit.fonts import load_font
from handler import storage
from handler.jobs.keys import JobKeys, chunk_numbers
from handler.local_stack import clients, create_resources, start_consumers, start_moto, stop
from ocr_core.input.page import Page
from ocr_core.output.pdf_concat import concat_pdfs
from ocr_core.output.pdf_writer import searchable_pdf
from ocr_core.output.result import ModelInfo, OcrResult

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench-jobs"
RESULTS = ROOT / "bench" / "results"
A4_150DPI = (1240, 1754)
LINES_PER_PAGE = 30
PAGES_PER_WRITE = 10
POLL_S = 0.2
READY_TIMEOUT_S = 300.0
RUN_TIMEOUT_S = 3600.0


def page_image(number: int) -> np.ndarray:
    """A scanned report page: a heading, then lines of prose and item lines, on noisy paper."""
    rng, np_rng = rng_for(f"jobs-page-{number}")
    image = paper(*A4_150DPI, (248, 247, 243), 5.0, np_rng)
    draw = ImageDraw.Draw(image)
    draw.text(
        (110, 130),
        f"第{number}页 Page {number}",
        font=load_font("noto_sans_sc", 34),
        fill=(25, 25, 25),
        anchor="ls",
    )
    body = load_font("noto_sans_sc", 24)
    for row in range(LINES_PER_PAGE - 1):
        if row % 3 == 2:
            item = PRODUCTS[(number + row) % len(PRODUCTS)]
            price = f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}"
            text = f"{row + 1:02d} {item} x{rng.randint(1, 99)} 单价{price}元"
        else:
            text = DOCUMENT_BODY[(number * 7 + row) % len(DOCUMENT_BODY)]
        draw.text((110, 200 + row * 51), text, font=body, fill=(35, 35, 35), anchor="ls")
    return np.asarray(image)


def scanned_document(pages: int) -> Path:
    """The bench's scanned PDF (image-only), written ten pages at a time and cached."""
    path = CACHE / f"scanned-{pages}.pdf"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    empty = OcrResult((), (), ModelInfo("none", "none", "none"))
    with tempfile.TemporaryDirectory() as folder:
        parts = []
        for start in range(1, pages + 1, PAGES_PER_WRITE):
            numbers = range(start, min(pages, start + PAGES_PER_WRITE - 1) + 1)
            images = [Page(n, page_image(n), dpi=150.0) for n in numbers]
            parts.append(Path(folder) / f"{start}.pdf")
            parts[-1].write_bytes(searchable_pdf(empty, images))
        concat_pdfs(iter(parts), path.with_suffix(".tmp"))
    path.with_suffix(".tmp").rename(path)
    return path


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a live process and its live descendants (the PDF worker that
    renders pages) have used: unlike wall time, not stretched by other work on the machine, so it
    is what the cost model prices."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    if pid not in parents:
        return float("nan")
    tree, total = [pid], 0.0
    while tree:
        current = tree.pop()
        total += _own_cpu_s(current)
        tree.extend(child for child, parent in parents.items() if parent == current)
    return total


def _own_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0  # ended since the listing
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def wait_ready(log: Path, processes: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if text.count('"message": "ready"') >= processes:
            return
        time.sleep(0.5)
    raise TimeoutError(f"the consumers did not get ready:\n{log.read_text(errors='replace')[-3000:]}")


def run_job(document: Path, workers: int, chunk: int, log: Path) -> dict[str, Any]:
    """One upload of `document` through the local flow; every figure of the run."""
    server, endpoint = start_moto()
    s3, sqs = clients(endpoint)
    resources = create_resources(s3, sqs, endpoint)
    extra = {"OCR_JOB_CHUNK_PAGES": str(chunk), "OCR_LOG_LEVEL": "INFO"}
    with log.open("ab") as output:
        processes = start_consumers(resources, workers, extra, output)
    try:
        wait_ready(log, workers + 1)
        load_before = os.getloadavg()
        idle = [cpu_s(process.pid) for process in processes]  # start-up and model loading
        data = document.read_bytes()
        key = f"uploads/{uuid.uuid4()}/{document.name}"
        put = s3.put_object(Bucket=resources.bucket, Key=key, Body=data)
        stored = time.perf_counter()
        keys = JobKeys(resources.bucket, key, put["ETag"].strip('"'))
        marks = watch(s3, keys)
        figures = {name: at - stored for name, at in marks.items()}
        rss = {
            "trigger": peak_rss_mb(processes[0].pid),
            "workers": [peak_rss_mb(p.pid) for p in processes[1:]],
        }
        used = [cpu_s(process.pid) - before for process, before in zip(processes, idle, strict=True)]
        chunks = chunk_figures(s3, keys)
        pdf_bytes = int(s3.head_object(Bucket=keys.bucket, Key=keys.export("pdf"))["ContentLength"])
    finally:
        stop(processes)
        # moto's state lives in this process across servers: forget this run's objects and queues.
        httpx.post(f"{endpoint}/moto-api/reset", timeout=30)
        server.stop()
    return {
        "workers": workers,
        "chunk_pages": chunk,
        "bytes": len(data),
        "marks_s": figures,
        "chunks": chunks,
        "export_pdf_bytes": pdf_bytes,
        "cpu_s": {"trigger": used[0], "workers": used[1:]},
        "peak_rss_mb": rss,
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }


def watch(s3: Any, keys: JobKeys) -> dict[str, float]:
    """When each stage of the job ended, on the perf_counter clock, by polling the bucket."""
    marks: dict[str, float] = {}
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while "result" not in marks:
        if time.monotonic() > deadline:
            raise TimeoutError("the job did not end")
        now = time.perf_counter()
        if "queued" not in marks and storage.exists(s3, keys.bucket, keys.queued):
            marks["queued"] = now
        if "first_started" not in marks and storage.exists(s3, keys.bucket, keys.started):
            marks["first_started"] = now
        if "queued" in marks and "records" not in marks:
            manifest = storage.read_json(s3, keys.bucket, keys.manifest)
            done = chunk_numbers(storage.list_keys(s3, keys.bucket, keys.chunks))
            if manifest and len(done) == len(manifest["chunks"]):
                marks["records"] = now
        if storage.result_etag(s3, keys.bucket, keys.result) == keys.etag:
            marks.setdefault("records", now)
            marks["result"] = now
        time.sleep(POLL_S)
    return marks


def chunk_figures(s3: Any, keys: JobKeys) -> list[dict[str, Any]]:
    """Per chunk: pages, the engine's time (its stages), the worker's fetch and read time."""
    figures = []
    for number in chunk_numbers(storage.list_keys(s3, keys.bucket, keys.chunks)):
        record = storage.read_json(s3, keys.bucket, keys.chunk_record(number), missing_ok=False)
        result = record["result"] or {}
        engine_s = sum(result.get("timings_ms", {}).values()) / 1000
        lines = len(result.get("results", []))
        figures.append(
            {"pages": len(record["pages"]), "lines": lines, "engine_s": engine_s, **record["seconds"]}
        )
    return figures


def cold_start_s(repeats: int = 3) -> float:
    """A fresh worker process: import the entry point and load the models (one thread), median."""
    code = (
        "import time; t = time.perf_counter(); import handler.job_worker; from handler import preload; "
        "preload.wait(); print(time.perf_counter() - t)"
    )
    env = {**os.environ, "OCR_THREADS": "1", "OCR_PRELOAD": "1"}
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(runs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--chunks", default="4,8,16", help="chunk sizes to try (pages)")
    parser.add_argument("--workers", default="1,2", help="worker process counts to try")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration, interleaved")
    parser.add_argument("--out", type=Path, default=RESULTS / "jobs.md")
    args = parser.parse_args(argv)
    document = scanned_document(args.pages)
    uptime_before = os.getloadavg()
    runs = []
    logs = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    for round_ in range(args.repeat):
        for chunk in [int(c) for c in args.chunks.split(",")]:
            for workers in [int(w) for w in args.workers.split(",")]:
                print(f"run {round_ + 1}: {workers} worker(s), {chunk} pages per chunk", flush=True)
                runs.append(run_job(document, workers, chunk, logs / f"{workers}w-{chunk}p-{round_}.log"))
                print(json.dumps(runs[-1]["marks_s"]), runs[-1]["load_before"], flush=True)
    facts = {
        "pages": args.pages,
        "document_bytes": document.stat().st_size,
        "cpus": os.cpu_count(),
        "cold_start_s": cold_start_s(),
        "load_start": uptime_before,
        "load_end": os.getloadavg(),
        "runs": runs,
    }
    args.out.with_suffix(".json").write_text(json.dumps(facts, indent=1) + "\n")
    write_report(facts, args.out)
    print(f"wrote {args.out} and {args.out.with_suffix('.json')} (logs in {logs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
