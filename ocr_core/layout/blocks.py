"""Blocks: lines grouped into paragraphs, columns and cells, and blocks put in reading order.

A line joins the line right below it when they are close (gap under a line height), of similar
height, overlapping horizontally, nothing else sits under it (a heading over two columns stays
apart), and no column starts or ends beside them (`_column_edge`). A new block starts at a
first-line indent or after a line that ends well short of the next (a paragraph's last line).
Short lines that share their row with others (table cells, label/value pairs) stay single: a
table reads row by row.

Then order, by recursive XY-cut on the blocks: split at a horizontal gap that crosses the whole
region (title above columns, rows of a table), else at a vertical gap (columns, left to right),
else read the region by rows. Columns of running text win over a horizontal "gap" that is no
white space at all: two paragraphs that happen to end at one height in both columns (boxes
touching, no blank line) must not cut the columns into bands read across. Table columns are
not columns of text (their blocks are single cells), so a table still reads row by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from ocr_core.geometry import Rect, union
from ocr_core.layout.rows import rows_of

LINE_GAP = 1.0
"""Largest gap between two lines of one block, in line heights."""
HEIGHT_RATIO = 1.6
"""Lines of one block differ in height by at most this factor."""
INDENT = 1.0
"""A line indented this many line heights past the one above starts a paragraph."""
SHORT_END = 2.0
"""A line ending this many line heights before the next one ends its paragraph."""
TEXT_RATIO = 8.0
"""A line at least this many heights long is running text, not a table cell."""
PARAGRAPH = 3
"""Lines of a block that make it running text: columns holding such blocks are columns of text."""
WHITE_GAP = 0.5
"""A horizontal gap this share of a line height high is white space between bands of the page."""
FIELD_GAP = 4.0
"""Side-by-side short blocks at least this many line heights apart are form fields, not columns."""
CUT_SLACK = 0.2
"""Boxes of neighbouring rows may overlap by this share of a line height and still be cut apart
(a line height, not a block's: a tall paragraph must not pass over most of the line beside it)."""


def group_blocks(rects: Sequence[Rect]) -> list[list[int]]:
    """Blocks of line indices; each block's lines in row order."""
    count = len(rects)
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    rows = rows_of(range(count), rects)
    row_of = {index: number for number, row in enumerate(rows) for index in row}
    cell = [len(rows[row_of[i]]) > 1 and rects[i].width < TEXT_RATIO * rects[i].height for i in range(count)]
    left, top, right = (np.array([getattr(r, side) for r in rects]) for side in ("left", "top", "right"))
    row_ids = np.array([row_of[i] for i in range(count)])
    for upper in range(count):
        if cell[upper]:
            continue
        rect = rects[upper]
        # Lines further down that share some horizontal extent (vectorised: pages have 1000s of lines).
        below = (top >= rect.top + 0.5 * rect.height) & (
            np.minimum(right, rect.right) > np.maximum(left, rect.left)
        )
        below[upper] = False
        candidates = np.flatnonzero(below)
        if not candidates.size:
            continue
        lower = int(candidates[np.argmin(top[candidates])])  # the next line down, whatever it is
        under = int(np.count_nonzero(row_ids[candidates] == row_ids[lower]))
        over = [k for k in rows[row_of[upper]] if _overlap(rects[k], rects[lower]) > 0]
        edge = _column_edge(rows[row_of[upper]], rows[row_of[lower]], upper, lower, rects)
        if under > 1 or len(over) > 1 or cell[lower] or edge or not _stacked(rect, rects[lower]):
            continue
        if not _starts_paragraph(rect, rects[lower]):
            parent[root(lower)] = root(upper)
    groups: dict[int, list[int]] = {}
    for index in range(count):
        groups.setdefault(root(index), []).append(index)
    return _split_paired_fields([_row_order(group, rects) for group in groups.values()], rects, row_of)


def _split_paired_fields(
    blocks: list[list[int]], rects: Sequence[Rect], row_of: dict[int, int]
) -> list[list[int]]:
    """Blocks shorter than a paragraph that sit side by side line for line (each line in the same
    row as its partner) and far apart are label/value fields on a form, not two columns of text:
    a person reads them row by row (`开票日期` after `发票代码` on its right, then the next row), so
    their lines become blocks of one line each. Columns of text hold paragraphs of PARAGRAPH lines
    or more, and their gutter is narrower than FIELD_GAP."""
    by_rows: dict[tuple[int, ...], list[int]] = {}
    for number, block in enumerate(blocks):
        rows = tuple(row_of[i] for i in block)
        if 1 < len(rows) < PARAGRAPH and len(set(rows)) == len(rows):
            by_rows.setdefault(rows, []).append(number)
    paired: set[int] = set()
    for numbers in by_rows.values():
        bounds = sorted(
            ((union(rects[i] for i in blocks[n]), n) for n in numbers), key=lambda item: item[0].left
        )
        for (left, a), (right, b) in pairwise(bounds):
            height = max(rects[i].height for i in blocks[a] + blocks[b])
            if right.left - left.right >= FIELD_GAP * height:
                paired.update((a, b))
    split: list[list[int]] = []
    for number, block in enumerate(blocks):
        split.extend([[index] for index in block] if number in paired else [block])
    return split


def _column_edge(
    upper_row: Sequence[int], lower_row: Sequence[int], upper: int, lower: int, rects: Sequence[Rect]
) -> bool:
    """Columns start beside `lower` (a line of its row has nothing stacked over it) under a line
    alone in its row, or end beside `upper` over a line alone in its row. A heading of the first
    column does not run on into the full-width text above it, nor a full-width heading into the
    last lines of the first column; rows that merely fall out of step across the gutter do not
    count (their neighbours are stacked)."""
    mates_up = [k for k in upper_row if k != upper]
    mates_low = [k for k in lower_row if k != lower]
    if not mates_up and mates_low:
        return any(not _has_stacked(k, rects, above=True) for k in mates_low)
    if mates_up and not mates_low:
        return any(not _has_stacked(k, rects, above=False) for k in mates_up)
    return False


def _has_stacked(index: int, rects: Sequence[Rect], above: bool) -> bool:
    """Some line sits right above (or below) line `index`, within a line gap, overlapping it."""
    rect = rects[index]
    left, top, right, bottom = _sides(rects)
    height = np.maximum(bottom - top, rect.height)
    gap = rect.top - bottom if above else top - rect.bottom
    beyond = (top + bottom < rect.top + rect.bottom) if above else (top + bottom > rect.top + rect.bottom)
    near = (gap >= -0.5 * rect.height) & (gap <= LINE_GAP * height)
    overlapping = np.minimum(right, rect.right) > np.maximum(left, rect.left)
    return bool(np.any(beyond & near & overlapping))


def _sides(rects: Sequence[Rect]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    sides = ("left", "top", "right", "bottom")
    left, top, right, bottom = (np.array([getattr(r, side) for r in rects]) for side in sides)
    return left, top, right, bottom


def _stacked(upper: Rect, lower: Rect) -> bool:
    """`lower`, the next line under `upper`, continues it: close, similar height, well overlapping."""
    small, large = sorted((upper.height, lower.height))
    if small <= 0 or large / small > HEIGHT_RATIO or lower.top - upper.bottom > LINE_GAP * large:
        return False
    return _overlap(upper, lower) >= 0.5 * min(upper.width, lower.width)


def _overlap(a: Rect, b: Rect) -> float:
    return min(a.right, b.right) - max(a.left, b.left)


def _starts_paragraph(upper: Rect, lower: Rect) -> bool:
    height = max(upper.height, lower.height)
    indented = lower.left - upper.left > INDENT * height
    upper_ends_short = upper.right < lower.right - SHORT_END * height
    return indented or upper_ends_short


def order_blocks(groups: list[list[int]], rects: Sequence[Rect]) -> list[list[int]]:
    bounds = [union(rects[i] for i in group) for group in groups]
    line = float(np.median([min(r.height, r.width) for r in rects])) if rects else 0.0
    sizes = [len(group) for group in groups]
    return [groups[k] for k in _xy_cut(list(range(len(groups))), bounds, line, sizes)]


def _xy_cut(items: list[int], bounds: Sequence[Rect], line: float, sizes: Sequence[int]) -> list[int]:
    if len(items) <= 1:
        return items
    columns = _split(items, bounds, True, -CUT_SLACK * line)
    text_columns = sum(any(sizes[k] >= PARAGRAPH for k in part) for part in columns) > 1
    for parts in (
        _split(items, bounds, False, WHITE_GAP * line),
        columns if text_columns else [],
        _split(items, bounds, False, -CUT_SLACK * line),
        columns,
    ):
        if len(parts) > 1:
            return [k for part in parts for k in _xy_cut(part, bounds, line, sizes)]
    return _row_order(items, bounds)


def _split(items: list[int], bounds: Sequence[Rect], vertical_gap: bool, min_gap: float) -> list[list[int]]:
    """Items cut at every gap of at least `min_gap` (negative: an overlap) that crosses the region:
    a vertical gap between columns, else a horizontal one between bands."""

    def span(k: int) -> tuple[float, float]:
        r = bounds[k]
        return (r.left, r.right) if vertical_gap else (r.top, r.bottom)

    parts: list[list[int]] = []
    reach = -np.inf
    for k in sorted(items, key=lambda k: span(k)[0]):
        start, end = span(k)
        # An overlap allowance never exceeds a fifth of the item itself (a short word).
        if parts and start < reach + max(min_gap, -CUT_SLACK * (end - start)):
            parts[-1].append(k)
        else:
            parts.append([k])
        reach = max(reach, end) if len(parts[-1]) > 1 else end
    return parts


def _row_order(items: Sequence[int], rects: Sequence[Rect]) -> list[int]:
    return [index for row in rows_of(items, rects) for index in row]
