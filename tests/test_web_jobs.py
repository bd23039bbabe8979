"""Long documents read as jobs, through the page and the whole local stack `make run` starts.

The stack is real: moto's S3 and SQS, the trigger process, a job worker process and uvicorn
(`python -m handler.local_stack`). The page is told (as a deploy's config.js would) that only
tiny files go to POST /ocr, so a small scanned PDF takes the upload path: POST /uploads, the
presigned POST to the bucket, then GET /results/{id} polled through 404, 202 (progress) and 200.
Parts of 4 pages make a 16-page scan a job of 4 parts, read one after another by the one worker.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Browser, Page, Request, Route, expect

from bench.kit.local_server import log_tail
from bench.kit.render import render_page
from ocr_core.options import FORMATS
from tests.helpers.jobs import PAGE_LINES, document_pdf, page_text
from tests.helpers.pdfs import pdf_text
from tests.web.harness import WAIT_MS, close_page, local_stack, open_page, wait_until_ready
from tests.web.tables import grid_cells, table_image, truth_cells, workbook_cells

pytestmark = pytest.mark.browser
expect.set_options(timeout=WAIT_MS)

PAGES = 16
CHUNK_PAGES = 4
JOB_WAIT_S = 300.0
"""Longest wait for a job's result; it takes seconds alone, far longer on a machine under load."""
CONFIG = 'window.OCR_CONFIG = {"apiBase": "", "syncMaxBytes": 1000, "pollIntervalMs": 250};'
PROGRESS = """() => ({
    phase: document.getElementById("progress").dataset.phase || "",
    hidden: document.getElementById("progress").hidden,
    value: document.getElementById("progress-bar").getAttribute("value"),
    label: document.getElementById("progress-label").textContent,
    done: !document.getElementById("results").hidden || !document.getElementById("error").hidden,
})"""


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[str, Path]]:
    with local_stack(workers=1, env={"OCR_JOB_CHUNK_PAGES": str(CHUNK_PAGES)}) as started:
        yield started


@pytest.fixture
def page(browser: Browser, stack: tuple[str, Path]) -> Iterator[Page]:
    page = open_page(browser, stack[0])
    page.route("**/config.js", lambda route: route.fulfill(content_type="text/javascript", body=CONFIG))
    page.reload()
    wait_until_ready(page)
    page.locator("html[data-options=true]").wait_for(state="attached")
    yield page
    close_page(page)


def pdf_of(images: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=200)
    return buffer.getvalue()


