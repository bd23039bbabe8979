"""The AWS model of `make bench-jobs` on figures made up here: the simulation and the cost lines
behave as the arithmetic says, and the report prints every part of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.jobs_model import ESM_START, cost_per_1000, simulate
from bench.jobs_report import write_report

MODEL = {
    "cpu_s_per_page": 0.5,
    "split_s_per_page": 0.01,
    "merge_s": 1.0,
    "cold_start_s": 1.0,
    "bytes_per_page": 400_000.0,
    "pdf_bytes_per_page": 500_000.0,
}


def run(chunk: int, workers: int, wall: float) -> dict[str, Any]:
    chunks = [
        {"pages": chunk, "engine_s": chunk * 0.45, "fetch": 0.01, "read": chunk * 0.5}
        for _ in range(200 // chunk)
    ]
    return {
        "workers": workers,
        "chunk_pages": chunk,
        "marks_s": {"queued": 2.0, "first_started": 1.0, "records": wall - 1.0, "result": wall},
        "chunks": chunks,
        "export_pdf_bytes": 100_000_000,
        "peak_rss_mb": {"trigger": 150.0, "workers": [400.0] * workers},
        "cpu_s": {"trigger": 2.0, "workers": [100.0 + 200 / chunk / workers] * workers},
        "load_before": (1.0, 1.0, 1.0),
        "load_after": (1.0, 1.0, 1.0),
    }


def test_jobs_model_more_concurrency_is_never_slower_and_one_worker_reads_it_all() -> None:
    walls = [simulate(300, concurrency, 8, MODEL)["wall_s"] for concurrency in (1, 10, 50, 100)]
    assert walls == sorted(walls, reverse=True)
    single = simulate(300, 1, 8, MODEL)
    assert single["instances"] == 1 and single["wall_s"] > 300 * MODEL["cpu_s_per_page"]
    assert simulate(300, 100, 8, MODEL)["instances"] > ESM_START


def test_jobs_model_cost_adds_its_lines_and_worker_compute_is_cpu_times_gb_times_price() -> None:
    cost = cost_per_1000(8, MODEL)
    assert abs(cost["total"] - sum(v for k, v in cost.items() if k != "total")) < 1e-12
    assert cost["worker compute (warm)"] > 1000 * 0.5 * (1769 / 1024) * 0.0000166667


def test_jobs_report_shows_runs_speedups_model_and_costs(tmp_path: Path) -> None:
    facts = {
        "pages": 200,
        "document_bytes": 80_000_000,
        "cpus": 2,
        "cold_start_s": 1.0,
        "load_start": (1.0, 1.0, 1.0),
        "load_end": (1.0, 1.0, 1.0),
        "runs": [run(8, 1, 120.0), run(8, 2, 65.0), run(4, 1, 125.0), run(4, 2, 70.0)],
    }
    out = tmp_path / "jobs.md"
    write_report(facts, out)
    text = out.read_text()
    assert "8 pages/chunk: 120 s -> 65 s with 2 workers = 1.85x" in text
    assert "**chosen**" in text and "below Textract's $1.50" in text
    assert text.count("| worker compute (warm) |") == 1


def test_jobs_model_provisioned_pollers_start_the_chunks_in_one_wave_and_cap_them() -> None:
    standard = simulate(300, 50, 8, MODEL)
    polled = simulate(300, 50, 8, MODEL, pollers=5)
    assert polled["wall_s"] < standard["wall_s"]
    assert polled["instances"] == 38  # every chunk its own worker, all in the first wave
    assert simulate(300, 50, 8, MODEL, pollers=2)["instances"] == 20  # 10 workers per poller at most
    assert polled["first_chunk_s"] == standard["first_chunk_s"]  # the trigger's part is unchanged
