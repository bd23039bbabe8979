"""Jobs end to end on moto: a long upload is split, queued, read by the worker entry point, merged.

Each test runs the real trigger, the real `handler.job_worker.handler` (fed by the local event
source loop) and the real merge, and reads what a client reads: `GET /results/{id}`, the
exports, the searchable PDF. The merged result must equal `POST /ocr`'s answer for the same
file and options, timings and request ids aside.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from bench.kit.render import render_page
from bench.scoring import normalise
from handler.app import create_app
from ocr_core.options import FORMATS
from tests.helpers.jobs import JobStack, document_pdf, job_stack, page_text
from tests.helpers.pdfs import pdf_text

VOLATILE = ("request_id", "timings_ms", "total_time_ms", "cached", "source", "exports", "job")


@pytest.fixture
def stack() -> Iterator[JobStack]:
    with job_stack() as stack:
        yield stack


def api(stack: JobStack) -> TestClient:
    return TestClient(create_app(stack.settings, stack.s3))


def comparable(body: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name not in VOLATILE}


def sync_answer(stack: JobStack, data: bytes, **options: str) -> dict[str, Any]:
    reply = api(stack).post("/ocr", params=options, files={"file": ("doc.pdf", data, "application/pdf")})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def test_job_long_pdf_is_cut_into_even_chunks_and_queued(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(5))
    assert stack.trigger(event) == {"job_queued": 1}
    root = stack.keys("jobs/")[0].split("parts/")[0].rsplit("/", 2)[0] + "/"
    manifest = stack.json(next(key for key in stack.keys(root) if key.endswith("manifest.json")))
    assert manifest["chunks"] == [[1, 2], [3, 4], [5]]
    assert manifest["document_pages"] == 5
    assert len([key for key in stack.keys(root) if "/parts/" in key]) == 3
    assert any(key.endswith("/queued") for key in stack.keys(root))
    assert len(stack.receive()) == 3
    assert stack.keys(f"results/{upload_id}/") == []


def test_job_short_pdf_is_read_inline_without_a_job(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(2))
    assert stack.trigger(event) == {"written": 1}
    assert stack.keys("jobs/") == [] and stack.receive() == []
    assert len(stack.json(f"results/{upload_id}/scan.pdf.json")["pages"]) == 2


def test_job_merged_result_equals_the_synchronous_answer(stack: JobStack) -> None:
    data = document_pdf(5)
    upload_id, event = stack.upload(data)
    stack.trigger(event)
    assert stack.drain() == 3
    merged = stack.json(f"results/{upload_id}/scan.pdf.json")
    assert comparable(merged) == comparable(sync_answer(stack, data))
    assert [page["page"] for page in merged["pages"]] == [1, 2, 3, 4, 5]
    assert merged["job"] == {"pages_total": 5, "chunks": 3, "pages_failed": []}
    for number in range(1, 6):
        assert normalise(page_text(number)) in normalise(merged["text"])


@pytest.mark.parametrize(
    "options", [{"pages": "4-5,1"}, {"layout": "single_line"}, {"boxes": "word"}, {"tables": "on"}]
)
def test_job_with_options_equals_the_synchronous_answer(stack: JobStack, options: dict[str, str]) -> None:
    data = document_pdf(5)
    upload_id, event = stack.upload(data, **options)
    assert stack.trigger(event) == {"job_queued": 1}
    stack.drain()
    merged = stack.json(f"results/{upload_id}/scan.pdf.json")
    assert comparable(merged) == comparable(sync_answer(stack, data, **options))


def test_job_progress_is_202_until_the_result_then_200_with_exports(stack: JobStack) -> None:
    client = api(stack)
    upload_id, event = stack.upload(document_pdf(5))
    assert client.get(f"/results/{upload_id}").status_code == 404  # the trigger has not run yet
    stack.trigger(event)
    queued = client.get(f"/results/{upload_id}")
    assert queued.status_code == 202
    assert queued.json() == {
        "state": "queued",
        "pages_total": 5,
        "pages_done": 0,
        "chunks_total": 3,
        "chunks_done": 0,
    }
    stack.deliver()
    running = client.get(f"/results/{upload_id}").json()
    assert running["state"] == "running" and running["pages_done"] in (1, 2) and running["chunks_done"] == 1
    stack.drain()
    done = client.get(f"/results/{upload_id}")
    assert done.status_code == 200
    assert set(done.json()["exports"]) == set(FORMATS) - {"json"}  # every export but JSON


def test_job_exports_are_the_merged_result_in_each_format(stack: JobStack) -> None:
    client = api(stack)
    upload_id, event = stack.upload(document_pdf(3))
    stack.trigger(event)
    stack.drain()
    result = client.get(f"/results/{upload_id}").json()
    text = stack.s3.get_object(Bucket=stack.bucket, Key=f"exports/{upload_id}/scan.pdf.txt")["Body"].read()
    assert text.decode() == result["text"] + "\n"
    jsonl = stack.s3.get_object(Bucket=stack.bucket, Key=f"exports/{upload_id}/scan.pdf.jsonl")["Body"].read()
    assert len(jsonl.decode().splitlines()) == len(result["results"])
    markdown = stack.s3.get_object(Bucket=stack.bucket, Key=f"exports/{upload_id}/scan.pdf.md")["Body"].read()
    assert markdown.decode().count("## Page ") == 3


def test_job_format_redirects_to_a_download_of_the_whole_searchable_pdf(stack: JobStack) -> None:
    client = api(stack)
    upload_id, event = stack.upload(document_pdf(5))
    stack.trigger(event)
    stack.drain()
    answer = client.get(f"/results/{upload_id}", params={"format": "pdf"}, follow_redirects=False)
    assert answer.status_code == 303
    location = httpx.URL(answer.headers["location"])
    assert location.path.endswith(f"exports/{upload_id}/scan.pdf.pdf")
    pdf = stack.s3.get_object(Bucket=stack.bucket, Key=f"exports/{upload_id}/scan.pdf.pdf")["Body"].read()
    texts = [normalise(text) for text in pdf_text(pdf)]
    assert len(texts) == 5
    for number, text in enumerate(texts, start=1):
        assert normalise(page_text(number)) in text


def test_job_format_of_a_result_without_exports_is_404(stack: JobStack) -> None:
    upload_id, event = stack.upload(document_pdf(1))
    stack.trigger(event)
    answer = api(stack).get(f"/results/{upload_id}", params={"format": "text"})
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "export_not_found"


def test_job_over_the_page_limit_reads_the_first_pages_with_a_warning() -> None:
    with job_stack(OCR_JOB_MAX_PAGES="4") as stack:
        upload_id, event = stack.upload(document_pdf(5))
        stack.trigger(event)
        stack.drain()
        merged = stack.json(f"results/{upload_id}/scan.pdf.json")
    assert [page["page"] for page in merged["pages"]] == [1, 2, 3, 4]
    assert merged["warnings"][0]["code"] == "pages_truncated"


def test_job_multi_page_tiff_is_cut_into_tiff_parts(stack: JobStack) -> None:
    pages = [render_page([page_text(n)], size=30, width=600) for n in range(1, 4)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:])
    upload_id, event = stack.upload(buffer.getvalue(), name="scan.tiff")
    assert stack.trigger(event) == {"job_queued": 1}
    assert any(key.endswith(".tiff") for key in stack.keys("jobs/"))
    stack.drain()
    merged = stack.json(f"results/{upload_id}/scan.tiff.json")
    assert comparable(merged) == comparable(sync_answer(stack, buffer.getvalue()))


def test_ocr_cut_at_the_page_cap_says_how_to_send_the_whole_document() -> None:
    with job_stack(OCR_MAX_PDF_PAGES="2") as stack:
        body = sync_answer(stack, document_pdf(3))
    warning = next(w for w in body["warnings"] if w["code"] == "pages_truncated")
    assert "POST /uploads" in warning["message"] and "1000 pages" in warning["message"]
