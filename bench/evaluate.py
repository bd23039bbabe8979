"""Accuracy and latency of the engine on a labelled set, per preset and per category.

    python -m bench.evaluate DATA_DIR [--presets fast,accurate,crnn] [--modes auto]
                             [--limit N] [--markdown OUT.md] [--details OUT.jsonl]

DATA_DIR holds images and ``labels.jsonl`` as written by ``bench.evalset``. Each image is run
once per preset and mode; errors (``OcrError`` or anything else) count as an empty answer and
the run goes on. The point is to choose presets and defaults by measurement, so every number
here has one fixed definition:

Comparison normalisation (applied to reference and prediction alike, see ``normalise``):
  * full-width ASCII forms U+FF01-FF5E become their ASCII twins (``，`` -> ``,``, ``：`` -> ``:``,
    ``（`` -> ``(``, full-width digits/letters) and the ideographic space becomes a space;
    ``￥`` and ``¥`` both become ``¥``. The two forms look alike at line height, and the
    recognisers' dictionaries hold both, so telling them apart is not OCR.
  * other Chinese punctuation (``。``, ``、``, ``《》`` ...) is kept as it is;
  * whitespace runs collapse to one space, ends are stripped, and a space next to a CJK
    character or CJK punctuation is dropped ("北京 Beijing" == "北京Beijing"): the gap between
    Chinese and Latin text is typography, and recognisers disagree on it. Spaces between
    Latin words still count. Case is kept.

Metrics:
  * line images (kind=line): the prediction is all returned lines joined by a space;
    accuracy = exact match after normalisation; CER = Levenshtein distance / reference length,
    summed over the category (micro average).
  * pages (kind=page): ``lines exact`` = reference lines that some predicted line equals
    (one-to-one matching); ``found`` = reference lines contained in the concatenated
    prediction once spaces are removed (forgives a line split or merged by detection);
    CER = distance between all reference lines and all predicted lines, each concatenated in
    reading order without spaces. For rows marked ``"partial": true`` (real photos with
    unlabelled text) CER is instead the cost of finding each reference line inside the
    prediction (extra text is not penalised).
  * auto choice (mode=auto runs only): the engine's chosen mode (``result.pages[0].mode``)
    equals the image's kind - a line crop must be read as one line, a page must be detected.
  * latency: wall time of ``engine.run`` per image (decode included) after one untimed
    warm-up call per preset; medians per preset and kind.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.evalset.labels import read_labels

DEFAULT_PRESETS = ("fast", "accurate", "crnn")
MODES = ("auto", "line", "page", "oracle")  # oracle: "line" for line images, "page" for pages

Row = dict[str, Any]

# --------------------------------------------------------------------------- normalisation

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0xFFE5: 0xA5})
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}])")


def normalise(text: str) -> str:
    """Comparison form of a line (see the module docstring for the why of each rule)."""
    text = " ".join(text.translate(_FULLWIDTH).split())
    return _SPACE_NEAR_CJK.sub("", text)


def squash(text: str) -> str:
    """Normalised text without any spaces, for layout-insensitive comparisons."""
    return normalise(text).replace(" ", "")


# --------------------------------------------------------------------------- edit distance


def levenshtein(a: str, b: str) -> int:
    """Unit-cost insert/delete/substitute distance, O(len(a) * len(b)) time, O(len(b)) memory."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def substring_distance(needle: str, haystack: str) -> int:
    """Fewest edits turning ``needle`` into some substring of ``haystack`` (free start/end)."""
    if not needle:
        return 0
    previous = [0] * (len(haystack) + 1)  # matching may start anywhere in the haystack
    for i, char_n in enumerate(needle, 1):
        current = [i]
        for j, char_h in enumerate(haystack, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_n != char_h)))
        previous = current
    return min(previous)  # ... and end anywhere


# --------------------------------------------------------------------------- scoring


@dataclass
class Score:
    """What one image contributes to its category's totals."""

    ref_lines: int
    exact_lines: int
    found_lines: int
    ref_chars: int
    edits: int


def score_line(reference: str, predicted: Sequence[str]) -> Score:
    joined = " ".join(predicted)
    ref, pred = normalise(reference), normalise(joined)
    found = int(squash(reference) in squash(joined))
    return Score(1, int(ref == pred), found, len(ref), levenshtein(ref, pred))


def score_page(references: Sequence[str], predicted: Sequence[str], partial: bool) -> Score:
    refs = [normalise(r) for r in references]
    unmatched = Counter(normalise(p) for p in predicted)
    exact = 0
    for ref in refs:
        if unmatched[ref] > 0:
            unmatched[ref] -= 1
            exact += 1
    flat_pred = "".join(squash(p) for p in predicted)
    flat_refs = [squash(r) for r in references]
    found = sum(1 for r in flat_refs if r and r in flat_pred)
    if partial:
        edits = sum(substring_distance(r, flat_pred) for r in flat_refs)
    else:
        edits = levenshtein("".join(flat_refs), flat_pred)
    return Score(len(refs), exact, found, sum(len(r) for r in flat_refs), edits)


