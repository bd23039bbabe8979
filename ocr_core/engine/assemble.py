"""From per-page readings to one `OcrResult`: layout, blocks, line ends, warnings.

Pages are read one by one (by OCR or from a PDF's text layer); this module puts each page's
lines in reading order for the requested layout, numbers the blocks across pages, sets the
`end` of the very last line to "" (so joining `text + end` gives exactly `OcrResult.text`), and
gathers the warnings of every page plus the document-level ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ocr_core.geometry import box_around
from ocr_core.input.page import Page
from ocr_core.layout.arrange import arrange
from ocr_core.layout.ignore_regions import inside_any
from ocr_core.layout.word_boxes import word_groups
from ocr_core.lines import TextLine, TextPart
from ocr_core.options import OcrOptions
from ocr_core.output.result import Block, ModelInfo, OcrResult, OcrWarning, PageInfo, Table
from ocr_core.output.warnings import pages_capped

if TYPE_CHECKING:  # the table modules load only for requests with tables=on
    from ocr_core.layout.tables import TableLayout


@dataclass(frozen=True)
class PageRead:
    """One page's lines in detection order, how it was read, and what the user should know."""

    lines: Sequence[TextLine]
    mode: str
    upside_down: bool = False
    warnings: Sequence[OcrWarning] = field(default_factory=tuple)
    tables: Sequence[TableLayout] = ()
    """Tables found on the page (`tables=on`), lines as indices into `lines`."""


def uses_text_layer(page: Page, options: OcrOptions) -> bool:
    return options.pdf_text != "ocr" and page.text_lines is not None


def skips_ocr(page: Page, options: OcrOptions) -> bool:
    """Pages answered without OCR: a text layer used, or `pdf_text=text` on a PDF page without one."""
    return uses_text_layer(page, options) or (options.pdf_text == "text" and page.dpi is not None)


def text_layer_read(page: Page, options: OcrOptions) -> PageRead:
    """A PDF page answered from its own text (or, with `pdf_text=text` and none there, empty)."""
    if page.text_lines is None:
        note = OcrWarning(
            "no_text_layer", "the page has no text layer and pdf_text=text skips OCR", page.number
        )
        return PageRead((), "text", warnings=(note,))
    height, width = page.image.shape[:2]
    lines = [line for line in page.text_lines if not inside_any(line.box, options.ignore, (width, height))]
    level = "char" if options.tables == "on" else options.boxes  # tables split lines at char gaps
    lines = [_layer_boxes(line, level) for line in lines]
    note = OcrWarning(
        "text_layer_used",
        "the page's own text layer was returned without OCR (pdf_text=ocr to OCR it)",
        page.number,
    )
    return PageRead(lines, "text", warnings=(note,))


def _layer_boxes(line: TextLine, level: str) -> TextLine:
    chars = line.chars or ()
    if level == "line":
        return replace(line, chars=None)
    words = layer_words(chars, line.text)
    return replace(line, words=words, chars=chars if level == "char" else None)


def layer_words(chars: Sequence[TextPart], text: str) -> tuple[TextPart, ...]:
    """Words of a text-layer line (`word_groups`, as for OCR), each boxed around its characters.

    `chars` are the line's characters that are not spaces, in the order of `text`; words past
    the last of them are left out.
    """
    part_at = dict(zip((i for i, char in enumerate(text) if not char.isspace()), chars, strict=False))
    words: list[TextPart] = []
    for group in word_groups(text):
        if any(i not in part_at for i in group):
            break
        run = [part_at[i] for i in group]
        words.append(TextPart("".join(part.text for part in run), box_around(part.box for part in run), 1.0))
    return tuple(words)


def assemble(
    reads: Sequence[tuple[Page, PageRead]],
    options: OcrOptions,
    model: ModelInfo,
    timings: dict[str, float],
    document_pages: int | None = None,
) -> OcrResult:
    lines: list[TextLine] = []
    blocks: list[Block] = []
    infos: list[PageInfo] = []
    warnings: list[OcrWarning] = []
    if document_pages is not None and options.pages is None:
        warnings += pages_capped(document_pages, len(reads))
    tables: list[Table] = []
    for page, read in reads:
        height, width = page.image.shape[:2]
        infos.append(PageInfo(page.number, width, height, read.mode))
        warnings += read.warnings
        table_lines = [table.lines for table in read.tables]
        arranged = arrange(read.lines, options.layout, width, height, read.upside_down, table_lines)
        offset = len(lines)
        if read.tables:
            from ocr_core.engine.table_step import result_tables

            tables += result_tables(page.number, read.tables, arranged, offset)
        lines += arranged.lines
        for group in arranged.blocks:
            box = box_around(arranged.lines[i].box for i in group)
            blocks.append(Block(page.number, tuple(offset + i for i in group), box))
    if lines:
        lines[-1] = replace(lines[-1], end="")
    found = tuple(tables) if options.tables == "on" else None
    return OcrResult(tuple(lines), tuple(infos), model, timings, tuple(blocks), tuple(warnings), found)