def watch_progress(page: Page, log: Path) -> list[dict[str, Any]]:
    """What the progress area showed, each change once, until the results or an error appear."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + JOB_WAIT_S
    while time.monotonic() < deadline:
        shown = page.evaluate(PROGRESS)
        if shown["done"]:
            return seen
        if not shown["hidden"] and (not seen or seen[-1] != shown):
            seen.append(shown)
        time.sleep(0.05)
    raise AssertionError(f"no result within {JOB_WAIT_S} s; progress: {seen[-3:]}\n{log_tail(log)}")


def posts_to_ocr(request: Request) -> bool:
    return request.method == "POST" and request.url.split("?")[0].endswith("/ocr")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_long_scan_is_read_as_a_job_with_progress_and_its_searchable_pdf(
    page: Page, stack: tuple[str, Path]
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.method} {r.url.split('?')[0]}"))
    page.set_input_files(
        "#file-input", {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": document_pdf(PAGES)}
    )
    seen = watch_progress(page, stack[1])

    expect(page.locator("#error")).to_be_hidden()
    job = [shown for shown in seen if shown["phase"].startswith("job_")]
    fractions = [float(shown["value"]) for shown in job]
    assert fractions == sorted(fractions), f"the bar went back: {fractions}"
    assert any(0 < fraction < 1 for fraction in fractions), f"no page count between start and end: {job}"
    assert any(re.fullmatch(rf"Page \d+ of {PAGES} read · \d+s", shown["label"]) for shown in job)
    cards = page.locator(".page-card")
    expect(cards).to_have_count(PAGES)
    for number in range(1, PAGES + 1):
        texts = cards.nth(number - 1).locator(".line-text").all_inner_texts()
        assert [squash(text) for text in texts] == [squash(line) for line in (page_text(number), *PAGE_LINES)]
    expect(page.locator("#timing-detail")).to_contain_text(f"{PAGES} pages in {PAGES // CHUNK_PAGES} parts")
    assert not any(request.endswith("/ocr") for request in requests)  # never re-sent to POST /ocr

    expect(page.locator("#export-menu")).to_be_hidden()  # the job's own exports instead
    links = page.locator("#job-exports a").evaluate_all("(nodes) => nodes.map((n) => n.dataset.format)")
    assert links == [output for output in FORMATS if output != "json"]  # every export the job wrote
    with page.expect_download() as download:
        page.click("#job-exports a[data-format=pdf]")
    assert download.value.suggested_filename == "scan.ocr.pdf"
    layers = pdf_text(Path(download.value.path()).read_bytes())
    assert len(layers) == PAGES
    for number, layer in enumerate(layers, start=1):
        assert squash(layer) == squash("".join((page_text(number), *PAGE_LINES)))


def test_job_with_a_table_shows_its_grid_and_the_jobs_xlsx(page: Page, stack: tuple[str, Path]) -> None:
    image, truth = table_image()
    text_pages = [render_page([page_text(n)], size=30, width=700) for n in range(1, CHUNK_PAGES + 1)]
    page.click("[data-preset=document]")
    page.set_input_files(
        "#file-input",
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": pdf_of([*text_pages, image])},
    )
    watch_progress(page, stack[1])

    expect(page.locator("#error")).to_be_hidden()
    table_page = page.locator(".page-card").nth(CHUNK_PAGES)  # the last page, in the job's second part
    expect(table_page.locator("table.grid")).to_have_count(1)
    assert grid_cells(table_page.locator("table.grid")) == truth_cells(truth)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    with page.expect_download() as download:
        table_page.locator(".table-xlsx").click()  # the job's own workbook of the whole document
    assert not any(url.endswith("/ocr") for url in requests)  # nothing sent again
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).worksheets[0]
    assert workbook_cells(sheet, truth) == truth_cells(truth)


def test_job_that_read_no_page_ends_with_its_stored_error(page: Page) -> None:
    # The stored error a job leaves when every page failed, as GET /results/{id} serves it.
    body = (
        '{"success": false, "error": {"code": "job_failed", "message": "no page of the document could be '
        'read (12 pages failed)"}, "request_id": "r-1", "job": {"pages_total": 12, "chunks": 3, '
        '"pages_failed": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}}'
    )

    def stored_error(route: Route) -> None:
        route.fulfill(status=500, content_type="application/json", body=body)

    page.route("**/results/*", stored_error)
    page.set_input_files(
        "#file-input", {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": document_pdf(2)}
    )

    expect(page.locator("#error-message")).to_have_text("No page of this document could be read.")
    expect(page.locator("#error-detail")).to_contain_text("12 pages failed")
    expect(page.locator("#error")).to_have_attribute("data-code", "job_failed")
    expect(page.locator("#progress")).to_be_hidden()
    expect(page.locator("#file-name")).to_have_text("scan.pdf")


def test_job_with_failed_pages_names_them(page: Page) -> None:
    captured: list[dict[str, Any]] = []

    def with_a_failed_page(route: Route) -> None:
        response = route.fetch()
        if response.status != 200:
            route.fulfill(response=response)
            return
        result = response.json()
        # What the merge writes when page 2 failed for good: its warning and the job's list.
        note = {
            "code": "page_failed",
            "message": "page 2 could not be read (invalid_image): damaged",
            "page": 2,
        }
        result["warnings"] = [*result["warnings"], note]
        result["job"] = {**result["job"], "pages_failed": [2]}
        captured.append(result)
        route.fulfill(response=response, json=result)

    page.route("**/results/*", with_a_failed_page)
    page.set_input_files(
        "#file-input",
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": document_pdf(CHUNK_PAGES + 2)},
    )

    expect(page.locator("#warnings [data-code=pages_failed]")).to_have_text(
        "Pages not read: 2. Send them again with PDF pages = 2."
    )
    expect(page.locator("#warnings [data-code=page_failed]")).to_have_text(
        "Page 2: page 2 could not be read (invalid_image): damaged"
    )
    assert captured and captured[0]["job"]["chunks"] == 2  # a real job's result underneath
