"""Tables (`tables=on`): found per page from its lines and pixels, then given global line indices.

Finding runs once per page after reading, whether the lines came from OCR or from a PDF's text
layer; pages read as one line, read upside down or of vertical columns have no tables here.
Lines are read with their character boxes so that a line running across columns can be split
at a column edge (`cell_split`); then every line keeps only the boxes the request asked for.
After `arrange` has put the page's lines in reading order, each table's cells are turned into
result cells: lines as indices into the whole result, text as the cell's lines joined.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from ocr_core.engine.assemble import PageRead
from ocr_core.geometry import rect_of
from ocr_core.input.page import Page
from ocr_core.layout.arrange import Arranged, joiner
from ocr_core.layout.cell_split import split_tables
from ocr_core.layout.tables import TableLayout
from ocr_core.lines import TextLine
from ocr_core.output.result import Table, TableCell


def with_tables(page: Page, read: PageRead, level: str) -> PageRead:
    """`read` with its tables (and its lines split where a column edge crosses one), every line
    trimmed to the boxes of `level`."""
    lines: list[TextLine] = list(read.lines)
    layouts: list[TableLayout] = []
    vertical = sum(rect_of(line.box).is_vertical for line in lines) * 2 > len(lines)
    if read.mode != "line" and not read.upside_down and lines and not vertical:
        lines, layouts = split_tables(page.image, lines)
    return replace(read, lines=[_trim(line, level) for line in lines], tables=tuple(layouts))


def _trim(line: TextLine, level: str) -> TextLine:
    if level == "line":
        return replace(line, words=None, chars=None)
    return replace(line, chars=None) if level == "word" else line


def result_tables(
    number: int, layouts: Sequence[TableLayout], arranged: Arranged, offset: int
) -> list[Table]:
    """`layouts` (indices into the page's lines as read) as result tables (indices into the result)."""
    slot = {index: position for position, index in enumerate(arranged.order)}
    tables = []
    for layout in layouts:
        cells = []
        for cell in layout.cells:
            indices = tuple(offset + slot[i] for i in cell.lines)
            text = cell_text([arranged.lines[slot[i]].text for i in cell.lines])
            cells.append(TableCell(cell.row, cell.col, cell.row_span, cell.col_span, text, cell.box, indices))
        tables.append(Table(number, layout.box, layout.rows, layout.cols, layout.header_rows, tuple(cells)))
    return tables


def cell_text(texts: Sequence[str]) -> str:
    """A cell's lines joined as a paragraph's are (nothing between CJK text, else a space)."""
    joined = texts[0] if texts else ""
    for before, after in itertools.pairwise(texts):
        joined += joiner(before, after) + after
    return joined
