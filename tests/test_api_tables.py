"""Tables through the real Lambda entry point: the JSON answer keeps `tables`, exports are files."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook
from PIL import Image

from bench.kit.events import call_api, load_event, with_body, with_query
from bench.kit.render import encode
from bench.table_render import render_page, to_uint8
from bench.tableset import CATEGORIES, make_spec, sample_rng
from handler.api import handler


def table_png(category: str = "ruled_latin") -> bytes:
    rng = sample_rng(7, category, 0)
    pixels = render_page(make_spec(CATEGORIES[category], rng), CATEGORIES[category], rng)
    return encode(Image.fromarray(to_uint8(pixels)))


def post(png: bytes, **query: str) -> object:
    event = with_query(with_body(load_event("apigw_v2_binary"), png, "image/png"), **query)
    return call_api(handler, event)


def test_tables_on_answer_carries_the_tables_through_the_response_model() -> None:
    response = post(table_png(), tables="on")
    assert response.status == 200
    tables = response.json()["tables"]
    assert tables and tables[0]["rows"] >= 2 and tables[0]["cols"] >= 2
    assert {"row", "col", "row_span", "col_span", "text", "box", "lines"} <= set(tables[0]["cells"][0])
    assert "tables" not in post(table_png()).json()  # off: the answer is as before


def test_csv_and_xlsx_exports_are_files_a_spreadsheet_reads() -> None:
    png = table_png()
    answer = post(png, tables="on").json()["tables"][0]
    grid = [["" for _ in range(answer["cols"])] for _ in range(answer["rows"])]
    for cell in answer["cells"]:
        grid[cell["row"]][cell["col"]] = cell["text"]
    response = post(png, format="csv")
    assert response.status == 200 and response.headers["content-type"].startswith(
        ("text/csv", "application/zip")
    )
    if response.headers["content-type"].startswith("application/zip"):
        first = zipfile.ZipFile(io.BytesIO(response.body)).namelist()[0]
        text = zipfile.ZipFile(io.BytesIO(response.body)).read(first).decode("utf-8-sig")
    else:
        text = response.body.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == grid[0]
    response = post(png, format="xlsx")
    assert response.status == 200 and response.headers["content-disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.body)).worksheets[0]
    assert [cell.value or "" for cell in next(sheet.iter_rows())] == grid[0]
