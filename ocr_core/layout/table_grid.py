"""One table region -> its grid: row and column edges, merged cells, and the lines of each cell.

Edges come from ruling lines where the table has them and from the text where it does not:
columns split where no line of any row crosses (allowing one row to cross on taller tables,
a heading over a column group), rows split between text rows when every text row of a band
holds two cells or more (a wrapped cell's second line stays in its row). A grid cell joins
its neighbour where the rule between them is missing over most of their common side (ruled
tables) or where a line runs across their edge (unruled ones). Everything here is in the
table's upright frame (`tables` turns a tilted page), so edges are plain coordinates.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr_core.geometry import Rect
from ocr_core.layout.rows import rows_of
from ocr_core.layout.rules import Rule

RULE_MERGE = 0.4
"""Rules closer than this many text heights are one grid line (a double or thick rule)."""
RULE_COVER = 0.5
"""A cell side counts as ruled when rules cover this share of it; else the cells merge."""
MIN_GAP = 0.4
"""A column gap of the text is at least this many text heights wide."""
SPAN_REACH = 0.5
"""A line crossing a text-made edge by this many text heights on both sides spans the cells."""


@dataclass(frozen=True)
class Edge:
    """A grid line at `position`, with the rules that draw it (none when the text made it)."""

    position: float
    rules: tuple[Rule, ...] = ()

    def covers(self, low: float, high: float) -> bool:
        covered = sum(max(0.0, min(r.end, high) - max(r.start, low)) for r in self.rules)
        return covered >= RULE_COVER * (high - low)


@dataclass(frozen=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    rect: Rect
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Grid:
    rows: int
    cols: int
    cells: tuple[GridCell, ...]
    row_edges: tuple[Edge, ...]


def rule_edges(rules: Sequence[Rule], middle: float, unit: float) -> list[Edge]:
    """Rules of one direction clustered into grid lines, by their position at the table's middle."""
    edges: list[list[Rule]] = []
    for rule in sorted(rules, key=lambda r: r.at(middle)):
        if edges and rule.at(middle) - edges[-1][-1].at(middle) < RULE_MERGE * unit:
            edges[-1].append(rule)
        else:
            edges.append([rule])
    return [Edge(float(np.mean([r.at(middle) for r in group])), tuple(group)) for group in edges]


def text_gaps(spans: Sequence[tuple[float, float, int]], unit: float) -> list[float]:
    """Middles of the gaps between text that no row crosses, or (tables of four rows or more)
    that one line spans from well inside the text on each side; spans are (start, end, row).

    Only gaps with text on both sides count: the margin between a rule and its text is none."""
    gaps = _scan(spans, 0, unit)
    if len({row for *_, row in spans}) >= 4:
        for low, high in _scan(spans, 1, unit):
            clear = all(high <= a or low >= b for a, b in gaps)
            if clear and _spanned(spans, low, high, unit):
                gaps.append((low, high))
    return sorted((low + high) / 2 for low, high in gaps)


def _scan(
    spans: Sequence[tuple[float, float, int]], allowance: int, unit: float
) -> list[tuple[float, float]]:
    """Intervals at least MIN_GAP wide that at most `allowance` rows cross."""
    cuts = sorted({v for s, e, _ in spans for v in (s, e)})
    gaps: list[tuple[float, float]] = []
    open_at: float | None = None
    for left, right in itertools.pairwise(cuts):
        middle = (left + right) / 2
        if len({row for s, e, row in spans if s < middle < e}) <= allowance:
            open_at = left if open_at is None else open_at
            continue
        if open_at is not None and left - open_at >= MIN_GAP * unit:
            gaps.append((open_at, left))
        open_at = None
    return gaps


def _spanned(spans: Sequence[tuple[float, float, int]], low: float, high: float, unit: float) -> bool:
    """Whatever crosses the gap [low, high] reaches well into the text on both sides (a heading
    over a column group), rather than starting or ending inside it (a centred word)."""
    reach = SPAN_REACH * unit
    return all(s <= low - reach and e >= high + reach for s, e, _ in spans if s < high and e > low)


def column_edges(rect: Rect, rules: Sequence[Rule], rects: Sequence[Rect], unit: float) -> list[Edge]:
    middle = (rect.top + rect.bottom) / 2
    edges = rule_edges(rules, middle, unit)
    bounds = [rect.left] + [e.position for e in edges] + [rect.right]
    rows = rows_of(range(len(rects)), rects)
    row_of = {i: n for n, row in enumerate(rows) for i in row}
    made: list[Edge] = []
    for low, high in itertools.pairwise(bounds):
        inside = [(r.left, r.right, row_of[i]) for i, r in enumerate(rects) if low < _mid_x(r) < high]
        made += [Edge(x) for x in text_gaps(inside, unit)]
    edges = sorted(edges + made, key=lambda e: e.position)
    return _with_borders(edges, rect.left, rect.right, unit)


