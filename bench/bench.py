"""`make bench`: our engine against the peer (RapidOCR 1.4.4) on the same machine, images and threads.

    python -m bench.bench [--repeats 5] [--quick]

Both engines run in worker processes of their own virtualenvs (bench/our_worker.py in .venv,
bench/peer_worker.py in .venv-peer, so the peer's full OpenCV never meets ours) and are timed by
the same loop (bench/worker_loop.py). Requests alternate ours/peer image by image, the order
flipping every round, so a burst of load from a neighbour hits both sides alike; the tables
report medians (and p90) of those interleaved runs. Then, in fresh workers: our presets
and cold starts (fresh process until its first answer).

Writes bench/results/bench.md, bench.json and scaling.png; prints the tables to stdout and
progress to stderr. Times are for reading; nothing here asserts them.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import bench_stats as stats
from bench.bench_report import as_json, markdown
from bench.bench_tables import Report
from bench.bench_workers import (
    COLD_CASES,
    OURS,
    PEER,
    RESULTS,
    ROOT,
    VARIANTS,
    Runs,
    Worker,
    cold_start,
    interleave,
    log,
)
from bench.cases import Case, build

PEER_PYTHON = ROOT / ".venv-peer" / "bin" / "python"


def package_size() -> dict[str, Any]:
    """Unzipped size of each function folder in the `sam build` output, if there is one."""
    build_dir = ROOT / ".aws-sam" / "build"
    if not build_dir.is_dir():
        return {"status": "not built"}
    sizes = {}
    for folder in sorted(p for p in build_dir.iterdir() if p.is_dir()):
        out = subprocess.run(["du", "-sb", str(folder)], capture_output=True, text=True, check=True).stdout
        sizes[folder.name] = int(out.split()[0])
    if not sizes:
        return {"status": "not built"}
    api = [name for name in sizes if "api" in name.lower()]
    main = api[0] if api else max(sizes, key=sizes.__getitem__)
    return {"status": "built", "functions": sizes, "api_function": main, "api_bytes": sizes[main]}


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed rounds for line crops and pages")
    parser.add_argument("--scale-repeats", type=int, default=3, help="timed rounds for the scaling cases")
    parser.add_argument("--variant-repeats", type=int, default=3, help="timed rounds for our presets")
    parser.add_argument("--cold-runs", type=int, default=7, help="fresh processes per side")
    parser.add_argument("--threads", type=int, default=2, help="ONNX Runtime intra-op threads, both engines")
    parser.add_argument("--quick", action="store_true", help="one round of everything (a smoke run)")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats = args.scale_repeats = args.variant_repeats = args.cold_runs = 1
    if not PEER_PYTHON.exists():
        raise SystemExit(f"the peer's virtualenv is missing ({PEER_PYTHON}); run `make peer` first")
    started = time.perf_counter()

    log("rendering cases ...")
    cases = build(RESULTS / "cases")
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        groups[case.group].append(case)
    main_cases = groups["line"] + groups["page"]

    env = {**os.environ, "OCR_THREADS": str(args.threads), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPATH", None)
    ours_argv = [sys.executable, "-m", "bench.our_worker", "--threads", str(args.threads)]
    peer_argv = [str(PEER_PYTHON), "-m", "bench.peer_worker", "--threads", str(args.threads)]
    runs, memory = Runs(), {}
    no_fields: dict[str, Any] = {}

    log(f"ours vs peer: {len(main_cases)} cases x {args.repeats} rounds, interleaved ...")
    ours, peer = Worker(OURS, ours_argv, env), Worker(PEER, peer_argv, env)
    default_preset = ours.ready.get("default_preset")
    # Line crops: the recognizer alone on both sides (the peer runs without det and cls).
    pair = {OURS: (ours, {"recognizer_only_lines": True}), PEER: (peer, no_fields)}
    interleave(pair, main_cases, args.repeats, runs)
    memory["after_main"] = {OURS: ours.memory(), PEER: peer.memory()}
    log(f"scaling: {len(groups['mp']) + len(groups['lines'])} pages x {args.scale_repeats} rounds ...")
    interleave(pair, groups["mp"] + groups["lines"], args.scale_repeats, runs)
    memory["after_scaling"] = {OURS: ours.memory(), PEER: peer.memory()}
    ours.close()
    peer.close()

    log(f"our presets: {len(VARIANTS)} variants x {args.variant_repeats} rounds ...")
    variants_worker = Worker("ours-variants", ours_argv, env)
    interleave(
        {label: (variants_worker, fields) for label, fields in VARIANTS.items()},
        main_cases,
        args.variant_repeats,
        runs,
    )
    variants_worker.close()

    # The Lambda package ships bytecode, so cold starts here read compiled modules too (a fresh
    # clone has none: the workers run with PYTHONDONTWRITEBYTECODE and would compile every module).
    for package in ("ocr_core", "handler", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1)
    has_handler = (ROOT / "handler" / "api.py").is_file()
    cold_sides = {PEER: peer_argv}
    if has_handler:
        cold_sides["ours (handler)"] = [*ours_argv, "--via", "handler"]
    cold_sides["ours (engine)"] = ours_argv
    cold_cases = {name: next(c for c in cases if c.name == name) for name in COLD_CASES}
    log(
        f"cold starts: {args.cold_runs} x {len(cold_sides)} sides x {len(cold_cases)} images, fresh processes"
    )
    cold: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for _ in range(args.cold_runs):
        for name, case in cold_cases.items():
            for side, side_argv in cold_sides.items():
                # The API's default mode for ours (auto), the peer's default pipeline for pages.
                mode = case.mode if side == PEER else ("line" if case.mode == "line" else "auto")
                cold[name][side].append(cold_start(f"cold-{side.split()[0]}", side_argv, env, case, mode))

    elapsed = time.perf_counter() - started
    package = package_size()
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        "load_average_at_end": os.getloadavg(),
        "threads": args.threads,
        "repeats": {
            "main": args.repeats,
            "scaling": args.scale_repeats,
            "variants": args.variant_repeats,
            "cold": args.cold_runs,
        },
        "our_default_preset": default_preset,
        "cold_start_ours_via": "handler.api.handler (API Gateway v2 multipart event)"
        if has_handler
        else "ocr_core engine (handler/api.py not present)",
        "peer": "rapidocr-onnxruntime 1.4.4 (PP-OCRv4 det+cls+rec, its defaults), onnxruntime pinned as ours",
        "peer_site_packages_bytes": folder_bytes(
            next((ROOT / ".venv-peer" / "lib").glob("python*/site-packages"))
        ),
        "bench_seconds": round(elapsed, 1),
    }
    report = Report(groups, runs, memory, cold, package, meta)
    page = markdown(report)
    print(page)
    (RESULTS / "bench.md").write_text(page + "\n", encoding="utf-8")
    (RESULTS / "bench.json").write_text(
        json.dumps(as_json(report), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    stats.plot_scaling(RESULTS / "scaling.png", report.scaling_series())
    log(f"wrote {RESULTS / 'bench.md'}, bench.json and scaling.png in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
