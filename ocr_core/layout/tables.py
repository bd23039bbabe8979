"""Tables of a page: where they are, their rows, columns and merged cells, and each cell's lines.

Geometric, from two things already at hand: the page's ruling lines (`rules`) and the boxes
of the lines read. A set of crossing horizontal and vertical rules is a ruled table; a run of
three or more text rows that each hold two or more short lines is a table too (rules drawn
only across, booktabs style, or none at all), its columns where the text leaves gaps. The
grid of each region comes from `table_grid`. Cell text is the lines already read, so no pixel
is read twice. A tilted page is turned upright in coordinates first (the skew of its lines),
and cell boxes are turned back, so they sit on the page's pixels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr_core.geometry import Box, Rect, rect_of, union
from ocr_core.layout.rows import rows_of
from ocr_core.layout.rules import Rule, find_rules, ink_mask
from ocr_core.layout.table_grid import Grid, build_grid
from ocr_core.layout.upright import Frame, skew
from ocr_core.lines import TextLine

H_RULE = 2.0
"""A horizontal rule is at least this many text heights long."""
V_RULE = 1.1
"""A vertical rule is at least this many text heights long (one row of a table)."""
TOUCH = 0.3
"""A horizontal and a vertical rule this many text heights apart (or less) meet."""
RULE_REACH = 0.5
"""A rule this many text heights outside a region still belongs to its table."""
CELL_RATIO = 8.0
"""A line at least this many heights long is running text, never a cell of an unruled table."""
ROW_GAP = 2.5
"""Rows of one unruled table are at most this many text heights apart."""
MIN_ROWS = 3
"""Fewest text rows of an unruled table (a header and two rows)."""
NUMBER = re.compile(r"^[\s\d.,:%()$¥￥+\-/]+$")


@dataclass(frozen=True)
class TableCellLayout:
    row: int
    col: int
    row_span: int
    col_span: int
    box: Box
    lines: tuple[int, ...]
    """Indices into the page's lines, in reading order."""


@dataclass(frozen=True)
class TableLayout:
    box: Box
    rows: int
    cols: int
    header_rows: int
    cells: tuple[TableCellLayout, ...]

    @property
    def lines(self) -> tuple[int, ...]:
        """The table's lines read row by row, each cell's lines together."""
        return tuple(i for cell in self.cells for i in cell.lines)


@dataclass(frozen=True)
class PageLayout:
    """What finding tables needs of a page, in its upright frame: line rects, text height, rules,
    and the table regions (ruled ones first, then text ones)."""

    frame: Frame
    rects: tuple[Rect, ...]
    unit: float
    h_rules: tuple[Rule, ...]
    v_rules: tuple[Rule, ...]
    regions: tuple[Rect, ...]

    def members(self, region: Rect) -> list[int]:
        return _inside(region, self.rects)


def page_layout(image: np.ndarray, lines: Sequence[TextLine]) -> PageLayout | None:
    """None when the page has too few lines to hold a table."""
    if len(lines) < 2 * MIN_ROWS:
        return None
    height, width = image.shape[:2]
    frame = Frame(skew(lines), (width / 2, height / 2))
    rects = [rect_of(frame.to_upright(_ink_box(line))) for line in lines]
    unit = float(np.median([r.height for r in rects]))
    ink = ink_mask(image)
    h_rules = [frame.rule(r) for r in find_rules(ink, H_RULE * unit, True)]
    v_rules = [frame.rule(r) for r in find_rules(ink, V_RULE * unit, False)]
    regions = ruled_regions(h_rules, v_rules, unit)
    taken = {i for region in regions for i in _inside(region, rects)}
    regions += text_regions([i for i in range(len(rects)) if i not in taken], rects, unit)
    regions.sort(key=lambda r: r.top)
    return PageLayout(frame, tuple(rects), unit, tuple(h_rules), tuple(v_rules), tuple(regions))


def _ink_box(line: TextLine) -> np.ndarray:
    """The line's box, narrowed to its characters when it has them: the detector's box reaches
    about half a line height past the ink on each side, which closes narrow column gaps."""
    box = np.asarray(line.box, dtype=np.float64)
    if not line.chars:
        return box
    xs = np.concatenate([np.asarray(char.box, dtype=np.float64)[:, 0] for char in line.chars])
    box[:, 0] = np.clip(box[:, 0], xs.min(), xs.max())
    return box


def find_tables(image: np.ndarray, lines: Sequence[TextLine]) -> list[TableLayout]:
    """The tables of one page, top to bottom; `lines` are its lines (any order), cells index them."""
    page = page_layout(image, lines)
    if page is None:
        return []
    tables = []
    for region in page.regions:
        members = page.members(region)
        h, v = _near(page.h_rules, region, page.unit), _near(page.v_rules, region, page.unit)
        grid = build_grid(region, h, v, [page.rects[i] for i in members], page.unit)
        if grid.rows >= 2 and grid.cols >= 2:
            texts = [lines[i].text for i in members]
            tables.append(_layout(grid, region, members, texts, page.frame))
    return tables


