"""One request in a fresh process, and the peak resident memory of every process it used.

    python -m tests.helpers.memory_probe CASE [--via api|engine] [--query NAME=VALUE ...]

CASE names a file of `tests/hostile_pdfs.py` (`content_spaces`, or scaled: `content_spaces:inflated=
4294967296`), `normal_pdf:PAGES` (a text PDF of A4 pages) or `file:PATH`.
The file goes through the real Lambda API handler (an API Gateway v2 event, as Lambda would call
it) or straight through `OcrEngine.run`; the probe prints one JSON line: the status (or error
code), and the peak RSS of this process, of its children (live ones from /proc, finished ones
from RUSAGE_CHILDREN) and their sum. A fresh process per input, so one input's peak is never
hidden by another's, and a crash kills only the probe.

`--cap-mb` sets an address-space limit on the probe itself (so measuring an unguarded bomb cannot
exhaust a shared machine); `--settle` waits that long after the answer while RSS still grows,
since an abandoned engine thread (a 504) may go on allocating after the response;
`--max-seconds` reports the peaks so far and stops a request that is still running; `--warm`
sends the request once the models have loaded (a warm Lambda: the largest resident baseline).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.kit.events import call_api, load_event, with_body, with_query
from bench.kit.hostile_pdfs import CASES_BY_NAME
from tests.helpers.pdfs import text_pdf

A4_POINTS = (595.0, 842.0)


def build(case: str) -> bytes:
    """`NAME` or `NAME:key=value,...` (a hostile PDF, scaled), `normal_pdf:PAGES`, or `file:PATH`."""
    name, _, argument = case.partition(":")
    if name == "file":
        return Path(argument).read_bytes()
    if name == "normal_pdf":
        return text_pdf([normal_page(number) for number in range(1, int(argument) + 1)], A4_POINTS)
    scaled = dict(item.split("=", 1) for item in argument.split(",") if item)
    return CASES_BY_NAME[name].build(**{key: int(value) for key, value in scaled.items()})


def normal_page(number: int) -> list[tuple[str, float, float, float]]:
    return [(f"Page {number} line {k}: invoice total 19.99", 60, 780 - 30 * k, 12) for k in range(5)]


def status_kb(pid: int | str, field: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def children_peak_kb() -> int:
    """Live children's peaks (VmHWM) plus the largest peak among finished, reaped children."""
    me, total = os.getpid(), 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == me:
            total += status_kb(entry, "VmHWM")
    return total + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def settle(seconds: float) -> None:
    """Wait while this process's RSS still grows (an abandoned engine thread), at most `seconds`."""
    end = time.monotonic() + seconds
    last = status_kb("self", "VmRSS")
    while time.monotonic() < end:
        time.sleep(0.5)
        now = status_kb("self", "VmRSS")
        if now <= last:
            return
        last = now


def run(case: str, via: str, query: dict[str, str], warm: bool = False) -> dict[str, Any]:
    data = build(case)
    if warm and via == "api":
        os.environ["OCR_PRELOAD"] = "1"  # before the handler's import, which starts loading the models
        from handler import api, preload

        assert api.handler is not None  # nosec B101 - imported for its side effect: the preload starts
        preload.wait()
    started = time.monotonic()
    if via == "engine":
        from ocr_core import OcrEngine, OcrError
        from ocr_core.options import parse_options

        try:
            OcrEngine().run(data, parse_options(query).ocr)
            outcome: dict[str, Any] = {"status": "ok"}
        except OcrError as error:
            outcome = {"status": error.code}
    else:
        from handler.api import handler

        event = with_query(with_body(load_event("apigw_v2_binary"), data, "application/pdf"), **query)
        response = call_api(handler, event)
        body = response.json() if response.body.startswith(b"{") else {}
        outcome = {"status": response.status, "code": (body.get("error") or {}).get("code")}
    return {"case": case, "bytes": len(data), "seconds": round(time.monotonic() - started, 2), **outcome}


def measure(*arguments: str, seconds: float = 90.0) -> dict[str, Any]:
    """Run the probe in a fresh process and return its report (`--warm` among `arguments`: with
    the models loaded first). A request still running after `seconds` is reported as it stands."""
    command = [sys.executable, "-m", "tests.helpers.memory_probe", *arguments]
    command += ["--settle", "1", "--max-seconds", str(seconds)]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(command, cwd=root, capture_output=True, timeout=seconds + 60)
    lines = done.stdout.decode().strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"the probe failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    report: dict[str, Any] = json.loads(lines[-1])
    return report


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case")
    parser.add_argument("--via", choices=("api", "engine"), default="api")
    parser.add_argument("--query", action="append", default=[], help="NAME=VALUE, repeatable")
    parser.add_argument("--cap-mb", type=int, default=0, help="address-space limit of this probe")
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument("--max-seconds", type=float, default=120.0, help="report and stop after this long")
    parser.add_argument(
        "--warm", action="store_true", help="wait for the models to load first (a warm Lambda)"
    )
    args = parser.parse_args(argv)
    if args.cap_mb:
        cap = args.cap_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    query = dict(item.split("=", 1) for item in args.query)
    overrun = {"case": args.case, "status": f"still running after {args.max_seconds:g} s"}
    threading.Timer(args.max_seconds, finish, (overrun,)).start()
    try:
        report = run(args.case, args.via, query, args.warm)
    except MemoryError:
        report = {"case": args.case, "status": "MemoryError"}
    settle(args.settle)
    finish(report)


def finish(report: dict[str, Any]) -> None:
    """Print the report with the peaks so far and end the process at once."""
    own, children = status_kb("self", "VmHWM"), children_peak_kb()
    report.update(self_mb=own // 1024, children_mb=children // 1024, total_mb=(own + children) // 1024)
    print(json.dumps(report), flush=True)
    os._exit(0)  # no interpreter teardown: background threads may still hold native resources


if __name__ == "__main__":
    main(sys.argv[1:])
