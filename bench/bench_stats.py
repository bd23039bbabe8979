"""Scoring, statistics, tables and the scaling plot for `make bench` (no engine code here).

Accuracy, the same for both engines:
- line accuracy: the share of ground-truth lines that some output line equals exactly, after
  NFKC normalisation (full-width ASCII and punctuation to half-width) and removing all
  whitespace; each output line can match one ground-truth line (repeated cells count once each);
- CER: edit distance between the concatenated ground truth and the concatenated output (same
  normalisation), divided by the ground truth's length; it also charges reading-order mistakes.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.evaluate import levenshtein


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Score:
    hits: int
    lines: int
    edits: int
    chars: int

    def __add__(self, other: Score) -> Score:
        return Score(
            self.hits + other.hits,
            self.lines + other.lines,
            self.edits + other.edits,
            self.chars + other.chars,
        )

    @property
    def accuracy(self) -> float:
        return self.hits / self.lines if self.lines else float("nan")

    @property
    def cer(self) -> float:
        return self.edits / self.chars if self.chars else float("nan")


def score(truth: Sequence[str], output: Sequence[str]) -> Score:
    want, got = Counter(normalise(t) for t in truth), Counter(normalise(o) for o in output)
    hits = sum(min(count, got[text]) for text, count in want.items())
    reference = "".join(normalise(t) for t in truth)
    edits = levenshtein(reference, "".join(normalise(o) for o in output))
    return Score(hits, len(truth), edits, len(reference))


def total(scores: Iterable[Score]) -> Score:
    result = Score(0, 0, 0, 0)
    for item in scores:
        result = result + item
    return result


def p50(values: Sequence[float]) -> float:
    return float(np.median(values)) if len(values) else float("nan")


def p90(values: Sequence[float]) -> float:
    return float(np.percentile(values, 90)) if len(values) else float("nan")


# --------------------------------------------------------------------------- formatting


def ms(value: float) -> str:
    if value != value:  # nan
        return "-"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def ratio(ours: float, peer: float) -> str:
    return f"{ours / peer:.2f}" if peer and peer == peer and ours == ours else "-"


def pct(value: float) -> str:
    return "-" if value != value else f"{100 * value:.1f}%"


def mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- plot


def plot_scaling(path: Path, series: dict[str, dict[str, list[tuple[float, float, float]]]]) -> None:
    """series[group][engine] = [(x, p50 ms, p90 ms), ...] for groups "mp" and "lines"."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    titles = {
        "mp": ("time vs image size (same document)", "megapixels"),
        "lines": ("time vs text lines (A4 page, 150 dpi)", "lines on the page"),
    }
    for axis, (group, (title, xlabel)) in zip(axes, titles.items(), strict=True):
        for engine, points in series.get(group, {}).items():
            if not points:
                continue
            xs, mids, highs = zip(*sorted(points), strict=True)
            line = axis.plot(xs, mids, marker="o", label=f"{engine} (median; band up to p90)")[0]
            axis.fill_between(xs, mids, highs, color=line.get_color(), alpha=0.15)
        axis.set_title(title)
        axis.set_xlabel(xlabel)
        axis.set_ylabel("ms per image (2 threads)")
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