def row_edges(
    rect: Rect, rules: Sequence[Rule], rects: Sequence[Rect], cols: Sequence[Edge], unit: float
) -> list[Edge]:
    middle = (rect.left + rect.right) / 2
    edges = rule_edges(rules, middle, unit)
    bounds = [rect.top] + [e.position for e in edges] + [rect.bottom]
    made: list[Edge] = []
    col_cuts = [e.position for e in cols]
    for low, high in itertools.pairwise(bounds):
        rows = rows_of([i for i, r in enumerate(rects) if low < _mid_y(r) < high], rects)
        columns = [{bisect.bisect(col_cuts, _mid_x(rects[i])) for i in row} for row in rows]
        every = set().union(*columns) if columns else set()
        for (upper, above), (lower, below) in itertools.pairwise(zip(rows, columns, strict=True)):
            bottom = max(rects[i].bottom for i in upper)
            top = min(rects[i].top for i in lower)
            # Two text rows are two table rows when both hold 2+ cells and either a real gap
            # parts them or both fill every column of the band (tightly set rows); a wrapped
            # cell's next line, or cells spanning the rows beside them, fill only some columns.
            if min(len(above), len(below)) >= 2 and (top > bottom or above == below == every):
                made.append(Edge((max(bottom, top) + min(bottom, top)) / 2))
    edges = sorted(edges + made, key=lambda e: e.position)
    return _with_borders(edges, rect.top, rect.bottom, unit)


def _with_borders(edges: list[Edge], low: float, high: float, unit: float) -> list[Edge]:
    """Edges inside [low, high] with an edge at each end (the region's border if no rule is there)."""
    inner = [e for e in edges if low - unit < e.position < high + unit]
    if not inner or inner[0].position - low > RULE_MERGE * unit:
        inner.insert(0, Edge(low))
    if high - inner[-1].position > RULE_MERGE * unit:
        inner.append(Edge(high))
    return inner


def _mid_x(r: Rect) -> float:
    return (r.left + r.right) / 2


def _mid_y(r: Rect) -> float:
    return (r.top + r.bottom) / 2


class Merges:
    """Grid slots (row * cols + col) joined into cells: union-find kept rectangular."""

    def __init__(self, rows: int, cols: int):
        self.rows, self.cols = rows, cols
        self.parent = list(range(rows * cols))

    def root(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a: int, b: int) -> None:
        self.parent[self.root(b)] = self.root(a)

    def rectangles(self) -> dict[int, tuple[int, int, int, int]]:
        """Each group as (first row, first col, last row, last col), after growing every group
        to the rectangle around it (an L-shaped merge becomes its bounding box)."""
        while True:
            boxes: dict[int, list[int]] = {}
            for k in range(self.rows * self.cols):
                r, c = divmod(k, self.cols)
                box = boxes.setdefault(self.root(k), [r, c, r, c])
                box[:] = [min(box[0], r), min(box[1], c), max(box[2], r), max(box[3], c)]
            changed = False
            for key, (r0, c0, r1, c1) in boxes.items():
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        if self.root(r * self.cols + c) != self.root(key):
                            self.join(key, r * self.cols + c)
                            changed = True
            if not changed:
                return {key: (b[0], b[1], b[2], b[3]) for key, b in boxes.items()}


def build_grid(
    rect: Rect, h_rules: Sequence[Rule], v_rules: Sequence[Rule], rects: Sequence[Rect], unit: float
) -> Grid:
    """The grid of a region whose lines are `rects` (indices into it are the cells' lines)."""
    cols = column_edges(rect, v_rules, rects, unit)
    rows = row_edges(rect, h_rules, rects, cols, unit)
    merges = Merges(len(rows) - 1, len(cols) - 1)
    n_rows, n_cols = merges.rows, merges.cols
    for r in range(n_rows):
        for c in range(n_cols):
            top, bottom = rows[r].position, rows[r + 1].position
            left, right = cols[c].position, cols[c + 1].position
            if c + 1 < n_cols and cols[c + 1].rules and not cols[c + 1].covers(top, bottom):
                merges.join(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and rows[r + 1].rules and not rows[r + 1].covers(left, right):
                merges.join(r * n_cols + c, (r + 1) * n_cols + c)
    xs, ys = [e.position for e in cols], [e.position for e in rows]
    slots: dict[int, list[int]] = {}
    for index, line in enumerate(rects):
        r = _slot(ys, _mid_y(line), n_rows)
        first, last = (
            _slot(xs, line.left + SPAN_REACH * unit, n_cols),
            _slot(xs, line.right - SPAN_REACH * unit, n_cols),
        )
        for c in range(first, last):  # a line across a text-made edge spans those columns
            if not cols[c + 1].rules:
                merges.join(r * n_cols + first, r * n_cols + c + 1)
        slots.setdefault(r * n_cols + _slot(xs, _mid_x(line), n_cols), []).append(index)
    cells = []
    for key, (r0, c0, r1, c1) in sorted(merges.rectangles().items(), key=lambda kv: kv[1][:2]):
        members = [i for k, lines in slots.items() if merges.root(k) == key for i in lines]
        ordered = tuple(i for row in rows_of(members, rects) for i in row)
        box = Rect(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, box, ordered))
    return Grid(n_rows, n_cols, tuple(cells), tuple(rows))


def _slot(edges: Sequence[float], value: float, count: int) -> int:
    """Index of the band between `edges` that holds `value`, clamped to the grid."""
    return min(max(bisect.bisect(edges, value) - 1, 0), count - 1)
