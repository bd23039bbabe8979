"""What guarding PDFium costs on normal PDFs: the worker process, or a pre-scan of every stream.

    python -m bench.pdf_guard_cost [--rounds 5] [--paths decode,in-process,pre-scan]

Issue 13 named two ways to bound PDFium's memory: (a) run it in a worker process with an
address-space and a time limit (what `ocr_core.input.pdf` does), or (b) inflate every stream
with a bounded streaming inflate before PDFium sees the file and refuse one that inflates too far.
For each normal PDF (20 pages: every page rendered at 200 dpi, text layer read) this prints, in ms:

- `decode`: `decode(data, text_layer=True)` of this checkout: (a) here; run with
  `--paths decode` in a checkout from before the worker for the unguarded path;
- `in-process`: the worker's own PDFium code and the text grouping in this process: (a) without
  the process and the pipes, i.e. what (b) would run after its pre-scan;
- `pre-scan`: a prototype of (b): the bounded inflate of every Flate stream (each stage of a
  chain); (b) costs `in-process` plus this.

Cold is the first call in a fresh process (imports, loading PDFium, starting the worker);
warm is the median of the next `--rounds` calls. The figures are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

A4 = (595.0, 842.0)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BUDGET = 512 * 1024 * 1024
STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
DICT_WINDOW = 4096


def text_pdf(pages: int, embedded: bool) -> bytes:
    """A4 pages of 40 lines each, in Helvetica or in DejaVu Sans embedded (as word processors do)."""
    from bench.kit.text_pdfs import placed_text_pdf  # PDFium loads here, not at import (cold runs)

    text = "Page {}, line {}: the quick brown fox jumps over the lazy dog 0123456789"
    placed = [
        [(text.format(n, line), 50.0, 800.0 - 19 * line, 10.0) for line in range(40)]
        for n in range(1, pages + 1)
    ]
    return placed_text_pdf(placed, A4, DEJAVU if embedded else None)


def scan_pdf(pages: int) -> bytes:
    """A4 page images at 200 dpi as JPEG, what a scanner writes."""
    from bench.kit.render import render_page

    image = render_page([f"Scanned line {n}: invoice total 19.99" for n in range(30)], size=28, width=1654)
    image = image.resize((1654, 2339))
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", save_all=True, append_images=[image] * (pages - 1), resolution=200)
    return buffer.getvalue()


@cache
def samples() -> dict[str, bytes]:
    return {
        "text, 1 page": text_pdf(1, embedded=False),
        "text, 20 pages": text_pdf(20, embedded=False),
        "embedded font, 20 pages": text_pdf(20, embedded=True),
        "scan, 20 pages": scan_pdf(20),
    }


# ---- (b): a bounded inflate of every stream ------------------------------------------------------


def prescan(data: bytes, budget: int = BUDGET) -> int:
    """Total inflated size of every Flate stream (each Flate stage of a chain); ValueError past `budget`."""
    total = 0
    for match in STREAM.finditer(data):
        head = data[max(0, match.start() - DICT_WINDOW) : match.start()]
        head = head[head.rfind(b"<<") :]
        length = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", head)
        end = match.end() + int(length.group(1)) if length else data.find(b"endstream", match.end())
        content = data[match.end() : max(end, match.end())]
        for _ in re.findall(rb"/(?:FlateDecode|Fl)\b", head):
            content = _inflate(content, budget - total)
            total += len(content)
    return total


def _inflate(data: bytes, budget: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, budget + 1)
    except zlib.error:
        return b""
    if len(out) > budget:
        raise ValueError("a stream inflates past the budget")
    return out


# ---- the three paths -----------------------------------------------------------------------------


def in_process(data: bytes) -> None:
    """The worker's own PDFium code and the text grouping, all in this process: (a) without the process."""
    import numpy as np

    from ocr_core.input.pdf import _scale
    from ocr_core.input.pdf_worker import Worker
    from ocr_core.input.text_layer import text_layer
    from ocr_core.limits import DEFAULT_LIMITS as LIMITS

    worker = Worker(os.open(os.devnull, os.O_WRONLY))
    worker.open(bytearray(data), None)
    for index in range(min(len(worker.document), LIMITS.max_pdf_pages)):
        scale, _ = _scale(worker.document.get_page_size(index), LIMITS)
        page = worker.document[index]
        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
        np.ctypeslib.as_array(bitmap.buffer).reshape(bitmap.height, bitmap.width, 3).copy()
        chars, _ = worker.text(page, bitmap.width, bitmap.height, LIMITS.max_text_chars)
        text_layer(chars, False, index + 1)
        bitmap.close()
        page.close()
    worker.close_document()
    os.close(worker.out)


def decode(data: bytes) -> None:
    """`decode` of the checkout it runs in: the worker here, PDFium in-process before it."""
    from ocr_core.input.decode import decode

    decode(data, text_layer=True)


PATHS: dict[str, Callable[[bytes], object]] = {
    "decode": decode,
    "in-process": in_process,
    "pre-scan": prescan,
}


def timed(path: str, file: str, rounds: int) -> dict[str, float]:
    """Run in a fresh process: the first call (cold), then the median of `rounds` more (warm).

    The engine's modules are imported first, as a running service has them; PDFium is not."""
    import ocr_core.input.decode
    import ocr_core.input.pdf  # noqa: F401

    data = Path(file).read_bytes()
    function = PATHS[path]
    started = time.perf_counter()
    function(data)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(rounds):
        started = time.perf_counter()
        function(data)
        warm.append(time.perf_counter() - started)
    return {"cold_ms": round(cold * 1000, 1), "warm_ms": round(statistics.median(warm) * 1000, 1)}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--paths", default=",".join(PATHS), help="which of " + ", ".join(PATHS))
    parser.add_argument("--one", nargs=2, metavar=("PATH", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(timed(*args.one, args.rounds)))
        return
    paths = args.paths.split(",")
    print("| PDF | bytes | " + " | ".join(f"{path} cold / warm ms" for path in paths) + " |")
    print("|---|---|" + "---|" * len(paths))
    folder = Path(tempfile.mkdtemp(prefix="pdf-guard-cost-"))
    for index, (name, data) in enumerate(samples().items()):
        file = folder / f"{index}.pdf"
        file.write_bytes(data)
        cells = []
        for path in paths:
            command = [sys.executable, "-m", "bench.pdf_guard_cost", "--rounds", str(args.rounds)]
            done = subprocess.run([*command, "--one", path, str(file)], capture_output=True, check=True)
            figures = json.loads(done.stdout.decode().strip().splitlines()[-1])
            cells.append(f"{figures['cold_ms']:.0f} / {figures['warm_ms']:.0f}")
        print(f"| {name} | {len(data):,} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
