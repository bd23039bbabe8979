"""Results of parts of a document put back together, as if the document had been read at once.

Two steps, both on `OcrResult`s and nothing else: `renumber` gives a part's pages their numbers in
the document (a part's pages are numbered from 1), and `combine` joins results in page order the
way the engine assembles pages: lines and blocks follow each other with block line indices
offset, each page's warnings stay with it, and only the very last line of the document ends with
"" (every other part's last line gets the end `arrange` gives a page's last line). Timings add up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from ocr_core.layout.arrange import arrange
from ocr_core.lines import TextLine
from ocr_core.output.result import Block, OcrResult, OcrWarning, Table


@cache
def page_end(layout: str) -> str:
    """What follows a page's last line when another page follows: `arrange`'s own rule, asked of a
    one-line page, so this module cannot drift from it."""
    line = TextLine("x", 1.0, ((0, 0), (10, 0), (10, 10), (0, 10)))
    return arrange([line], layout, 10, 10).lines[-1].end


def renumber(result: OcrResult, numbers: Sequence[int]) -> OcrResult:
    """`result` of a part whose page i (from 1) is page `numbers[i - 1]` of the document."""

    def number(page: int) -> int:
        return numbers[page - 1]

    def warning(note: OcrWarning) -> OcrWarning:
        return note if note.page is None else replace(note, page=number(note.page))

    return replace(
        result,
        lines=tuple(replace(line, page=number(line.page)) for line in result.lines),
        pages=tuple(replace(info, page=number(info.page)) for info in result.pages),
        blocks=tuple(replace(block, page=number(block.page)) for block in result.blocks),
        warnings=tuple(warning(note) for note in result.warnings),
        tables=None
        if result.tables is None
        else tuple(replace(table, page=number(table.page)) for table in result.tables),
    )


def combine(results: Sequence[OcrResult], layout: str) -> OcrResult:
    """One result from the results of consecutive parts, in the order given (at least one)."""
    if not results:
        raise ValueError("nothing to combine")
    lines: list[TextLine] = []
    blocks: list[Block] = []
    tables: list[Table] = []
    timings: dict[str, float] = {}
    for result in results:
        if lines and result.lines:
            lines[-1] = replace(lines[-1], end=page_end(layout))
        offset = len(lines)
        lines += result.lines
        blocks += [replace(block, lines=tuple(offset + i for i in block.lines)) for block in result.blocks]
        tables += [_shifted(table, offset) for table in result.tables or ()]
        for stage, ms in result.timings_ms.items():
            timings[stage] = timings.get(stage, 0.0) + ms
    return OcrResult(
        lines=tuple(lines),
        pages=tuple(info for result in results for info in result.pages),
        model=results[0].model,
        timings_ms=timings,
        blocks=tuple(blocks),
        warnings=tuple(note for result in results for note in result.warnings),
        tables=None if all(result.tables is None for result in results) else tuple(tables),
    )


def _shifted(table: Table, offset: int) -> Table:
    """The table with its cells' line indices moved past the `offset` lines before its part."""
    cells = tuple(replace(cell, lines=tuple(offset + i for i in cell.lines)) for cell in table.cells)
    return replace(table, cells=cells)
