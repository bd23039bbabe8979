"""The evaluation's records and report: one outcome per engine call, tables per category.

Definitions of every figure: `bench/evaluate.py` (metrics) and `bench/scoring.py` (comparison).
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.scoring import Score, total


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
    spaced: Score = field(repr=False)
    """The same comparison with every space counted, also next to Chinese text."""


@dataclass
class Summary:
    preset: str
    mode: str
    category: str
    kind: str
    images: int
    lines: int
    accuracy: float
    spaced: float
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
    scores = total(o.score for o in items)
    spaced = total(o.spaced for o in items)
    choice = None
    if mode == "auto":
        choice = sum(o.chosen_mode == o.kind for o in items) / len(items)
    return Summary(
        preset,
        mode,
        category,
        kind,
        len(items),
        scores.lines,
        scores.exact / max(scores.lines, 1),
        spaced.exact / max(spaced.lines, 1),
        scores.found / max(scores.lines, 1),
        scores.edits / max(scores.chars, 1),
        choice,
        sum(o.error is not None for o in items),
        statistics.median(o.seconds for o in items) * 1000.0,
    )


def markdown_table(summaries: Sequence[Summary], presets: Sequence[str] = ()) -> str:
    header = (
        "| preset | mode | category | kind | images | lines | line acc | spaces too | found | CER "
        "| auto choice | errors | p50 ms |\n|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
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
            f"| {s.spaced:.3f} | {s.found:.3f} | {s.cer:.3f} | {choice} | {s.errors} | {s.p50_ms:.1f} |"
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
        "Spaces too: the same with every space counted, also next to Chinese text. "
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
