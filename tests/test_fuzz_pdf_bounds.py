"""`make fuzz` only: larger hostile PDFs and generated PDF structures through the Lambda handler,
each in a fresh process, bounded by the peak memory of every process of the request.

`make test` runs the default-size cases the same way (`test_memory_bounds`); here the inflating
cases go to 4 GB and hypothesis generates a hundred more documents.
"""

from __future__ import annotations

import inspect
import tempfile

import pytest
from hypothesis import given

from bench.kit.hostile_pdfs import CASES, GiB
from tests.helpers.fuzzing import LONG_RUN, fuzz_settings
from tests.helpers.memory_probe import measure
from tests.pdf_strategies import pdf_documents

REQUEST_PEAK_MB = 1024
"""The service's goal: the processes of one request together stay under 1 GB (see test_memory_bounds)."""
API_STATUSES = {200, 400, 413, 415, 422}
pytestmark = [
    pytest.mark.skipif(not LONG_RUN, reason="make fuzz: each example is a fresh process"),
    pytest.mark.timeout(0),  # minutes of fresh processes
]

LARGE_HOSTILE = [
    f"{c.name}:inflated={4 * GiB}" for c in CASES if "inflated" in inspect.signature(c.build).parameters
]
"""The inflating cases at 4 GB (most are 4 MB files; larger ones get the byte limit's 413)."""


@pytest.mark.parametrize("query", ["pdf_text=auto", "pdf_text=ocr", "format=pdf"])
@pytest.mark.parametrize("case", [case.name for case in CASES] + LARGE_HOSTILE)
def test_post_ocr_hostile_pdf_in_fresh_process_stays_under_request_bound(case: str, query: str) -> None:
    report = measure(case, "--query", query)
    assert report["status"] in API_STATUSES and report["total_mb"] < REQUEST_PEAK_MB, report


@fuzz_settings(examples=4)  # x SCALE: 100 fresh processes in the long run
@given(data=pdf_documents(long_run=True))
def test_post_ocr_generated_pdf_in_fresh_process_stays_under_request_bound(data: bytes) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        report = measure(f"file:{file.name}")
    assert report["status"] in API_STATUSES and report["total_mb"] < REQUEST_PEAK_MB, report