def _near(rules: Sequence[Rule], region: Rect, unit: float) -> list[Rule]:
    """Rules inside the region that run along a good part of it, and rules up to RULE_REACH
    outside it that run along nearly all of it (a booktabs rule just outside its text, not a
    footnote rule under the table)."""
    found = []
    for rule in rules:
        low, high = (region.left, region.right) if rule.horizontal else (region.top, region.bottom)
        near, far = (region.top, region.bottom) if rule.horizontal else (region.left, region.right)
        shared = min(rule.end, high) - max(rule.start, low)
        position = rule.at((low + high) / 2)
        if near <= position <= far:
            if shared >= 0.3 * min(rule.length, high - low):
                found.append(rule)
        elif near - RULE_REACH * unit < position < far + RULE_REACH * unit and shared >= 0.8 * (high - low):
            found.append(rule)
    return found


def _inside(region: Rect, rects: Sequence[Rect]) -> list[int]:
    return [
        i
        for i, r in enumerate(rects)
        if region.left <= (r.left + r.right) / 2 <= region.right
        and region.top <= (r.top + r.bottom) / 2 <= region.bottom
    ]


def ruled_regions(h_rules: Sequence[Rule], v_rules: Sequence[Rule], unit: float) -> list[Rect]:
    """Rectangles around sets of crossing rules with at least two of each direction."""
    rules = list(h_rules) + list(v_rules)
    parent = list(range(len(rules)))

    def root(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for i, h in enumerate(h_rules):
        for j, v in enumerate(v_rules, start=len(h_rules)):
            x, y = v.at(h.at((h.start + h.end) / 2)), h.at(v.at((v.start + v.end) / 2))
            reach = TOUCH * unit
            if h.start - reach <= x <= h.end + reach and v.start - reach <= y <= v.end + reach:
                parent[root(j)] = root(i)
    groups: dict[int, list[Rule]] = {}
    for k, rule in enumerate(rules):
        groups.setdefault(root(k), []).append(rule)
    regions = []
    for group in groups.values():
        across = [r for r in group if r.horizontal]
        down = [r for r in group if not r.horizontal]
        if len(across) >= 2 and len(down) >= 2:
            regions.append(
                Rect(
                    min(_lowest(r) for r in down),
                    min(_lowest(r) for r in across),
                    max(_highest(r) for r in down),
                    max(_highest(r) for r in across),
                )
            )
    return regions


def _lowest(rule: Rule) -> float:
    return min(rule.at(rule.start), rule.at(rule.end))


def _highest(rule: Rule) -> float:
    return max(rule.at(rule.start), rule.at(rule.end))


def text_regions(free: Sequence[int], rects: Sequence[Rect], unit: float) -> list[Rect]:
    """Runs of at least MIN_ROWS close text rows that each hold two or more short lines."""
    regions: list[Rect] = []
    run: list[list[int]] = []
    for row in [*rows_of(free, rects), []]:
        cells = len(row) >= 2 and all(rects[i].width < CELL_RATIO * rects[i].height for i in row)
        close = bool(run) and bool(row) and _top(row, rects) - _bottom(run[-1], rects) <= ROW_GAP * unit
        if cells and (close or not run):
            run.append(row)
            continue
        if len(run) >= MIN_ROWS:
            bounds = union(rects[i] for r in run for i in r)
            pad = 0.25 * unit
            regions.append(Rect(bounds.left - pad, bounds.top - pad, bounds.right + pad, bounds.bottom + pad))
        run = [row] if cells else []
    return regions


def _top(row: Sequence[int], rects: Sequence[Rect]) -> float:
    return min(rects[i].top for i in row)


def _bottom(row: Sequence[int], rects: Sequence[Rect]) -> float:
    return max(rects[i].bottom for i in row)


def _layout(
    grid: Grid, region: Rect, members: Sequence[int], texts: Sequence[str], frame: Frame
) -> TableLayout:
    cells = tuple(
        TableCellLayout(
            cell.row,
            cell.col,
            cell.row_span,
            cell.col_span,
            frame.box(cell.rect),
            tuple(members[i] for i in cell.lines),
        )
        for cell in grid.cells
    )
    return TableLayout(frame.box(region), grid.rows, grid.cols, header_rows(grid, texts), cells)


def header_rows(grid: Grid, texts: Sequence[str]) -> int:
    """Rows of the header: down to the first rule of a sparsely ruled table, else what
    `first_row_header` says of the first row."""
    inner = [k for k, edge in enumerate(grid.row_edges[1:-1], start=1) if edge.rules]
    if inner and len(inner) < grid.rows - 1 and inner[0] <= 2:
        return inner[0]
    first = [(c.row_span, c.col_span, " ".join(texts[i] for i in c.lines)) for c in grid.cells if c.row == 0]
    return first_row_header(first)


def first_row_header(first: Sequence[tuple[int, int, str]]) -> int:
    """Header rows from the first row's cells (row span, column span, text): the first row (and
    what its tall cells cover) when it groups columns or all its cells hold words, else none."""
    spanning = any(rows > 1 or cols > 1 for rows, cols, _ in first)
    if spanning or all(text and not NUMBER.match(text) for *_, text in first):
        return max(rows for rows, _, _ in first)
    return 0
