"""Accuracy and latency of the engine on a labelled set, per preset and per category.

    python -m bench.evaluate DATA_DIR [--presets fast,accurate,crnn] [--modes auto]
                             [--limit N] [--markdown OUT.md] [--details OUT.jsonl]

DATA_DIR holds images and ``labels.jsonl`` as written by ``bench.evalset``. Each image is run
once per preset and mode; errors (``OcrError`` or anything else) count as an empty answer and
the run goes on. The point is to choose presets and defaults by measurement, so every number
here has one fixed definition.

Comparison: the one rule of ``bench.scoring`` (full-width ASCII forms as ASCII, whitespace
collapsed, a space next to a CJK character not counted, spaces between Latin words counted),
the same as the bench's and the tests'.

Metrics:
  * line images (kind=line): the prediction is all returned lines joined by a space;
    accuracy = exact match after normalisation; CER = Levenshtein distance / reference length,
    summed over the category (micro average) (``scoring.score_line``).
  * pages (kind=page): ``lines exact`` = reference lines that some predicted line equals
    (one-to-one matching); ``found`` = reference lines contained in the concatenated
    prediction once spaces are removed (forgives a line split or merged by detection);
    CER = distance between all reference lines and all predicted lines, each concatenated in
    reading order without spaces. For rows marked ``"partial": true`` (real photos with
    unlabelled text) CER is instead the cost of finding each reference line inside the
    prediction (extra text is not penalised) (``scoring.score_lines``).
  * auto choice (mode=auto runs only): the engine's chosen mode (``result.pages[0].mode``)
    equals the image's kind - a line crop must be read as one line, a page must be detected.
  * latency: wall time of ``engine.run`` per image (decode included) after one untimed
    warm-up call per preset; medians per preset and kind.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.eval_report import Outcome, report, write_details
from bench.evalset.labels import Row, read_labels
from bench.scoring import Rule, Score, normalise, normalise_strict, score_line, score_lines

DEFAULT_PRESETS = ("fast", "accurate", "crnn")
MODES = ("auto", "line", "page", "oracle")  # oracle: "line" for line images, "page" for pages


def score(row: Row, predicted: Sequence[str], rule: Rule = normalise) -> Score:
    if row["kind"] == "line":
        return score_line(" ".join(row["lines"]), predicted, rule)
    return score_lines(row["lines"], predicted, bool(row.get("partial", False)), rule)


def request_mode(mode: str, kind: str) -> str:
    return ("line" if kind == "line" else "page") if mode == "oracle" else mode


def run_one(engine: Any, options_cls: Any, data: bytes, row: Row, preset: str, mode: str) -> Outcome:
    """Run the engine once; any exception is recorded as an error with an empty answer."""
    predicted: list[str] = []
    chosen: str | None = None
    error: str | None = None
    started = time.perf_counter()
    try:
        result = engine.run(data, options_cls(mode=request_mode(mode, row["kind"]), preset=preset))
        predicted = [line.text for line in result.lines]
        chosen = result.pages[0].mode if result.pages else None
    except Exception as exc:  # an error is a wrong answer; the run goes on
        error = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - started
    return Outcome(
        file=row["file"],
        category=row["category"],
        kind=row["kind"],
        preset=preset,
        mode=mode,
        predicted=predicted,
        chosen_mode=chosen,
        seconds=seconds,
        error=error,
        score=score(row, predicted),
        spaced=score(row, predicted, normalise_strict),
    )


def select_rows(rows: Sequence[Row], limit: int | None) -> list[Row]:
    """At most ``limit`` images per category, in file order, so every category stays represented."""
    taken: Counter[str] = Counter()
    chosen = []
    for row in rows:
        if limit is None or taken[row["category"]] < limit:
            taken[row["category"]] += 1
            chosen.append(row)
    return chosen


def evaluate(
    data_dir: Path,
    rows: Sequence[Row],
    presets: Sequence[str],
    modes: Sequence[str],
    engine: Any,
    options_cls: Any,
) -> list[Outcome]:
    images = {row["file"]: (data_dir / row["file"]).read_bytes() for row in rows}
    outcomes = []
    for preset in presets:
        warm_up(engine, options_cls, images, rows, preset)
        for mode in modes:
            for row in rows:
                outcomes.append(run_one(engine, options_cls, images[row["file"]], row, preset, mode))
    return outcomes


def warm_up(
    engine: Any, options_cls: Any, images: dict[str, bytes], rows: Sequence[Row], preset: str
) -> None:
    """Load the preset's sessions (and run each path once) outside the timed calls."""
    for kind in ("line", "page"):
        sample = next((r for r in rows if r["kind"] == kind), None)
        if sample is not None:
            run_one(engine, options_cls, images[sample["file"]], sample, preset, "oracle")


def parse_list(value: str, allowed: Sequence[str] | None = None) -> list[str]:
    items = [item.strip() for item in value.split(",") if item.strip()]
    if allowed is not None:
        unknown = [item for item in items if item not in allowed]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {unknown}; choose from {', '.join(allowed)}")
    return items


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--presets", type=parse_list, default=list(DEFAULT_PRESETS))
    parser.add_argument(
        "--modes", type=lambda v: parse_list(v, MODES), default=["auto"], help="auto, line, page, oracle"
    )
    parser.add_argument("--limit", type=int, default=None, help="at most N images per category")
    parser.add_argument("--categories", type=parse_list, default=None, help="only these categories")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the report here")
    parser.add_argument("--details", type=Path, default=None, help="per-image predictions as JSON lines")
    parser.add_argument("--threads", type=int, default=None, help="ONNX Runtime pool threads (shared)")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an engine option for every call, e.g. --option lang=zh (repeatable)",
    )
    args = parser.parse_args(argv)

    from ocr_core.engine.engine import OcrEngine
    from ocr_core.options import parse_options

    rows = read_labels(args.data_dir)
    if args.categories:
        rows = [row for row in rows if row["category"] in args.categories]
    rows = select_rows(rows, args.limit)
    engine = OcrEngine(threads=args.threads)
    started = time.perf_counter()
    extra = parse_options(dict(item.split("=", 1) for item in args.option)).ocr
    fixed = {
        name: getattr(extra, name) for name in ("layout", "lang", "allowed_chars", "boxes", "min_confidence")
    }

    def options_cls(mode: str, preset: str) -> Any:
        return replace(extra, mode=mode, preset=preset, **fixed)

    outcomes = evaluate(args.data_dir, rows, args.presets, args.modes, engine, options_cls)
    text = report(outcomes, args.data_dir, args.presets)
    print(text)
    print(f"{len(outcomes)} engine calls in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text, encoding="utf-8")
    if args.details:
        write_details(args.details, outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
