"""Table exports opened back with real readers: csv, zipfile, openpyxl, html.parser, Markdown rows."""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser

import numpy as np
import openpyxl
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from bench.kit.render import encode
from bench.table_render import render_page, to_uint8
from bench.tableset import CATEGORIES, make_spec, sample_rng
from handler.app import create_app
from handler.settings import Settings
from ocr_core import OcrEngine, OcrOptions
from ocr_core.input.page import Page
from ocr_core.output.exports import ZIP_MEDIA_TYPE, export, export_file
from ocr_core.output.result import OcrResult, Table


def page_of(category: str, index: int) -> np.ndarray:
    rng = sample_rng(11, category, index)
    recipe = CATEGORIES[category]
    return to_uint8(render_page(make_spec(recipe, rng), recipe, rng))


@pytest.fixture(scope="module")
def merged(engine: OcrEngine) -> tuple[OcrResult, list[Page]]:
    pixels = page_of("merged", 0)
    result = engine.run_image(pixels, OcrOptions(tables="on"))
    assert result.tables is not None and len(result.tables) == 1
    return result, [Page(1, pixels)]


def expected_rows(table: Table) -> list[list[str]]:
    return [[cell.text if cell else "" for cell in row] for row in table.grid()]


def test_csv_of_one_table_reads_back_as_its_grid(merged: tuple[OcrResult, list[Page]]) -> None:
    result, pages = merged
    file = export_file(result, pages, "csv")
    assert file.media_type.startswith("text/csv") and file.extension == "csv"
    rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig"))))
    assert result.tables is not None
    assert rows == expected_rows(result.tables[0])


def test_csv_of_several_tables_is_a_zip_of_one_csv_each(engine: OcrEngine) -> None:
    first, second = page_of("ruled_latin", 1), page_of("unruled", 2)
    page = np.full((first.shape[0] + second.shape[0], max(first.shape[1], second.shape[1]), 3), 250, np.uint8)
    page[: first.shape[0], : first.shape[1]] = first
    page[first.shape[0] :, : second.shape[1]] = second
    result = engine.run_image(page, OcrOptions(tables="on"))
    assert result.tables is not None and len(result.tables) == 2
    file = export_file(result, [Page(1, page)], "csv")
    assert (file.media_type, file.extension) == (ZIP_MEDIA_TYPE, "zip")
    with zipfile.ZipFile(io.BytesIO(file.content)) as archive:
        assert archive.namelist() == ["table-1.csv", "table-2.csv"]
        for name, table in zip(archive.namelist(), result.tables, strict=True):
            rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            assert rows == expected_rows(table)


def test_xlsx_has_a_sheet_per_table_with_merged_cells_kept(merged: tuple[OcrResult, list[Page]]) -> None:
    result, pages = merged
    assert result.tables is not None
    table = result.tables[0]
    book = openpyxl.load_workbook(io.BytesIO(export(result, pages, "xlsx")))
    assert book.sheetnames == ["Table 1"]
    sheet = book["Table 1"]
    values = [[value or "" for value in row] for row in sheet.iter_rows(values_only=True)]
    assert values == expected_rows(table)
    spans = {
        (r.min_row - 1, r.min_col - 1, r.max_row - r.min_row + 1, r.max_col - r.min_col + 1)
        for r in sheet.merged_cells.ranges
    }
    assert spans == {
        (c.row, c.col, c.row_span, c.col_span) for c in table.cells if c.row_span * c.col_span > 1
    }
    assert sheet.cell(1, 1).font.b and not sheet.cell(table.rows, 2).font.b


def test_xlsx_without_tables_lists_the_lines(engine: OcrEngine) -> None:
    pixels = page_of("no_table", 0)
    result = engine.run_image(pixels, OcrOptions(tables="on"))
    sheet = openpyxl.load_workbook(io.BytesIO(export(result, [Page(1, pixels)], "xlsx")))["Text"]
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [line.text for line in result.lines]


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, dict[str, str | None]]] = []
        self.rows = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.rows += tag == "tr"
        if tag in ("td", "th"):
            self.cells.append((tag, dict(attrs)))


def test_html_export_is_a_document_with_the_table_spans_and_header(
    merged: tuple[OcrResult, list[Page]],
) -> None:
    result, pages = merged
    assert result.tables is not None
    table = result.tables[0]
    document = export(result, pages, "html").decode("utf-8")
    parser = _Cells()
    parser.feed(document)
    assert parser.tags[:2] == ["html", "head"] and "script" not in parser.tags
    assert parser.rows == table.rows
    header = sum(1 for c in table.cells if c.row < table.header_rows)
    assert [tag for tag, _ in parser.cells] == ["th"] * header + ["td"] * (len(table.cells) - header)
    spans = [(int(a.get("rowspan") or 1), int(a.get("colspan") or 1)) for _, a in parser.cells]
    assert spans == [(c.row_span, c.col_span) for c in table.cells]


def test_markdown_writes_the_table_as_a_pipe_table(merged: tuple[OcrResult, list[Page]]) -> None:
    result, pages = merged
    assert result.tables is not None
    table = result.tables[0]
    markdown = export(result, pages, "markdown").decode("utf-8")
    rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(rows) == table.rows + 1 and set(rows[1].replace(" ", "")) == {"|", "-"}
    cells = [[text.strip() for text in row.strip("|").split("|")] for row in rows[:1] + rows[2:]]
    assert cells == [[text.replace("|", "\\|") for text in row] for row in expected_rows(table)]
    title = result.lines[0]
    assert 0 not in table.lines and markdown.startswith(title.text + "\n\n|")  # the title stays a paragraph


def test_api_format_xlsx_returns_a_workbook_with_the_table() -> None:
    client = TestClient(create_app(Settings()))
    image = encode(Image.fromarray(page_of("ruled_cjk", 3)))
    response = client.post("/ocr", params={"format": "xlsx"}, files={"image": ("t.png", image, "image/png")})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Table 1"]
    assert sheet.max_row >= 5 and sheet.max_column == 4
