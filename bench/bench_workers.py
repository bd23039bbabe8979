"""Driving the bench workers: the process pipe, interleaved rounds, cold starts, and the raw runs.

Each engine runs in a worker process of its own virtualenv (see bench/worker_loop.py for the
protocol). Rounds alternate the engines image by image and flip the order every round, so a burst
of load from a neighbour on this shared machine hits both sides alike.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from bench import bench_stats as stats
from bench.cases import Case
from bench.scoring import Score, score_lines, total

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
OURS, PEER = "ours", "peer"
SETTLE_S = 0.05
"""Pause before each timed request: ONNX Runtime's worker threads spin-wait for a while after a run
(its default, on both sides), and a run must not share the 2 vCPUs with the other worker's spinning."""
COLD_SETTLE_S = 0.5
"""Pause before each fresh process, so the previous one's exit (freeing hundreds of MB) is over."""
COLD_GOAL_CASE = "page_document_1080p"
"""The issue's cold start: a fresh process answers its first page (the goal is judged on this one)."""
COLD_CASES = (COLD_GOAL_CASE, "line_mixed_long_2")
"""Images for the cold starts: the 1080p page and, for information, one line crop."""
FAST_LINES = "fast, lines by the recognizer alone"
"""The variant the single-line goal also reports: `fast` reads each line once."""
VARIANTS: dict[str, dict[str, Any]] = {  # label -> request fields for our worker
    "fast": {"preset": "fast"},
    "accurate": {"preset": "accurate"},
    "crnn": {"preset": "crnn"},
    FAST_LINES: {"preset": "fast", "recognizer_only_lines": True},
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Worker:
    """One worker process and its JSON-lines pipe."""

    def __init__(
        self, name: str, argv: Sequence[str], env: dict[str, str], first: dict[str, Any] | None = None
    ):
        self.name = name
        (RESULTS / "logs").mkdir(parents=True, exist_ok=True)
        self.log_path = RESULTS / "logs" / f"{name}.log"
        self.log_file = self.log_path.open("w")  # the last process of a name keeps its log
        self.spawned = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv),
            cwd=ROOT,
            env=env,
            text=True,
            encoding="utf-8",
            bufsize=1,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log_file,
        )
        if first is not None:  # cold start: the request waits in the pipe while the process imports
            self.send(first)
        self.ready = self.receive()

    def send(self, message: dict[str, Any]) -> None:
        stdin: IO[str] = self.process.stdin  # type: ignore[assignment]
        stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
        stdin.flush()

    def receive(self) -> dict[str, Any]:
        line = self.process.stdout.readline()  # type: ignore[union-attr]
        if not line:
            raise RuntimeError(f"{self.name} worker exited (code {self.process.wait()}); see {self.log_path}")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"{self.name} worker failed:\n{reply['error']}")
        return reply

    def ocr(self, case: Case, mode: str | None = None, **fields: Any) -> dict[str, Any]:
        self.send(
            {"op": "ocr", "path": str(RESULTS / "cases" / case.file), "mode": mode or case.mode, **fields}
        )
        return self.receive()

    def memory(self) -> dict[str, int]:
        self.send({"op": "memory"})
        return self.receive()

    def close(self) -> None:
        if self.process.poll() is None:
            self.send({"op": "quit"})
            self.process.wait(timeout=30)
        self.log_file.close()


class Runs:
    """Timings, outputs and stage timings per (engine label, case name)."""

    def __init__(self) -> None:
        self.ms: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        self.texts: dict[str, dict[str, list[str]]] = defaultdict(dict)
        self.stages: dict[str, dict[str, list[dict[str, float]]]] = defaultdict(lambda: defaultdict(list))

    def add(self, label: str, case: Case, reply: dict[str, Any], timed: bool) -> None:
        self.texts[label].setdefault(case.name, reply["texts"])
        if timed:
            self.ms[label][case.name].append(reply["ms"])
            self.stages[label][case.name].append(reply.get("stages", {}))

    def p50(self, label: str, case: Case) -> float:
        return stats.p50(self.ms[label][case.name])

    def p90(self, label: str, case: Case) -> float:
        return stats.p90(self.ms[label][case.name])

    def score(self, label: str, cases: Sequence[Case]) -> Score:
        """Every case is scored as a page (`scoring.score_lines`): a crop has one reference line."""
        return total(score_lines(c.lines, self.texts[label].get(c.name, [])) for c in cases)


def interleave(
    workers: dict[str, tuple[Worker, dict[str, Any]]], cases: Sequence[Case], repeats: int, runs: Runs
) -> None:
    """One untimed warm-up per case and worker (also the output scored), then `repeats` timed rounds."""
    labels = list(workers)
    for round_ in range(repeats + 1):
        for index, case in enumerate(cases):
            shift = (round_ + index) % len(labels)
            for label in labels[shift:] + labels[:shift]:
                worker, fields = workers[label]
                time.sleep(SETTLE_S)
                runs.add(label, case, worker.ocr(case, **fields), timed=round_ > 0)


def cold_start(name: str, argv: Sequence[str], env: dict[str, str], case: Case, mode: str) -> dict[str, Any]:
    """Spawn a fresh process, hand it one image at once, time until its answer arrives."""
    request = {"op": "ocr", "path": str(RESULTS / "cases" / case.file), "mode": mode}
    time.sleep(COLD_SETTLE_S)
    worker = Worker(name, argv, env, first=request)
    answer = worker.receive()
    total_ms = (time.perf_counter() - worker.spawned) * 1000.0
    memory = worker.memory()
    worker.close()
    return {
        "total_ms": total_ms,
        "import_ms": worker.ready["startup_ms"],
        "first_request_ms": answer["ms"],
        "vmhwm_kb": memory["vmhwm_kb"],
        "texts": answer["texts"],
    }
