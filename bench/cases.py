"""Benchmark images with their ground truth, rendered deterministically with Pillow and Debian fonts.

Why render: the bench must run on a fresh clone with no downloads, and accuracy needs exact
ground truth. Every image is a pure function of its name (the random generators are seeded per
case), so two runs measure the same pixels. Only Pillow and numpy are used, so the cases can be
rendered in our own virtualenv and read as plain files by both engines' workers.

    python -m bench.cases OUT_DIR     # render every case and write OUT_DIR/cases.json

Groups of cases:
- ``line``: ~20 tight single-line crops (Chinese, English, mixed; short and long);
- ``page``: a 1080p document, an A4 300 dpi invoice scan, a photo-like street sign and a
  handwriting-style note;
- ``mp``: the same document rendered at 0.5, 1, 2, 4 and 8 megapixels (time vs image size);
- ``lines``: one A4 page holding 5, 10, 20, 40 or 80 short lines (time vs amount of text).

Images are drawn in `bench/case_images.py` from the texts in `bench/case_texts.py`.
"""

from __future__ import annotations

import argparse
import json
import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from PIL import Image

from bench.case_images import (
    LINE_COUNTS,
    document,
    handwriting_note,
    invoice,
    invoice_layout,
    line_crop,
    line_list_page,
    street_sign,
)
from bench.case_texts import DOCUMENT_BODY, DOCUMENT_TITLE, HANDWRITING_LINES, LINE_TEXTS, SIGN_LINES
from bench.kit import fonts
from bench.kit import render as kit_render

MEGAPIXELS = (0.5, 1.0, 2.0, 4.0, 8.0)
RENDERING_SOURCES = (
    *(Path(__file__).with_name(name) for name in ("cases.py", "case_images.py", "case_texts.py")),
    Path(fonts.__file__ or ""),
    Path(kit_render.__file__ or ""),
)
"""The code that decides the pixels: a change to any of it renders the cases again."""


@dataclass(frozen=True)
class Case:
    """One image on disk and the text lines it shows, in reading order."""

    name: str
    group: str  # line | page | mp | lines
    file: str  # relative to the cases folder
    lines: tuple[str, ...]
    width: int
    height: int
    x: float = 0.0  # the scaling variable: megapixels (group mp) or line count (group lines)

    @property
    def mode(self) -> str:
        """How both engines are asked to read it: recognition only for crops, detection otherwise."""
        return "line" if self.group == "line" else "page"


def encode(image: Image.Image, fmt: str) -> bytes:
    if fmt == "jpg":
        return kit_render.encode(image, "JPEG", quality=90, subsampling=0)
    return kit_render.encode(image, "PNG", compress_level=3)


def page_image(render: Callable[[int], tuple[Image.Image, list[str]]], count: int) -> Image.Image:
    return render(count)[0]


@dataclass(frozen=True)
class Spec:
    """A case before it is drawn: what to call it and how to draw it."""

    name: str
    group: str
    fmt: str  # png | jpg
    draw: Callable[[], Image.Image]
    lines: Sequence[str]
    x: float = 0.0


def specs() -> list[Spec]:
    """Every case, in the order of cases.json."""
    body = [DOCUMENT_TITLE, *DOCUMENT_BODY]
    items = [Spec(f"line_{n}", "line", "png", partial(line_crop, n, s, t), [t]) for n, s, t in LINE_TEXTS]
    invoice_lines = [text for _, _, text, _ in invoice_layout()]
    note = partial(handwriting_note, "page_handwriting")
    items += [
        Spec("page_document_1080p", "page", "png", partial(document, "page_document_1080p", 1.0), body),
        Spec("page_invoice_a4", "page", "jpg", partial(invoice, "page_invoice_a4"), invoice_lines),
        Spec("page_street_sign", "page", "jpg", partial(street_sign, "page_street_sign"), SIGN_LINES),
        Spec("page_handwriting", "page", "jpg", note, HANDWRITING_LINES),
    ]
    for mp in MEGAPIXELS:
        scale = math.sqrt(mp * 1e6 / (1920 * 1080))
        items.append(Spec(f"mp_{mp:g}", "mp", "png", partial(document, f"mp_{mp:g}", scale), body, mp))
    for count in LINE_COUNTS:
        lines = line_list_page(count)[1]
        draw = partial(page_image, line_list_page, count)
        items.append(Spec(f"lines_{count}", "lines", "png", draw, lines, count))
    return items


def build(out_dir: Path) -> list[Case]:
    """Render every case into `out_dir` and return the list.

    Images already there are reused when they came from this very version of the code that draws
    them (a stamp of its source), so repeated bench runs skip the ~10 s of rendering.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    source = b"".join(path.read_bytes() for path in RENDERING_SOURCES)
    stamp_file, stamp = out_dir / ".stamp", f"{zlib.crc32(source):08x}"
    if not stamp_file.exists() or stamp_file.read_text() != stamp:
        for old in out_dir.glob("*.*"):
            old.unlink()
        stamp_file.write_text(stamp)
    cases: list[Case] = []
    for spec in specs():
        path = out_dir / f"{spec.name}.{spec.fmt}"
        if path.exists():
            with Image.open(path) as existing:
                size = existing.size
        else:
            image = spec.draw()
            path.write_bytes(encode(image, spec.fmt))
            size = image.size
        cases.append(Case(spec.name, spec.group, path.name, tuple(spec.lines), size[0], size[1], spec.x))
    (out_dir / "cases.json").write_text(
        json.dumps([asdict(case) for case in cases], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return cases


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    for case in build(args.out_dir):
        print(f"{case.file:34s} {case.width}x{case.height} {len(case.lines)} lines")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
