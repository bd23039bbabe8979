"""Page selections that expand: counted from the range ends and refused before any is expanded.

A 24 KB `pages` value of `1-10000` ranges used to build tens of millions of entries (1.4-2.3 GB,
the event loop blocked), and many ranges over a 5,000-page PDF ran a quadratic selection for
~50 s under the PDFium lock. `tests/test_memory_bounds.py` bounds the memory of the 24 KB value
through the Lambda handler in a fresh process.
"""

from __future__ import annotations

import pytest

from bench.kit.events import call_api, load_event, with_body, with_query
from bench.kit.hostile_pdfs import HOSTILE_PAGE_SPEC
from bench.kit.raw_pdfs import many_pages_pdf
from handler.api import handler
from ocr_core.errors import InputTooLargeError, InvalidOptionError
from ocr_core.input.page_selection import MAX_PAGE_RANGES, MAX_SELECTED_PAGES, parse_pages, select_pages

LONG_DOCUMENT_PAGES = 5_000


def test_parse_pages_more_ranges_than_cap_refused_as_invalid_option() -> None:
    with pytest.raises(InvalidOptionError, match=f"at most {MAX_PAGE_RANGES} ranges"):
        parse_pages(",".join(["1"] * (MAX_PAGE_RANGES + 1)))


def test_parse_pages_hostile_24_kb_spec_refused_before_expanding() -> None:
    assert len(HOSTILE_PAGE_SPEC) == 24 * 1024
    with pytest.raises(InvalidOptionError, match="parts"):
        parse_pages(HOSTILE_PAGE_SPEC)


def test_parse_pages_ranges_naming_more_pages_than_cap_refused_as_too_large() -> None:
    with pytest.raises(InputTooLargeError, match=f"names {500 * 1_000_000} pages"):
        parse_pages(",".join(["1-1000000"] * 500))


def test_parse_pages_at_both_caps_parses() -> None:
    per_range = MAX_SELECTED_PAGES // MAX_PAGE_RANGES
    numbers = parse_pages(",".join([f"1-{per_range}"] * MAX_PAGE_RANGES))
    assert numbers is not None and len(numbers) == MAX_SELECTED_PAGES


def test_parse_pages_number_of_thousands_of_digits_is_invalid_option() -> None:
    with pytest.raises(InvalidOptionError, match="bad page selection"):
        parse_pages("9" * 5_000)


def test_parse_pages_negative_ranges_expand_and_mixed_ranges_wait_for_the_page_count() -> None:
    assert parse_pages("-3--1,2--2") == (-3, -2, -1, (2, -2))


def test_select_pages_mixed_range_runs_from_a_page_to_one_counted_from_the_end() -> None:
    assert select_pages(parse_pages("2--1"), 5, 20) == [2, 3, 4, 5]
    assert select_pages(parse_pages("-1-1"), 3, 20) == [3, 2, 1]
    assert select_pages(parse_pages("1,2--2,5"), 5, 20) == [1, 2, 3, 4, 5]
    with pytest.raises(InvalidOptionError, match="page -9 is outside"):
        select_pages(parse_pages("1--9"), 5, 20)


def test_select_pages_mixed_ranges_count_against_the_named_cap_once_resolved() -> None:
    requested = parse_pages(",".join(["1--1"] * 3))  # 15,000 pages named over 5,000 pages
    with pytest.raises(InputTooLargeError, match="names 15000 pages"):
        select_pages(requested, LONG_DOCUMENT_PAGES, LONG_DOCUMENT_PAGES)


def test_select_pages_repeated_ranges_over_long_document_keep_first_mention_order() -> None:
    requested = parse_pages(f"{LONG_DOCUMENT_PAGES}-1,1-{LONG_DOCUMENT_PAGES}")
    selected = select_pages(requested, LONG_DOCUMENT_PAGES, LONG_DOCUMENT_PAGES)
    assert selected == list(range(LONG_DOCUMENT_PAGES, 0, -1))


def test_select_pages_over_page_cap_names_the_count() -> None:
    with pytest.raises(InputTooLargeError, match="30 pages selected; at most 20"):
        select_pages(parse_pages("1-30,30-1"), 100, 20)


def post_pdf(data: bytes, **query: str) -> tuple[int, dict[str, object]]:
    event = with_query(with_body(load_event("apigw_v2_binary"), data, "application/pdf"), **query)
    response = call_api(handler, event)
    return response.status, response.json()


def test_post_ocr_hostile_24_kb_pages_value_returns_400_invalid_option() -> None:
    status, body = post_pdf(many_pages_pdf(3), pages=HOSTILE_PAGE_SPEC)
    assert status == 400
    assert body["error"]["code"] == "invalid_option"  # type: ignore[index]
    # The option parser's length cap refuses it before the page parser's range cap would.
    assert "pages" in body["error"]["message"]  # type: ignore[index]


def test_post_ocr_many_ranges_over_5000_page_pdf_returns_413() -> None:
    status, body = post_pdf(many_pages_pdf(LONG_DOCUMENT_PAGES), pages=f"1-{LONG_DOCUMENT_PAGES},1-5000")
    assert status == 413
    assert "pages selected" in str(body["error"])


def test_post_ocr_mixed_range_reads_the_second_page_to_the_last() -> None:
    status, body = post_pdf(many_pages_pdf(5), pages="2--1", pdf_text="text")
    assert status == 200, body
    assert [page["page"] for page in body["pages"]] == [2, 3, 4, 5]  # type: ignore[index, union-attr]


def test_post_ocr_repeated_ranges_within_caps_over_5000_page_pdf_reads_the_selected_pages() -> None:
    spec = ",".join(["1-20", "20-1"] * 250)  # 500 ranges, 10,000 numbers, 20 pages
    status, body = post_pdf(many_pages_pdf(LONG_DOCUMENT_PAGES), pages=spec, pdf_text="text")
    assert status == 200, body
    assert [page["page"] for page in body["pages"]] == list(range(1, 21))  # type: ignore[index, union-attr]
