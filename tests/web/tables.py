"""A rendered ruled table with its true cells, and the same cells read back from the page's grid
and from a workbook, for the page tests of tables (single requests and jobs).

The table comes from the table set's generator (`bench/tableset.py`): a Chinese price table with
two header rows, a year spanning its quarters and regions spanning their cities, the case that
needs rowspan and colspan. The engine reads this one exactly (cells and spans), as the table
evaluation reads most of its category.
"""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image
from playwright.sync_api import Locator

from bench.table_render import render_page, to_uint8
from bench.tableset import CATEGORIES, label, make_spec, sample_rng

Cell = tuple[int, int, int, int, str]
"""row, col, row span, col span, text: a cell at its top-left grid position."""
CATEGORY, SEED, INDEX = "merged", 7, 0


def table_image() -> tuple[Image.Image, dict[str, Any]]:
    """The rendered page and its table's label (rows, cols, header_rows, cells)."""
    rng = sample_rng(SEED, CATEGORY, INDEX)
    spec = make_spec(CATEGORIES[CATEGORY], rng)
    assert spec.table is not None
    pixels = render_page(spec, CATEGORIES[CATEGORY], rng)
    return Image.fromarray(to_uint8(pixels)), label(spec.table)


def truth_cells(truth: dict[str, Any]) -> list[Cell]:
    return sorted((c["row"], c["col"], c["row_span"], c["col_span"], c["text"]) for c in truth["cells"])


def grid_cells(grid: Locator) -> list[Cell]:
    """The cells of an HTML table on the page, from its markup (rowspan, colspan, text)."""
    found = grid.locator("th, td").evaluate_all(
        """(nodes) => nodes.map((n) => [Number(n.dataset.row), Number(n.dataset.col), n.rowSpan,
                                         n.colSpan, n.textContent])"""
    )
    return sorted((row, col, rows, cols, text) for row, col, rows, cols, text in found)


def header_rows(grid: Locator) -> int:
    return int(grid.locator("thead tr").count())


def workbook_cells(sheet: Worksheet, truth: dict[str, Any]) -> list[Cell]:
    """Every cell of a sheet over the table's extent, merged ones once at their top-left."""
    spans = {
        (merged.min_row - 1, merged.min_col - 1): (
            merged.max_row - merged.min_row + 1,
            merged.max_col - merged.min_col + 1,
        )
        for merged in sheet.merged_cells.ranges
    }
    covered = {
        (row + r, col + c)
        for (row, col), (rows, cols) in spans.items()
        for r in range(rows)
        for c in range(cols)
        if (r, c) != (0, 0)
    }
    cells = []
    for row in range(truth["rows"]):
        for col in range(truth["cols"]):
            if (row, col) in covered:
                continue
            value = sheet.cell(row + 1, col + 1).value
            rows, cols = spans.get((row, col), (1, 1))
            cells.append((row, col, rows, cols, "" if value is None else str(value)))
    return sorted(cells)
