"""An `OcrResult` read back from the JSON `to_dict` wrote (a job stores each chunk's result as JSON
and merges them).

Every field comes back as `to_dict` wrote it, the timings as rounded there (so `total_time_ms`,
their sum, may differ from the original's in its last digit); keys `to_dict` does not write
(`request_id`, `cached`) are ignored.
"""

from __future__ import annotations

from typing import Any

from ocr_core.geometry import Box
from ocr_core.lines import TextLine, TextPart
from ocr_core.output.result import Block, ModelInfo, OcrResult, OcrWarning, PageInfo, Table, TableCell


def result_from_dict(data: dict[str, Any]) -> OcrResult:
    model = data["model"]
    tables = data.get("tables")
    return OcrResult(
        lines=tuple(_line(line) for line in data["results"]),
        pages=tuple(
            PageInfo(page["page"], page["width"], page["height"], page["mode"]) for page in data["pages"]
        ),
        model=ModelInfo(model["preset"], model["detector"], model["recognizer"], model.get("classifier")),
        timings_ms={name: float(ms) for name, ms in data.get("timings_ms", {}).items()},
        blocks=tuple(
            Block(block["page"], tuple(block["lines"]), _box(block["box"]))
            for block in data.get("blocks", ())
        ),
        warnings=tuple(
            OcrWarning(warning["code"], warning["message"], warning.get("page"))
            for warning in data.get("warnings", ())
        ),
        tables=None if tables is None else tuple(_table(table) for table in tables),
    )


def _page(page: dict[str, Any]) -> PageInfo:
    return PageInfo(page["page"], page["width"], page["height"], page["mode"])


def _block(block: dict[str, Any]) -> Block:
    return Block(block["page"], tuple(block["lines"]), _box(block["box"]))


def _box(points: list[list[int]]) -> Box:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    return ((x0, y0), (x1, y1), (x2, y2), (x3, y3))


def _parts(parts: list[dict[str, Any]] | None) -> tuple[TextPart, ...] | None:
    if parts is None:
        return None
    return tuple(TextPart(part["text"], _box(part["box"]), part["confidence"]) for part in parts)


def _line(line: dict[str, Any]) -> TextLine:
    return TextLine(
        text=line["text"],
        confidence=line["confidence"],
        box=_box(line["box"]),
        page=line["page"],
        end=line["end"],
        words=_parts(line.get("words")),
        chars=_parts(line.get("chars")),
    )


def _table(table: dict[str, Any]) -> Table:
    cells = tuple(
        TableCell(
            cell["row"],
            cell["col"],
            cell["row_span"],
            cell["col_span"],
            cell["text"],
            _box(cell["box"]),
            tuple(cell["lines"]),
        )
        for cell in table["cells"]
    )
    return Table(table["page"], _box(table["box"]), table["rows"], table["cols"], table["header_rows"], cells)