def score(row: Row, predicted: Sequence[str]) -> Score:
    if row["kind"] == "line":
        return score_line(" ".join(row["lines"]), predicted)
    return score_page(row["lines"], predicted, bool(row.get("partial", False)))


# --------------------------------------------------------------------------- running


@dataclass
class Outcome:
    """One engine call on one image."""

    file: str
    category: str
    kind: str
    preset: str
    mode: str
    predicted: list[str]
    chosen_mode: str | None
    seconds: float
    error: str | None
    score: Score = field(repr=False)


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


# --------------------------------------------------------------------------- reporting


@dataclass
class Summary:
    preset: str
    mode: str
    category: str
    kind: str
    images: int
    lines: int
    accuracy: float
    found: float
    cer: float
    auto_choice: float | None
    errors: int
    p50_ms: float


def summarise(outcomes: Iterable[Outcome]) -> list[Summary]:
    groups: dict[tuple[str, str, str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[(o.preset, o.mode, o.category, o.kind)].append(o)
        groups[(o.preset, o.mode, f"ALL {o.kind}s", o.kind)].append(o)
    return [summary(key, items) for key, items in groups.items()]


def summary(key: tuple[str, str, str, str], items: Sequence[Outcome]) -> Summary:
    preset, mode, category, kind = key
    ref_lines = sum(o.score.ref_lines for o in items)
    ref_chars = sum(o.score.ref_chars for o in items)
    choice = None
    if mode == "auto":
        choice = sum(o.chosen_mode == o.kind for o in items) / len(items)
    return Summary(
        preset,
        mode,
        category,
        kind,
        len(items),
        ref_lines,
        sum(o.score.exact_lines for o in items) / max(ref_lines, 1),
        sum(o.score.found_lines for o in items) / max(ref_lines, 1),
        sum(o.score.edits for o in items) / max(ref_chars, 1),
        choice,
        sum(o.error is not None for o in items),
        statistics.median(o.seconds for o in items) * 1000.0,
    )


def markdown_table(summaries: Sequence[Summary], presets: Sequence[str] = ()) -> str:
    header = (
        "| preset | mode | category | kind | images | lines | line acc | found | CER | auto choice "
        "| errors | p50 ms |\n|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    body = []
    order = {name: i for i, name in enumerate(presets)}

    def key(s: Summary) -> tuple[Any, ...]:
        is_total = s.category.startswith("ALL")
        return (order.get(s.preset, len(order)), s.preset, s.mode, s.kind, is_total, s.category)

    for s in sorted(summaries, key=key):
        choice = "" if s.auto_choice is None else f"{s.auto_choice:.3f}"
        category = f"**{s.category}**" if s.category.startswith("ALL") else s.category
        body.append(
            f"| {s.preset} | {s.mode} | {category} | {s.kind} | {s.images} | {s.lines} | {s.accuracy:.3f} "
            f"| {s.found:.3f} | {s.cer:.3f} | {choice} | {s.errors} | {s.p50_ms:.1f} |"
        )
    return "\n".join([header, *body])


def latency_table(outcomes: Sequence[Outcome], presets: Sequence[str] = ()) -> str:
    groups: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for o in outcomes:
        groups[(o.preset, o.mode, o.kind)].append(o.seconds * 1000.0)
    lines = ["| preset | mode | kind | images | p50 ms | p90 ms |", "|---|---|---|---:|---:|---:|"]
    order = {name: i for i, name in enumerate(presets)}
    for (preset, mode, kind), times in sorted(groups.items(), key=lambda kv: (order.get(kv[0][0], 0), kv[0])):
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
        p50 = statistics.median(times)
        lines.append(f"| {preset} | {mode} | {kind} | {len(times)} | {p50:.1f} | {p90:.1f} |")
    return "\n".join(lines)


def report(outcomes: Sequence[Outcome], data_dir: Path, presets: Sequence[str] = ()) -> str:
    errors = Counter(o.error.split(":")[0] for o in outcomes if o.error)
    parts = [
        f"# OCR evaluation on `{data_dir}`",
        "",
        "Line acc: exact line match after normalisation (pages: reference lines matched exactly). "
        "Found: reference lines contained in the prediction, spaces ignored. "
        "CER: edit distance / reference characters. Auto choice: auto mode read line crops as one "
        "line and pages with detection. Definitions: `bench/evaluate.py`.",
        "",
        markdown_table(summarise(outcomes), presets),
        "",
        "## Latency per image (engine.run, warm sessions)",
        "",
        latency_table(outcomes, presets),
    ]
    if errors:
        parts += ["", "Errors: " + ", ".join(f"{name} x{count}" for name, count in errors.most_common())]
    return "\n".join(parts) + "\n"


def write_details(path: Path, outcomes: Iterable[Outcome]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for o in outcomes:
            record = asdict(o)
            record["seconds"] = round(o.seconds, 4)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------- CLI


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
