"""Tables (`tables=on`) through the engine, on rendered tables whose structure is known."""

from __future__ import annotations

import numpy as np
import pytest

from bench.scoring import normalise
from bench.table_render import render_page, to_uint8
from bench.tableset import CATEGORIES, TruthCell, TruthTable, label, make_spec, sample_rng
from ocr_core import OcrEngine, OcrOptions
from ocr_core.options import parse_options
from ocr_core.output.result import OcrResult, Table


def rendered(category: str, index: int = 0) -> tuple[np.ndarray, dict | None]:
    """A page of the table set's `category` and its true table (None on a table-free page)."""
    rng = sample_rng(7, category, index)
    spec = make_spec(CATEGORIES[category], rng)
    pixels = to_uint8(render_page(spec, CATEGORIES[category], rng))
    return pixels, label(spec.table) if spec.table else None


def structure(table: Table) -> set[tuple[int, int, int, int, str]]:
    return {(c.row, c.col, c.row_span, c.col_span, normalise(c.text)) for c in table.cells}


def truth_structure(truth: dict) -> set[tuple[int, int, int, int, str]]:
    return {(c["row"], c["col"], c["row_span"], c["col_span"], normalise(c["text"])) for c in truth["cells"]}


def read(engine: OcrEngine, pixels: np.ndarray, **options: str) -> OcrResult:
    return engine.run_image(pixels, OcrOptions(tables="on", **options))


@pytest.fixture(scope="module")
def merged(engine: OcrEngine) -> tuple[OcrResult, dict]:
    pixels, truth = rendered("merged")
    assert truth is not None
    return read(engine, pixels), truth


def test_ruled_table_with_merged_cells_has_its_spans_header_and_text(merged: tuple[OcrResult, dict]) -> None:
    result, truth = merged
    assert result.tables is not None and len(result.tables) == 1
    table = result.tables[0]
    assert (table.rows, table.cols, table.header_rows) == (truth["rows"], truth["cols"], 2)
    assert structure(table) == truth_structure(truth)


def test_table_is_one_block_read_row_by_row(merged: tuple[OcrResult, dict]) -> None:
    result, _ = merged
    assert result.tables is not None
    table = result.tables[0]
    assert [block.lines for block in result.blocks if set(block.lines) & set(table.lines)] == [table.lines]
    anchors = [(c.row, c.col) for c in table.cells for _ in c.lines]
    assert anchors == sorted(anchors)
    assert table.lines == tuple(range(table.lines[0], table.lines[0] + len(table.lines)))


def test_cell_lines_and_boxes_point_at_their_text(merged: tuple[OcrResult, dict]) -> None:
    result, _ = merged
    assert result.tables is not None
    for cell in result.tables[0].cells:
        assert cell.text == " ".join(result.lines[i].text for i in cell.lines) or len(cell.lines) <= 1
        (left, top), (right, bottom) = cell.box[0], cell.box[2]
        for i in cell.lines:
            xs = [x for x, _ in result.lines[i].box]
            ys = [y for _, y in result.lines[i].box]
            assert left - 2 <= (min(xs) + max(xs)) / 2 <= right + 2
            assert top - 2 <= (min(ys) + max(ys)) / 2 <= bottom + 2


@pytest.mark.parametrize(
    "category", ["unruled", "hrules", "rotated", "photo", "wrapped", "empty_cells", "tight"]
)
def test_table_structure_and_text_match_the_drawn_table(engine: OcrEngine, category: str) -> None:
    pixels, truth = rendered(category)
    assert truth is not None
    result = read(engine, pixels)
    assert result.tables is not None and len(result.tables) == 1
    table = result.tables[0]
    assert (table.rows, table.cols, table.header_rows) == (truth["rows"], truth["cols"], truth["header_rows"])
    found, wanted = structure(table), truth_structure(truth)
    assert {cell[:4] for cell in found} == {cell[:4] for cell in wanted}
    assert len(found & wanted) >= len(wanted) - 1  # one cell's text may be misread


def test_line_read_across_narrow_columns_is_split_at_the_column_edges(engine: OcrEngine) -> None:
    pixels, truth = rendered("tight", 1)
    assert truth is not None
    off = engine.run_image(pixels)
    on = read(engine, pixels)
    assert on.tables is not None and len(on.tables) == 1
    assert len(on.lines) > len(off.lines)  # the detector read some rows as one line
    split = {i for cell in on.tables[0].cells if len(cell.lines) == 1 for i in cell.lines}
    assert len(split) == sum(bool(cell.text) for cell in on.tables[0].cells)  # one line per filled cell
    assert all(line.words is None and line.chars is None for line in on.lines)  # boxes=line as asked


def test_page_of_running_text_has_no_table(engine: OcrEngine) -> None:
    pixels, truth = rendered("no_table")
    assert truth is None
    result = read(engine, pixels)
    assert result.tables == ()


def test_two_tables_on_one_page_are_both_found_in_page_order(engine: OcrEngine) -> None:
    first, _ = rendered("ruled_latin", 1)
    second, _ = rendered("ruled_cjk", 2)
    width = max(first.shape[1], second.shape[1])
    page = np.full((first.shape[0] + second.shape[0], width, 3), 255, np.uint8)
    page[: first.shape[0], : first.shape[1]] = first
    page[first.shape[0] :, : second.shape[1]] = second
    result = read(engine, page)
    assert result.tables is not None and len(result.tables) == 2
    assert result.tables[0].box[0][1] < result.tables[1].box[0][1]
    assert max(result.tables[0].lines) < min(result.tables[1].lines)


def test_tables_off_answer_has_no_tables_and_is_unchanged(engine: OcrEngine) -> None:
    pixels, _ = rendered("ruled_latin")
    plain = engine.run_image(pixels).to_dict()
    off = engine.run_image(pixels, OcrOptions(tables="off")).to_dict()
    assert "tables" not in plain and "tables" not in off
    plain.pop("timings_ms"), off.pop("timings_ms"), plain.pop("total_time_ms"), off.pop("total_time_ms")
    assert plain == off


def test_tables_on_keeps_every_line_of_the_page(engine: OcrEngine) -> None:
    pixels, _ = rendered("in_text")
    off = engine.run_image(pixels)
    on = read(engine, pixels)
    assert sorted(line.text for line in on.lines) == sorted(line.text for line in off.lines)
    assert "tables" in on.timings_ms and "tables" not in off.timings_ms


def test_table_json_has_the_documented_fields(merged: tuple[OcrResult, dict]) -> None:
    result, _ = merged
    answer = result.to_dict()
    table = answer["tables"][0]
    assert set(table) == {"page", "box", "rows", "cols", "cells", "header_rows"}
    assert set(table["cells"][0]) == {"row", "col", "row_span", "col_span", "text", "box", "lines"}


def test_table_option_is_off_unless_asked_or_a_spreadsheet_format() -> None:
    assert parse_options({}).ocr.tables == "off"
    assert parse_options({"tables": "ON"}).ocr.tables == "on"
    assert parse_options({"format": "xlsx"}).ocr.tables == "on"
    assert parse_options({"format": "csv", "tables": "off"}).ocr.tables == "off"


def test_truth_labels_join_a_wrapped_cell_into_one_line() -> None:
    table = TruthTable(2, 1, 1, (TruthCell(0, 0, 1, 1, "Name"), TruthCell(1, 0, 1, 1, "Desk lamp\nlarge")))
    assert label(table)["cells"][1]["text"] == "Desk lamp large"


def test_rendered_pages_are_reproducible() -> None:
    first, _ = rendered("photo", 3)
    again, _ = rendered("photo", 3)
    assert np.array_equal(first, again)
