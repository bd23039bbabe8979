"""Which pages of a multi-page document to read.

Accepts the forms people type: "3", "1-3", "2,5,7-9", "-1" (last page), "-3--1" (last three),
"2--1" (the second page to the last: a range whose ends differ in sign is resolved once the
document's page count is known).
Selecting pages within the document is always allowed; an explicit selection of more than
`max_pages` is refused (the caller asked for those pages). A document sent without a selection
that has more pages than the cap is read up to the cap: the engine returns that partial result
with a warning naming the pages read and how to ask for the rest, never a silent cut.

A selection is text from outside, and a short one can name millions of pages ("1-10000" a
thousand times fits in 24 KB): the number of ranges and the pages they name together are
counted from the range ends before any range is expanded, and resolving against the document
is linear in what was named.
"""

from __future__ import annotations

from collections.abc import Sequence

from ocr_core.errors import InputTooLargeError, InvalidOptionError

MAX_PAGE_RANGES = 1_000
"""Most comma-separated parts in one selection (every odd page of a 2,000-page document)."""
MAX_SELECTED_PAGES = 10_000
"""Most page numbers one selection may name, repeats included: more than any page cap allows."""

PageRef = int | tuple[int, int]
"""A page number (negative: from the end), or a range whose ends differ in sign, `(2, -1)`."""


def parse_pages(spec: str | None) -> tuple[PageRef, ...] | None:
    """Parse a page spec into 1-based or negative page numbers (and ranges whose ends differ in
    sign); None means all pages."""
    if spec is None or not spec.strip():
        return None
    parts = [part for part in spec.replace(" ", "").split(",") if part]
    if len(parts) > MAX_PAGE_RANGES:
        raise InvalidOptionError(
            f"the page selection has {len(parts)} parts; at most {MAX_PAGE_RANGES} ranges or numbers are read"
        )
    ranges = [_range(part, spec) for part in parts]
    _check_named(sum(_length(first, last) for first, last in ranges))
    numbers: list[PageRef] = []
    for first, last in ranges:
        numbers.extend(_expand(first, last))
    return tuple(numbers)


def _check_named(named: int) -> None:
    if named > MAX_SELECTED_PAGES:
        raise InputTooLargeError(
            f"the page selection names {named} pages; at most {MAX_SELECTED_PAGES} can be named"
        )


def _range(part: str, spec: str) -> tuple[int, int]:
    start, sep, end = _split_range(part)
    try:
        first = int(start)
        last = int(end) if sep else first
    except ValueError:  # not a number, or one of thousands of digits
        raise InvalidOptionError(f"bad page selection {spec[:100]!r}: use forms like 1-3,5 or -1") from None
    if first == 0 or last == 0:
        raise InvalidOptionError("pages are numbered from 1 (or -1 for the last page)")
    return first, last


def _split_range(part: str) -> tuple[str, str, str]:
    # "-3--1" splits at the dash after a digit, so negative starts stay intact.
    for index in range(1, len(part)):
        if part[index] == "-" and part[index - 1].isdigit():
            return part[:index], "-", part[index + 1 :]
    return part, "", ""


def _length(first: int, last: int) -> int:
    """How many numbers the range expands to now (see `_expand`); a mixed range counts when the
    document's page count resolves it (`select_pages`)."""
    if (first > 0) != (last > 0):
        return 0
    return abs(last - first) + 1


def _expand(first: int, last: int) -> list[PageRef]:
    if (first > 0) != (last > 0):
        return [(first, last)]  # mixed signs are resolved once the page count is known
    step = 1 if last >= first else -1
    return list(range(first, last + step, step))


def select_pages(requested: Sequence[PageRef] | None, count: int, max_pages: int) -> list[int]:
    """Resolve the selection against the document's page count and enforce the page cap."""
    if requested is None:
        return list(range(1, min(count, max_pages) + 1))
    ranges = [_resolve(ref, count) for ref in requested]
    _check_named(sum(abs(last - first) + 1 for first, last in ranges))
    resolved: dict[int, None] = {}  # insertion-ordered set: first mention wins, lookups are O(1)
    for first, last in ranges:
        step = 1 if last >= first else -1
        resolved.update(dict.fromkeys(range(first, last + step, step)))
    if len(resolved) > max_pages:
        raise InputTooLargeError(f"{len(resolved)} pages selected; at most {max_pages} per request")
    return list(resolved)


def _resolve(ref: PageRef, count: int) -> tuple[int, int]:
    """A page number or mixed range as a range of pages within the document."""
    first, last = ref if isinstance(ref, tuple) else (ref, ref)
    ends = tuple(number if number > 0 else count + 1 + number for number in (first, last))
    for number, page in zip((first, last), ends, strict=True):
        if not 1 <= page <= count:
            raise InvalidOptionError(f"page {number} is outside the document's {count} pages")
    return ends[0], ends[1]
