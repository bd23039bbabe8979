"""Lines that run across table columns, split where a column edge falls in one of their gaps.

The detector joins words that are close, so in a table set with narrow column gaps (under an
em or so) one detected line holds a whole row: "Lamp  2  19.50". Its characters' boxes (CTC
positions) still show the gaps. Every line is cut at gaps wider than SPLIT_GAP line heights
(word spaces are narrower), tables are found from the pieces, and then the pieces of a line
that fall in one cell, or outside every table, are joined back: a line ends up split exactly
where a column edge of a table crosses it, and lines outside tables stay as read.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ocr_core.geometry import box_around, rect_of
from ocr_core.layout.tables import TableLayout, find_tables
from ocr_core.lines import TextLine

SPLIT_GAP = 0.5
"""A gap between two characters this many line heights wide may be a column edge."""


@dataclass(frozen=True)
class Piece:
    """Characters `first`..`last` (counting non-space characters) of line `source`."""

    source: int
    first: int
    last: int


def pieces_of(lines: Sequence[TextLine]) -> list[Piece]:
    pieces = []
    for index, line in enumerate(lines):
        chars = line.chars or ()
        rect = rect_of(line.box)
        if len(chars) < 2 or rect.is_vertical:
            pieces.append(Piece(index, 0, max(len(chars), 1) - 1))
            continue
        first = 0
        for k in range(1, len(chars)):
            gap = rect_of(chars[k].box).left - rect_of(chars[k - 1].box).right
            if gap > SPLIT_GAP * rect.height:
                pieces.append(Piece(index, first, k - 1))
                first = k
        pieces.append(Piece(index, first, len(chars) - 1))
    return pieces


def piece_line(line: TextLine, first: int, last: int) -> TextLine:
    """The part of `line` from its `first` to its `last` non-space character."""
    chars = line.chars or ()
    if first == 0 and last >= len(chars) - 1:
        return line
    part = chars[first : last + 1]
    where = [i for i, char in enumerate(line.text) if not char.isspace()]
    box = box_around(char.box for char in part)
    left, right = box[0][0], box[1][0]
    words = line.words
    if words is not None:
        words = tuple(w for w in words if left <= (rect_of(w.box).left + rect_of(w.box).right) / 2 <= right)
    text = line.text[where[first] : where[last] + 1]
    confidence = float(np.mean([char.confidence for char in part]))
    return replace(line, text=text, confidence=confidence, box=box, words=words, chars=part, end="\n")


def split_tables(image: np.ndarray, lines: Sequence[TextLine]) -> tuple[list[TextLine], list[TableLayout]]:
    """The page's lines (split where tables need it) and its tables, cells indexing those lines."""
    pieces = pieces_of(lines)
    if len(pieces) == len(lines):
        return list(lines), find_tables(image, lines)
    layouts = find_tables(image, [piece_line(lines[p.source], p.first, p.last) for p in pieces])
    cell_of = {
        k: (t, c) for t, table in enumerate(layouts) for c, cell in enumerate(table.cells) for k in cell.lines
    }
    final: list[TextLine] = []
    line_of: dict[int, int] = {}
    for source, group in itertools.groupby(range(len(pieces)), key=lambda k: pieces[k].source):
        runs = [list(run) for _, run in itertools.groupby(group, key=lambda k: cell_of.get(k))]
        for run in runs:
            first, last = pieces[run[0]].first, pieces[run[-1]].last
            line_of.update((k, len(final)) for k in run)
            final.append(lines[source] if len(runs) == 1 else piece_line(lines[source], first, last))
    return final, [_renumbered(table, line_of) for table in layouts]


def _renumbered(table: TableLayout, line_of: dict[int, int]) -> TableLayout:
    """`table` with its cells' pieces replaced by the lines they ended up in (once each)."""
    cells = tuple(replace(c, lines=tuple(dict.fromkeys(line_of[k] for k in c.lines))) for c in table.cells)
    return replace(table, cells=cells)
