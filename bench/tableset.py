"""A labelled table set the project renders itself: table pages with their true structure.

Why generate: table structure is only scorable against an exact ground truth (rows, columns,
spans, header rows, cell text), and it must be reproducible on a clean machine from Debian's
fonts alone. Every page is a pure function of (seed, category, index).

    python -m bench.tableset OUT_DIR [--seed N] [--per-category N] [--clean]

writes images plus ``labels.jsonl``; one JSON object per image::

    {"file": "ruled_latin_000.png", "category": "ruled_latin",
     "tables": [{"rows": 6, "cols": 4, "header_rows": 1,
                 "cells": [{"row": 0, "col": 0, "row_span": 1, "col_span": 1, "text": "Item"}, ...]}],
     "outside": ["Table 3. Orders", "Source: ..."]}

``cells`` lists every cell of the grid (empty ones with text ""), anchored at its top-left grid
position. ``outside`` is the text above and below the table, which must not become cells.
Categories differ in one respect each (see ``CATEGORIES``), so a drop points at its cause.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from bench import table_render
from bench.evalset.content import check_charset
from bench.evalset.texts import EN_SENTENCES, ZH_SENTENCES
from bench.kit.fonts import check_fonts
from bench.table_content import (
    CJK_CITIES,
    CJK_ITEMS,
    LATIN_CITIES,
    NOTES_CJK,
    NOTES_LATIN,
    REGIONS_CJK,
    REGIONS_LATIN,
    SECOND_CJK,
    SECOND_LATIN,
    TITLES_CJK,
    TITLES_LATIN,
    money,
    theme,
)

DEFAULT_SEED = 20251202
PER_CATEGORY = 6


@dataclass(frozen=True)
class TruthCell:
    row: int
    col: int
    row_span: int
    col_span: int
    text: str


@dataclass(frozen=True)
class TruthTable:
    rows: int
    cols: int
    header_rows: int
    cells: tuple[TruthCell, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "cells": [asdict(cell) for cell in self.cells]}


@dataclass(frozen=True)
class Recipe:
    """What a category varies: script, rules, spans, blanks, and the camera."""

    script: str  # "latin", "cjk" or "any"
    rules: tuple[str, ...]  # drawn from: "grid" (every cell boxed), "hrules" (booktabs), "none"
    merged: bool = False
    blanks: float = 0.0  # share of body cells left empty
    numeric: bool = False
    rotate: float = 0.0  # largest tilt in degrees
    photo: bool = False
    wrapped: bool = False  # some cells hold two lines
    prose: bool = False  # paragraphs above and below the table
    table: bool = True  # False: a page of running text that holds no table at all
    tight: bool = False  # unruled columns under one em apart


CATEGORIES: dict[str, Recipe] = {
    "ruled_latin": Recipe("latin", ("grid",)),
    "ruled_cjk": Recipe("cjk", ("grid",)),
    "hrules": Recipe("any", ("hrules",)),
    "unruled": Recipe("any", ("none",)),
    "merged": Recipe("any", ("grid",), merged=True),
    "numeric": Recipe("any", ("grid", "hrules"), numeric=True),
    "empty_cells": Recipe("any", ("grid",), blanks=0.25),
    "rotated": Recipe("any", ("grid", "hrules", "none"), rotate=2.5),
    "photo": Recipe("any", ("grid",), photo=True),
    "wrapped": Recipe("any", ("grid",), wrapped=True),
    "in_text": Recipe("any", ("hrules", "none"), prose=True),
    "tight": Recipe("any", ("hrules", "none"), tight=True),
    "no_table": Recipe("any", ("none",), prose=True, table=False),
}


def _plain(head: list[str], body: list[list[str]], blanks: float, rng: random.Random) -> TruthTable:
    cells = [TruthCell(0, c, 1, 1, text) for c, text in enumerate(head)]
    for r, row in enumerate(body, start=1):
        for c, text in enumerate(row):
            blank = c > 0 and rng.random() < blanks
            cells.append(TruthCell(r, c, 1, 1, "" if blank else text))
    return TruthTable(len(body) + 1, len(head), 1, tuple(cells))


def _merged(rng: random.Random, cjk: bool) -> TruthTable:
    """Two header rows (a year over its quarters) and a first column of region groups."""
    years = rng.sample(range(2019, 2026), 2)
    group, sub = ("地区", "城市") if cjk else ("Region", "City")
    cells = [TruthCell(0, 0, 2, 1, group), TruthCell(0, 1, 2, 1, sub)]
    for k, year in enumerate(sorted(years)):
        cells.append(TruthCell(0, 2 + 2 * k, 1, 2, f"{year}年" if cjk else str(year)))
        cells += [TruthCell(1, 2 + 2 * k + q, 1, 1, f"Q{q + 1}") for q in range(2)]
    regions = rng.sample(REGIONS_CJK if cjk else REGIONS_LATIN, 2)
    cities = rng.sample(CJK_CITIES if cjk else LATIN_CITIES, 6)
    row = 2
    for region in regions:
        span = rng.randint(2, 3)
        cells.append(TruthCell(row, 0, span, 1, region))
        for _ in range(span):
            cells.append(TruthCell(row, 1, 1, 1, cities.pop()))
            cells += [TruthCell(row, c, 1, 1, money(rng, True)) for c in range(2, 6)]
            row += 1
    return TruthTable(row, 6, 2, tuple(cells))


def _wrap(table: TruthTable, rng: random.Random, cjk: bool) -> TruthTable:
    """Give two or three first-column body cells a second line ("\n" in the drawn text)."""
    rows = rng.sample(range(1, table.rows), min(table.rows - 1, rng.randint(2, 3)))
    second = SECOND_CJK if cjk else SECOND_LATIN
    cells = tuple(
        replace(cell, text=f"{cell.text}\n{rng.choice(second)}")
        if cell.col == 0 and cell.row in rows and cell.text
        else cell
        for cell in table.cells
    )
    return replace(table, cells=cells)


@dataclass(frozen=True)
class Spec:
    """One page to draw: the table (None: none), how it is ruled, and the text around it.

    A cell's text may hold "\n" where it is drawn on two lines; its label is one line."""

    table: TruthTable | None
    rules: str
    title: str
    note: str
    cjk: bool
    above: tuple[str, ...] = ()
    below: tuple[str, ...] = ()
    tight: bool = False


