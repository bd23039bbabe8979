"""A worker's reading of one chunk: its part file -> the result and searchable PDF of its pages.

The part is read through the one service path (`handler.service.answer`) with the upload's
options, as a synchronous request would read those pages; its pages are then given their numbers
in the document (`combine.renumber`).

A failure the input causes (a page too large, a damaged page: a 4xx error) would fail again on
every retry, so it is not retried: the chunk is read again page by page, and only the pages that
fail are recorded as failed, each with its error. So is a chunk that needs more time than the
invocation has (`time_budget_exceeded`): a retry would take as long. Anything else (S3, models,
memory) is raised, so SQS delivers the chunk again.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from handler import service
from handler.errors import is_client_error
from handler.jobs.combine import combine, renumber
from handler.jobs.records import ChunkMessage, ChunkRecord, PageError
from handler.settings import Settings
from ocr_core import OcrError, OcrResult
from ocr_core.errors import TimeBudgetExceededError
from ocr_core.options import OcrOptions, RequestOptions, parse_upload_options
from ocr_core.output.pdf_concat import concat_pdfs


@dataclass(frozen=True)
class ChunkOutput:
    """What a chunk produced: its record, and the searchable PDF of the pages it read (if any)."""

    record: ChunkRecord
    pdf: bytes | None


def is_final(error: BaseException) -> bool:
    """A failure no retry can mend (see the module docstring)."""
    return is_client_error(error) or isinstance(error, TimeBudgetExceededError)


def read_chunk(
    data: bytes, message: ChunkMessage, settings: Settings, request_id: str, deadline: float | None
) -> ChunkOutput:
    started = time.perf_counter()
    try:
        options = parse_upload_options(message.options, settings.default_preset).ocr
    except OcrError as error:  # the trigger checked the same options: only a damaged message gets here
        return _failed(message, error, started)
    errors: list[PageError] = []
    try:
        units = [_read(data, options, message.pages, settings, request_id, deadline)]
    except OcrError as error:
        if not is_final(error):
            raise
        if len(message.pages) == 1 or isinstance(error, TimeBudgetExceededError):
            return _failed(message, error, started)
        units, errors = _page_by_page(data, options, message.pages, settings, request_id, deadline)
    seconds = {"read": time.perf_counter() - started}
    if not units:
        return ChunkOutput(ChunkRecord(message.chunk, message.pages, None, tuple(errors), seconds), None)
    result = combine([unit[0] for unit in units], options.layout)
    pdf = units[0][1] if len(units) == 1 else _concat([unit[1] for unit in units])
    return ChunkOutput(
        ChunkRecord(message.chunk, message.pages, result.to_dict(), tuple(errors), seconds), pdf
    )


def _failed(message: ChunkMessage, error: OcrError, started: float) -> ChunkOutput:
    """Every page of the chunk failed with `error`."""
    errors = tuple(PageError(page, error.code, error.message) for page in message.pages)
    seconds = {"read": time.perf_counter() - started}
    return ChunkOutput(ChunkRecord(message.chunk, message.pages, None, errors, seconds), None)


def _read(
    data: bytes,
    options: OcrOptions,
    numbers: Sequence[int],
    settings: Settings,
    request_id: str,
    deadline: float | None,
) -> tuple[OcrResult, bytes]:
    """The result (pages numbered as in the document) and searchable PDF of the part's selected pages."""
    limits = settings.upload_limits()
    reply = service.answer(
        data, RequestOptions(options, "pdf"), settings, limits, request_id, deadline, limits.max_bytes
    )
    assert reply.export is not None  # nosec B101 - format "pdf" always exports; narrows the type
    return renumber(reply.result, numbers), reply.export.content


def _page_by_page(
    data: bytes,
    options: OcrOptions,
    numbers: Sequence[int],
    settings: Settings,
    request_id: str,
    deadline: float | None,
) -> tuple[list[tuple[OcrResult, bytes]], list[PageError]]:
    units: list[tuple[OcrResult, bytes]] = []
    errors: list[PageError] = []
    for index, page in enumerate(numbers, start=1):
        try:
            units.append(
                _read(data, replace(options, pages=(index,)), numbers, settings, request_id, deadline)
            )
        except OcrError as error:
            if not is_final(error):
                raise
            errors.append(PageError(page, error.code, error.message))
    return units, errors


def _concat(pdfs: Sequence[bytes]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="ocr-chunk-") as folder:
        output = Path(folder) / "chunk.pdf"
        concat_pdfs(_written(pdfs, Path(folder)), output)
        return output.read_bytes()


def _written(pdfs: Sequence[bytes], folder: Path) -> Iterator[Path]:
    for index, pdf in enumerate(pdfs):
        path = folder / f"{index}.pdf"
        path.write_bytes(pdf)
        yield path
