"""Result types: frozen dataclasses with an explicit `to_dict()` that is the API's JSON.

Results never carry pixels, so they are cheap to log, cache and serialise; `result_json` reads
that JSON back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocr_core.geometry import Box, box_list
from ocr_core.lines import TextLine


@dataclass(frozen=True)
class Block:
    """Lines that belong together (a paragraph, a column, a table cell), as indices into `lines`."""

    page: int
    lines: tuple[int, ...]
    box: Box

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "lines": list(self.lines), "box": box_list(self.box)}


@dataclass(frozen=True)
class TableCell:
    """One cell: its top-left grid position, how many rows and columns it covers, its text (its
    lines joined) and box, and its lines as indices into the result's `lines`."""

    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    box: Box
    lines: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "col": self.col,
            "row_span": self.row_span,
            "col_span": self.col_span,
            "text": self.text,
            "box": box_list(self.box),
            "lines": list(self.lines),
        }


@dataclass(frozen=True)
class Table:
    """A table of one page: every cell of its grid (empty ones too), row by row; the first
    `header_rows` rows are its header."""

    page: int
    box: Box
    rows: int
    cols: int
    header_rows: int
    cells: tuple[TableCell, ...]

    @property
    def lines(self) -> tuple[int, ...]:
        """The table's lines as read: cell by cell, row by row."""
        return tuple(i for cell in self.cells for i in cell.lines)

    def grid(self) -> list[list[TableCell | None]]:
        """rows x cols slots, each holding the cell anchored there (None where a span covers it)."""
        slots: list[list[TableCell | None]] = [[None] * self.cols for _ in range(self.rows)]
        for cell in self.cells:
            slots[cell.row][cell.col] = cell
        return slots

    def texts(self) -> list[list[str]]:
        """rows x cols of text: a merged cell's text in its top-left slot, "" where it spans."""
        return [[cell.text if cell else "" for cell in row] for row in self.grid()]

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "box": box_list(self.box),
            "rows": self.rows,
            "cols": self.cols,
            "cells": [cell.to_dict() for cell in self.cells],
            "header_rows": self.header_rows,
        }


@dataclass(frozen=True)
class OcrWarning:
    """Something a user should know about a result that is still returned (a cap hit, a fallback)."""

    code: str
    message: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "page": self.page}


@dataclass(frozen=True)
class PageInfo:
    """Size of a page as decoded (after EXIF rotation), and how it was read.

    `mode` is "line" (read whole as one line), "page" (lines detected) or "text" (a PDF page's
    own text layer, no OCR).
    """

    page: int
    width: int
    height: int
    mode: str

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "width": self.width, "height": self.height, "mode": self.mode}


@dataclass(frozen=True)
class ModelInfo:
    """Which preset and model files answered."""

    preset: str
    detector: str
    recognizer: str
    classifier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "detector": self.detector,
            "recognizer": self.recognizer,
            "classifier": self.classifier,
        }


@dataclass(frozen=True)
class OcrResult:
    """Everything one request produced, in reading order, with per-stage timings in ms."""

    lines: tuple[TextLine, ...]
    pages: tuple[PageInfo, ...]
    model: ModelInfo
    timings_ms: dict[str, float] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    warnings: tuple[OcrWarning, ...] = ()
    tables: tuple[Table, ...] | None = None
    """None unless tables were asked for (`tables=on`); then every table found, page by page."""

    @property
    def text(self) -> str:
        """Every line followed by its `end`, except the last line's."""
        if not self.lines:
            return ""
        return "".join(line.text + line.end for line in self.lines[:-1]) + self.lines[-1].text

    @property
    def total_time_ms(self) -> float:
        return sum(self.timings_ms.values())

    def to_dict(self) -> dict[str, Any]:
        answer = {
            "success": True,
            "results": [line.to_dict() for line in self.lines],
            "text": self.text,
            "pages": [page.to_dict() for page in self.pages],
            "model": self.model.to_dict(),
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "total_time_ms": round(self.total_time_ms, 1),
            "blocks": [block.to_dict() for block in self.blocks],
            "warnings": [warning.to_dict() for warning in self.warnings],
        }
        if self.tables is not None:
            answer["tables"] = [table.to_dict() for table in self.tables]
        return answer
