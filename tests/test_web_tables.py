"""Tables on the upload page, in Chromium against the real local server: the Document preset,
a rendered ruled table shown as a grid with its merged cells, and its spreadsheet downloads."""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect

from bench.kit.render import encode
from tests.web.harness import ARTIFACTS, REPO, WAIT_MS, close_page, open_page
from tests.web.tables import grid_cells, header_rows, table_image, truth_cells, workbook_cells

pytestmark = pytest.mark.browser
expect.set_options(timeout=WAIT_MS)

README_SCREENSHOT = REPO / "docs" / "screenshot.png"
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    page = open_page(browser, server)
    page.locator("html[data-options=true]").wait_for(state="attached")
    yield page
    close_page(page)


def save_screenshot(page: Page, name: str) -> None:
    """The whole page from its top, as a visitor sees it first; also the README's picture when
    asked (OCR_UPDATE_SCREENSHOT=1), so a test run leaves the work tree clean."""
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True, animations="disabled")
    if not README_SCREENSHOT.exists() or os.environ.get("OCR_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(ARTIFACTS / name, README_SCREENSHOT)


def option_values(page: Page) -> dict[str, str]:
    return dict(page.locator("[data-option]").evaluate_all("(nodes) => nodes.map((n) => [n.name, n.value])"))


def pressed(page: Page) -> list[str]:
    return page.locator("[data-preset][aria-pressed=true]").evaluate_all(
        "(nodes) => nodes.map((n) => n.dataset.preset)"
    )


def test_presets_set_the_option_controls_and_follow_them(page: Page) -> None:
    defaults = option_values(page)
    assert pressed(page) == ["photo"]  # the page starts as before: every option at its default

    page.click("[data-preset=document]")
    chosen = option_values(page)
    assert {name: chosen[name] for name in ("mode", "layout", "tables")} == {
        "mode": "page",
        "layout": "paragraphs",
        "tables": "on",
    }
    assert {k: v for k, v in chosen.items() if k not in ("mode", "layout", "tables")} == {
        k: v for k, v in defaults.items() if k not in ("mode", "layout", "tables")
    }
    assert pressed(page) == ["document"]

    page.click("[data-preset=line]")
    assert option_values(page) == {**defaults, "mode": "line"}
    page.select_option("#opt-mode", "page")  # by hand: now no preset describes the controls
    assert pressed(page) == []
    page.click("[data-preset=photo]")
    assert option_values(page) == defaults
    page.click(".lang-switch [data-lang=zh]")
    expect(page.locator("[data-preset=document]")).to_have_text("文档")


def test_document_preset_reads_a_ruled_table_as_a_grid_and_its_xlsx(page: Page) -> None:
    image, truth = table_image()
    page.click("[data-preset=document]")
    with page.expect_request(lambda r: "/ocr" in r.url and r.method == "POST") as request:
        page.set_input_files(
            "#file-input", {"name": "prices.png", "mimeType": "image/png", "buffer": encode(image)}
        )
    assert all(part in request.value.url for part in ("mode=page", "layout=paragraphs", "tables=on"))

    grid = page.locator("table.grid")
    expect(grid).to_have_count(1)
    assert grid_cells(grid) == truth_cells(truth)
    assert header_rows(grid) == truth["header_rows"]
    expect(grid.locator("thead th")).to_have_count(
        sum(1 for c in truth["cells"] if c["row"] < truth["header_rows"])
    )
    expect(page.locator(".table-card .table-meta")).to_have_text(
        f"{truth['rows']} rows × {truth['cols']} columns"
    )
    expect(page.locator(".overlay .table-box")).to_have_count(1)
    save_screenshot(page, "desktop-table.png")

    cell = grid.locator("tbody td").nth(2)
    cell.hover()  # a cell lights up the boxes of its lines
    lines = (cell.get_attribute("data-lines") or "").split()
    assert lines
    expect(page.locator(".overlay .box.active")).to_have_count(len(lines))

    with page.expect_download() as download:
        page.click(".table-xlsx")
    assert download.value.suggested_filename == "prices.ocr.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).worksheets[0]
    assert workbook_cells(sheet, truth) == truth_cells(truth)

    page.set_viewport_size(PHONE)  # a wide table scrolls inside its card, the page does not
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_csv_of_two_tables_downloads_as_a_zip_of_one_csv_each(page: Page) -> None:
    image, truth = table_image()
    both = Image.new("RGB", (image.width, image.height * 2), "white")
    both.paste(image, (0, 0))
    both.paste(image, (0, image.height))
    page.click("[data-preset=document]")
    page.set_input_files("#file-input", {"name": "two.png", "mimeType": "image/png", "buffer": encode(both)})
    expect(page.locator("table.grid")).to_have_count(2)
    expect(page.locator(".table-title")).to_have_text(["Table 1", "Table 2"])

    page.select_option("#export-format", "csv")
    with page.expect_download() as download:
        page.click("#export-button")

    assert download.value.suggested_filename == "two.ocr.zip"  # the answer's Content-Type said ZIP
    archive = zipfile.ZipFile(Path(download.value.path()))
    assert archive.namelist() == ["table-1.csv", "table-2.csv"]
    first_row = next(csv.reader(io.StringIO(archive.read("table-1.csv").decode("utf-8-sig"))))
    expected = [c["text"] for c in sorted(truth["cells"], key=lambda c: c["col"]) if c["row"] == 0]
    assert [text for text in first_row if text] == expected
