"""What `make load` sends: line crops, pages, bad inputs and hostile ones, each with the statuses
it may get back.

Bad inputs are the test matrix's files; hostile ones are PDF bombs and odd structures (answered
with a result or a client error within the PDFium worker's limits) and hostile request shapes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.cases import build
from bench.kit.bad_inputs import CASES_BY_NAME, multipage_tiff
from bench.kit.hostile_pdfs import CASES_BY_NAME as HOSTILE_BY_NAME
from bench.kit.hostile_pdfs import HOSTILE_PAGE_SPEC
from bench.kit.raw_pdfs import text_pdf

CASES_DIR = Path(__file__).resolve().parent.parent / ".cache" / "bench-cases"
BAD_CASES = (
    "truncated_jpeg",
    "png_bad_data_crc",
    "png_bomb_50000x50000",
    "text_named_png",
    "animated_gif",
    "zero_bytes",
    "pdf_encrypted",
    "tiff_frames_bomb",
)
HOSTILE_PDFS = (
    "content_spaces",
    "double_flate",
    "form_self_recursion",
    "image_declared_huge",
    "page_tree_deep",
)
"""Bombs that inflate or recurse (each refused within the worker's memory cap), and structures that
are merely odd. Time bombs stay out: each holds the one PDF worker for its full time limit."""
ANSWERED = frozenset({200, 400, 413, 422})
"""What a hostile input may get: a result or a client error, never a 5xx."""
KIND_WEIGHTS = {"line": 6, "page": 2, "bad": 2, "hostile": 1}
REQUEST_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Request:
    kind: str
    name: str
    body: bytes
    content_type: str
    params: dict[str, str]
    expected: frozenset[int]
    raw: bool = False
    """Sent as the whole body with `content_type` (JSON), not as a multipart file."""


def requests_mix() -> dict[str, list[Request]]:
    """Line crops and pages rendered by bench.cases, and the matrix's bad inputs."""
    cases = build(CASES_DIR)
    by_group: dict[str, list[Request]] = defaultdict(list)
    for case in cases:
        data = (CASES_DIR / case.file).read_bytes()
        mime = "image/png" if case.file.endswith(".png") else "image/jpeg"
        if case.group == "line":
            by_group["line"].append(Request("line", case.name, data, mime, {}, OK))
        elif case.name in ("page_document_1080p", "page_street_sign", "lines_10", "lines_20"):
            by_group["page"].append(Request("page", case.name, data, mime, {}, OK))
    by_group["page"].append(Request("page", "tiff_3_pages", multipage_tiff(), "image/tiff", {}, OK))
    by_group["page"].append(Request("page", "pdf_text", text_pdf("Load test PDF"), "application/pdf", {}, OK))
    for name in BAD_CASES:
        bad = CASES_BY_NAME[name]
        expected = frozenset({bad.status})
        by_group["bad"].append(Request("bad", name, bad.data(), bad.content_type, bad.query, expected))
    by_group["hostile"] = hostile_requests(by_group["line"][0].body)
    return by_group


OK = frozenset({200})


def hostile_requests(image: bytes) -> list[Request]:
    """PDF bombs and hostile request shapes, each answered with a result or a client error."""
    pdf = "application/pdf"
    requests = [
        Request("hostile", name, HOSTILE_BY_NAME[name].build(), pdf, {}, ANSWERED) for name in HOSTILE_PDFS
    ]
    deep = b'{"image": "", "ignore": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    requests += [
        Request(
            "hostile", "misspelled_option", image, "image/jpeg", {"layuot": "paragraphs"}, frozenset({400})
        ),
        Request("hostile", "pages_24_kb", text_pdf("x"), pdf, {"pages": HOSTILE_PAGE_SPEC}, frozenset({400})),
        Request("hostile", "json_nested_deep", deep, "application/json", {}, frozenset({400}), raw=True),
    ]
    return requests
