"""The pieces a job is built from, without AWS: cutting documents, joining PDFs, results as JSON,
and putting the results of parts back together exactly as the engine reads the whole."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bench.kit.raw_pdfs import PDF_PASSWORD, encrypted_pdf
from bench.kit.render import render_page
from bench.scoring import normalise
from handler.jobs.combine import combine, renumber
from handler.jobs.split import chunk_pages, part_pages
from ocr_core import Limits, OcrEngine, OcrOptions, OcrResult
from ocr_core.errors import InputTooLargeError, InvalidImageError, PdfPasswordError
from ocr_core.input.decode import decode
from ocr_core.input.page import Page
from ocr_core.input.pdf_split import PdfSource
from ocr_core.input.tiff_split import TiffSource
from ocr_core.lines import TextLine
from ocr_core.output.pdf_concat import concat_pdfs
from ocr_core.output.pdf_writer import searchable_pdf
from ocr_core.output.result import ModelInfo
from ocr_core.output.result_json import result_from_dict
from tests.helpers.jobs import document_pdf, page_text
from tests.helpers.pdfs import pdf_text, text_pdf


def saved(tmp_path: Path, data: bytes, name: str = "doc") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def timeless(result: OcrResult) -> dict[str, object]:
    body = result.to_dict()
    body.pop("timings_ms")
    body.pop("total_time_ms")
    return body


@pytest.mark.parametrize(
    ("count", "size", "sizes"), [(17, 8, [6, 6, 5]), (16, 8, [8, 8]), (5, 2, [2, 2, 1]), (3, 8, [3])]
)
def test_chunk_pages_are_consecutive_and_even(count: int, size: int, sizes: list[int]) -> None:
    numbers = list(range(1, count + 1))
    chunks = chunk_pages(numbers, size)
    assert [len(chunk) for chunk in chunks] == sizes
    assert [page for chunk in chunks for page in chunk] == numbers


@pytest.mark.parametrize(
    ("file_mb", "pages", "expected"), [(80, 200, 8), (300, 3, 1), (120, 4, 1), (160, 16, 5), (1, 1, 8)]
)
def test_part_pages_shrink_for_heavy_pages_so_a_part_stays_near_50_mb(
    file_mb: int, pages: int, expected: int
) -> None:
    assert part_pages(8, file_mb * 1024 * 1024, pages) == expected


def test_pdf_part_holds_the_chosen_pages_in_order_with_their_text_layer(tmp_path: Path) -> None:
    pages = [[(f"Page number {n}", 40, 200, 20)] for n in range(1, 6)]
    with PdfSource(saved(tmp_path, text_pdf(pages))) as source:
        assert source.page_count == 5
        part = source.part([4, 2])
    assert pdf_text(part) == ["Page number 4", "Page number 2"]


def test_pdf_part_of_an_encrypted_pdf_needs_no_password(tmp_path: Path) -> None:
    path = saved(tmp_path, encrypted_pdf("Top secret"))
    with pytest.raises(PdfPasswordError):
        PdfSource(path)
    with PdfSource(path, PDF_PASSWORD) as source:
        part = source.part([1])
    assert pdf_text(part) == ["Top secret"]


def test_pdf_source_of_a_damaged_file_is_invalid_image(tmp_path: Path) -> None:
    with pytest.raises(InvalidImageError):
        PdfSource(saved(tmp_path, document_pdf(2)[:400]))


def test_tiff_part_holds_the_chosen_frames_pixel_for_pixel(tmp_path: Path) -> None:
    frames = [render_page([page_text(n)], size=24, width=300) for n in range(1, 4)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    with TiffSource(saved(tmp_path, buffer.getvalue()), Limits()) as source:
        assert source.page_count == 3
        part = source.part([3, 1])
    decoded = decode(part)
    assert [
        np.array_equal(page.image, np.asarray(frames[n])) for page, n in zip(decoded, (2, 0), strict=True)
    ] == [
        True,
        True,
    ]


def test_tiff_part_checks_each_frame_against_the_pixel_limit(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (100, 100), "white"), Image.new("RGB", (400, 400), "white")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:])
    with TiffSource(saved(tmp_path, buffer.getvalue()), Limits(max_pixels=50_000)) as source:
        assert source.part([1])
        with pytest.raises(InputTooLargeError):
            source.part([2])


def searchable_part(tmp_path: Path, name: str, texts: list[str]) -> Path:
    """A searchable PDF as a chunk writes it: one page per text, the text invisible over the image."""
    box = ((10, 10), (380, 10), (380, 40), (10, 40))
    lines = tuple(TextLine(text, 0.9, box, page=n) for n, text in enumerate(texts, start=1))
    pages = [Page(n, np.full((60, 400, 3), 255, np.uint8), dpi=72.0) for n in range(1, len(texts) + 1)]
    result = OcrResult(lines, (), ModelInfo("preset", "det", "rec"))
    return saved(tmp_path, searchable_pdf(result, pages), name)


def test_concat_pdfs_joins_pages_in_order_with_their_text(tmp_path: Path) -> None:
    parts = [
        searchable_part(tmp_path, f"{n}.pdf", [f"第{n}块 part {n} page {p}" for p in (1, 2)]) for n in (1, 2)
    ]
    output = tmp_path / "joined.pdf"
    assert concat_pdfs(iter(parts), output) == 4
    expected = ["第1块 part 1 page 1", "第1块 part 1 page 2", "第2块 part 2 page 1", "第2块 part 2 page 2"]
    assert pdf_text(output.read_bytes()) == expected
    again = tmp_path / "again.pdf"  # a joined PDF joins again (a chunk read page by page is one)
    assert concat_pdfs(iter([output, parts[0]]), again) == 6
    assert pdf_text(again.read_bytes()) == [*expected, *expected[:2]]


def test_concat_pdfs_refuses_a_pdf_it_did_not_write(tmp_path: Path) -> None:
    with pytest.raises(InvalidImageError):
        concat_pdfs(iter([saved(tmp_path, b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")]), tmp_path / "out.pdf")


def test_result_from_dict_is_the_inverse_of_to_dict(engine: OcrEngine) -> None:
    result = engine.run(document_pdf(2), OcrOptions(boxes="char"))
    assert any(line.chars for line in result.lines) and result.blocks
    again = result_from_dict(result.to_dict()).to_dict()
    assert abs(again.pop("total_time_ms") - result.to_dict()["total_time_ms"]) < 1.0  # sum of rounded stages
    assert again == {name: value for name, value in result.to_dict().items() if name != "total_time_ms"}


@pytest.mark.parametrize("layout", ["lines", "paragraphs", "single_line", "none"])
def test_combined_parts_equal_the_whole_document_read_at_once(
    engine: OcrEngine, tmp_path: Path, layout: str
) -> None:
    options = OcrOptions(layout=layout)
    data = document_pdf(5)
    with PdfSource(saved(tmp_path, data)) as source:
        chunks = chunk_pages(list(range(1, 6)), 2)
        parts = [renumber(engine.run(source.part(pages), options), pages) for pages in chunks]
    whole = engine.run(data, options)
    assert timeless(combine(parts, layout)) == timeless(whole)
    assert normalise(page_text(5)) in normalise(whole.text)
