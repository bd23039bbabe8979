"""What `tables=on` costs: one table page read with tables off and on, alternately, warm.

    python -m bench.table_speed [--runs 7] [--markdown OUT.md]

Pages come from the table set's generator (a ruled A4-wide invoice-like table, a booktabs
table inside prose, a tilted bare table), so the figure needs no download. Each page is read
`--runs` times per setting after one warm-up read each, the settings alternating so that a
burst of load on a shared machine hits both; the ratio is of the medians (end-to-end
`engine.run` on the encoded PNG, decode included), and the table step's own median
(`timings_ms["tables"]`) is given beside it.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from bench.table_render import render_page, to_uint8
from bench.tableset import CATEGORIES, DEFAULT_SEED, make_spec, sample_rng
from ocr_core import OcrEngine, OcrOptions

PAGES = (("numeric", 0), ("in_text", 1), ("rotated", 2))
GOAL = 1.5


def page_png(category: str, index: int) -> bytes:
    rng = sample_rng(DEFAULT_SEED, category, index)
    recipe = CATEGORIES[category]
    pixels = to_uint8(render_page(make_spec(recipe, rng), recipe, rng))
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def measure(engine: OcrEngine, data: bytes, runs: int) -> dict[str, float]:
    settings = {"off": OcrOptions(), "on": OcrOptions(tables="on")}
    times: dict[str, list[float]] = {name: [] for name in settings}
    steps: list[float] = []
    for options in settings.values():
        engine.run(data, options)
    for _ in range(runs):
        for name, options in settings.items():
            started = time.perf_counter()
            result = engine.run(data, options)
            times[name].append((time.perf_counter() - started) * 1000)
            if name == "on":
                steps.append(result.timings_ms["tables"])
    off, on = statistics.median(times["off"]), statistics.median(times["on"])
    return {"off_ms": off, "on_ms": on, "ratio": on / off, "step_ms": statistics.median(steps)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args(argv)
    engine = OcrEngine()
    rows = [
        "| page | pixels | tables=off ms | tables=on ms | ratio | table step ms |",
        "|---|---|---|---|---|---|",
    ]
    worst = 0.0
    for category, index in PAGES:
        data = page_png(category, index)
        size = Image.open(io.BytesIO(data)).size
        figures = measure(engine, data, args.runs)
        worst = max(worst, figures["ratio"])
        cells = [f"{category}_{index}", f"{size[0]}x{size[1]}", f"{figures['off_ms']:.0f}"]
        cells += [f"{figures['on_ms']:.0f}", f"{figures['ratio']:.2f}", f"{figures['step_ms']:.0f}"]
        rows.append("| " + " | ".join(cells) + " |")
    rows.append(f"\nMedians of {args.runs} alternating warm runs; goal: ratio < {GOAL} (worst {worst:.2f}).")
    table = "\n".join(rows) + "\n"
    print(table)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
