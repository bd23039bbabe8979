"""Storing the evaluation set: images and `labels.jsonl`, one JSON object per image."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.evalset.content import check_charset
from bench.kit.canvas import to_image
from bench.kit.render import encode

Row = dict[str, Any]
"""One line of labels.jsonl: file, category, kind ("line" or "page"), lines (reading order)."""


@dataclass(frozen=True)
class Rendered:
    """One finished image and how to store it."""

    pixels: np.ndarray  # HxWx3 RGB, float or uint8
    lines: tuple[str, ...]
    fmt: str = "png"  # "png" or "jpg"
    quality: int = 92


def save_image(rendered: Rendered, path: Path) -> None:
    image = to_image(rendered.pixels)
    if rendered.fmt == "jpg":
        path.write_bytes(encode(image, "JPEG", quality=rendered.quality))
    else:
        path.write_bytes(encode(image, "PNG", optimize=False))


def store(rendered: Rendered, out_dir: Path, stem: str, category: str, kind: str) -> Row:
    for line in rendered.lines:
        check_charset(line)
    name = f"{stem}.{rendered.fmt}"
    save_image(rendered, out_dir / name)
    return {"file": name, "category": category, "kind": kind, "lines": list(rendered.lines)}


def write_labels(out_dir: Path, rows: Iterable[Row], append: bool = False) -> None:
    with (out_dir / "labels.jsonl").open("a" if append else "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_labels(data_dir: Path) -> list[Row]:
    with (data_dir / "labels.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