def make_spec(recipe: Recipe, rng: random.Random) -> Spec:
    cjk = recipe.script == "cjk" or (recipe.script == "any" and rng.random() < 0.5)
    if recipe.merged:
        table = _merged(rng, cjk)
    else:
        head, body = theme(rng, cjk, recipe.numeric)
        table = _plain(head, body, recipe.blanks, rng)
    if cjk and rng.random() < 0.3:  # some Chinese tables carry Latin words too
        table = replace(table, cells=tuple(_mix(cell, rng) for cell in table.cells))
    if recipe.wrapped:
        table = _wrap(table, rng, cjk)
    title = rng.choice(TITLES_CJK if cjk else TITLES_LATIN)
    note = rng.choice(NOTES_CJK if cjk else NOTES_LATIN)
    above: tuple[str, ...] = ()
    below: tuple[str, ...] = ()
    if recipe.prose:
        pool = rng.sample(ZH_SENTENCES if cjk else EN_SENTENCES, 6)
        above, below = tuple(pool[:3]), tuple(pool[3:])
    for text in [title, note, *above, *below, *(cell.text.replace("\n", "") for cell in table.cells)]:
        check_charset(text)
    rules = rng.choice(recipe.rules)
    return Spec(table if recipe.table else None, rules, title, note, cjk, above, below, recipe.tight)


def label(table: TruthTable) -> dict[str, Any]:
    """The table's label: drawn line breaks inside a cell read as one line of text."""
    cells = tuple(replace(cell, text=cell.text.replace("\n", " ")) for cell in table.cells)
    return replace(table, cells=cells).to_dict()


def _mix(cell: TruthCell, rng: random.Random) -> TruthCell:
    if cell.row > 0 and cell.text in CJK_ITEMS and rng.random() < 0.4:
        return replace(cell, text=cell.text + " " + rng.choice(("Pro", "Mini", "A4", "USB")))
    return cell


# --------------------------------------------------------------------------- set


def sample_rng(seed: int, category: str, index: int) -> random.Random:
    return random.Random(f"{seed}:{category}:{index}")


def generate(
    out_dir: Path, seed: int = DEFAULT_SEED, per_category: int = PER_CATEGORY
) -> list[dict[str, Any]]:
    check_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for category, recipe in CATEGORIES.items():
        for index in range(per_category):
            rng = sample_rng(seed, category, index)
            spec = make_spec(recipe, rng)
            pixels = table_render.render_page(spec, recipe, rng)
            name = f"{category}_{index:03d}.png"
            table_render.save(pixels, out_dir / name)
            rows.append(
                {
                    "file": name,
                    "category": category,
                    "tables": [label(spec.table)] if spec.table else [],
                    "outside": [spec.title, *spec.above, *spec.below, spec.note],
                }
            )
    write_labels(out_dir, rows)
    return rows


def write_labels(out_dir: Path, rows: Sequence[dict[str, Any]], append: bool = False) -> None:
    with (out_dir / "labels.jsonl").open("a" if append else "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_labels(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "labels.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--per-category", type=int, default=PER_CATEGORY)
    parser.add_argument("--clean", action="store_true", help="delete OUT_DIR first")
    args = parser.parse_args(argv)
    if args.clean and args.out_dir.exists():
        shutil.rmtree(args.out_dir)
    started = time.perf_counter()
    rows = generate(args.out_dir, args.seed, args.per_category)
    print(f"{len(rows)} table pages in {time.perf_counter() - started:.1f}s -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
