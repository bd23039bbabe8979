"""Statistics, number formats, tables and the scaling plot for `make bench` (no engine code here).

Accuracy is scored by `bench.scoring`, the same rule as the evaluation's and the tests'.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np


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
