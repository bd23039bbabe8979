"""Page layout: lines grouped into blocks (paragraphs, columns, cells), blocks put in reading order.

Blocks first: a line joins the line right below it when they are close (gap under a line
height), of similar height, overlapping horizontally, and nothing else sits under it (a heading
over two columns stays apart). A new block starts at a first-line indent or after a line that
ends well short of the next (a paragraph's last line). Short lines that share their row with
others (table cells, label/value pairs) stay single: a table reads row by row.

Then order, by recursive XY-cut on the blocks: split at a horizontal gap that crosses the whole
region (title above columns, rows of a table), else at a vertical gap (columns, left to right),
else read the region by rows. Pages of vertical Chinese columns are turned a quarter first, so
columns read right to left and each top to bottom; upside-down pages are turned over.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ocr_core.result import Box, TextLine

ROW_OVERLAP = 0.5
"""Two lines share a row when their vertical extents overlap by this share of the smaller height."""

LAYOUTS = ("lines", "paragraphs", "single_line", "none")
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
CUT_SLACK = 0.2
"""Boxes of neighbouring rows may overlap by this share of a height and still be cut apart."""


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Arranged:
    """One page's lines in reading order (with `end` set) and its blocks as indices into them."""

    lines: tuple[TextLine, ...]
    blocks: tuple[tuple[int, ...], ...]


def arrange(
    lines: Sequence[TextLine], layout: str, width: int, height: int, upside_down: bool = False
) -> Arranged:
    """Order one page's lines (given in detection order) and set their `end` for `layout`."""
    if not lines:
        return Arranged((), ())
    rects = [_frame(rect_of(line.box), width, height, upside_down) for line in lines]
    if sum(r.height >= 1.5 * r.width for r in rects) * 2 > len(rects):
        rects = [Rect(r.top, width - r.right, r.bottom, width - r.left) for r in rects]  # columns -> rows
    groups = group_blocks(rects)
    if layout == "none":
        order = list(range(len(lines)))
    else:
        groups = order_blocks(groups, rects)
        order = [index for group in groups for index in group]
    position = {index: slot for slot, index in enumerate(order)}
    block_of = {index: number for number, group in enumerate(groups) for index in group}
    ordered = [lines[index] for index in order]
    ends = []
    for slot, index in enumerate(order):
        following = order[slot + 1] if slot + 1 < len(order) else None
        same_block = following is not None and block_of[following] == block_of[index]
        ends.append(
            _end(
                layout, lines[index].text, lines[following].text if following is not None else "", same_block
            )
        )
    arranged = tuple(replace(line, end=end) for line, end in zip(ordered, ends, strict=True))
    blocks = tuple(tuple(sorted(position[i] for i in group)) for group in groups)
    return Arranged(arranged, tuple(sorted(blocks)))


def rect_of(box: Box | np.ndarray) -> Rect:
    points = np.asarray(box, dtype=np.float64)
    return Rect(points[:, 0].min(), points[:, 1].min(), points[:, 0].max(), points[:, 1].max())


def box_around(boxes: Iterable[Box | np.ndarray]) -> Box:
    """The axis-aligned rectangle around the boxes (of lines, words, characters), clockwise from top-left."""
    points = np.concatenate([np.asarray(box, dtype=np.float64) for box in boxes])
    left, top = points.min(axis=0)
    right, bottom = points.max(axis=0)
    return (
        (round(left), round(top)),
        (round(right), round(top)),
        (round(right), round(bottom)),
        (round(left), round(bottom)),
    )


def joiner(before: str, after: str) -> str:
    """What joins two lines of one paragraph: nothing between CJK text or after a hyphenated word."""
    if not before or not after:
        return ""
    if _wide(before[-1]) or _wide(after[0]):
        return ""
    if before.endswith("-") and len(before) > 1 and before[-2].isalpha():
        return ""
    return " "


def _end(layout: str, text: str, following: str, same_block: bool) -> str:
    if layout == "single_line" or (layout == "paragraphs" and same_block):
        return joiner(text, following) if following else " "
    return "\n"


def _frame(rect: Rect, width: int, height: int, upside_down: bool) -> Rect:
    if not upside_down:
        return rect
    return Rect(width - rect.right, height - rect.bottom, width - rect.left, height - rect.top)


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
        if under > 1 or len(over) > 1 or cell[lower] or not _stacked(rect, rects[lower]):
            continue
        if not _starts_paragraph(rect, rects[lower]):
            parent[root(lower)] = root(upper)
    groups: dict[int, list[int]] = {}
    for index in range(count):
        groups.setdefault(root(index), []).append(index)
    return [_row_order(group, rects) for group in groups.values()]


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
    bounds = [_union([rects[i] for i in group]) for group in groups]
    return [groups[k] for k in _xy_cut(list(range(len(groups))), bounds)]


def _xy_cut(items: list[int], bounds: Sequence[Rect]) -> list[int]:
    if len(items) <= 1:
        return items
    for vertical_gap in (False, True):
        parts = _split(items, bounds, vertical_gap)
        if len(parts) > 1:
            return [k for part in parts for k in _xy_cut(part, bounds)]
    return _row_order(items, bounds)


def _split(items: list[int], bounds: Sequence[Rect], vertical_gap: bool) -> list[list[int]]:
    """Items cut at every gap that crosses the region (a vertical gap: columns; else rows)."""

    def span(k: int) -> tuple[float, float]:
        r = bounds[k]
        return (r.left, r.right) if vertical_gap else (r.top, r.bottom)

    parts: list[list[int]] = []
    reach = -np.inf
    for k in sorted(items, key=lambda k: span(k)[0]):
        start, end = span(k)
        if parts and start < reach - CUT_SLACK * (end - start):
            parts[-1].append(k)
        else:
            parts.append([k])
        reach = max(reach, end) if len(parts[-1]) > 1 else end
    return parts


def _row_order(items: Sequence[int], rects: Sequence[Rect]) -> list[int]:
    return [index for row in rows_of(items, rects) for index in row]


def rows_of(items: Iterable[int], rects: Sequence[Rect]) -> list[list[int]]:
    """Items grouped into rows, top to bottom, each left to right (columns of vertical text right
    to left). A sweep by vertical centre, comparing each line with the row being built, so pages
    of thousands of lines cost O(n log n)."""
    rows: list[list[int]] = []
    extent = (0.0, 0.0)
    for index in sorted(items, key=lambda i: (rects[i].top + rects[i].bottom) / 2):
        rect = rects[index]
        if rows:
            overlap = min(rect.bottom, extent[1]) - max(rect.top, extent[0])
            if overlap >= ROW_OVERLAP * min(rect.height, extent[1] - extent[0]):
                rows[-1].append(index)
                extent = (min(extent[0], rect.top), max(extent[1], rect.bottom))
                continue
        rows.append([index])
        extent = (rect.top, rect.bottom)
    return [_sorted_row(row, rects) for row in rows]


def _sorted_row(row: list[int], rects: Sequence[Rect]) -> list[int]:
    vertical = len(row) > 1 and all(rects[i].height >= 1.5 * rects[i].width for i in row)
    return sorted(row, key=lambda i: rects[i].left, reverse=vertical)


def _union(rects: Sequence[Rect]) -> Rect:
    return Rect(
        min(r.left for r in rects),
        min(r.top for r in rects),
        max(r.right for r in rects),
        max(r.bottom for r in rects),
    )


def _wide(char: str) -> bool:
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
    )
