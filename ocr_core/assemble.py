"""From per-page readings to one `OcrResult`: layout, blocks, line ends, warnings.

Pages are read one by one (by OCR or from a PDF's text layer); this module puts each page's
lines in reading order for the requested layout, numbers the blocks across pages, sets the
`end` of the very last line to "" (so joining `text + end` gives exactly `OcrResult.text`), and
gathers the warnings of every page plus the document-level ones.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ocr_core.decode import Page
from ocr_core.ignore_regions import inside_any
from ocr_core.layout import arrange, block_box
from ocr_core.options import OcrOptions
from ocr_core.page_notes import pages_capped
from ocr_core.result import Block, ModelInfo, OcrResult, OcrWarning, PageInfo, TextLine, TextPart


@dataclass(frozen=True)
class PageRead:
    """One page's lines in detection order, how it was read, and what the user should know."""

    lines: Sequence[TextLine]
    mode: str
    upside_down: bool = False
    warnings: Sequence[OcrWarning] = field(default_factory=tuple)


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
    lines = [_layer_boxes(line, options.boxes) for line in lines]
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
    """Words of a text-layer line: runs between spaces, CJK characters one by one.

    `chars` are the line's characters that are not spaces, in the order of `text`.
    """
    words: list[TextPart] = []
    run: list[TextPart] = []
    parts = iter(chars)
    for char in text + " ":
        if run and (char == " " or unicodedata.east_asian_width(char) in ("W", "F")):
            words.append(_merge(run))
            run = []
        if char != " ":
            part = next(parts, None)
            if part is None:
                break
            run.append(part)
            if unicodedata.east_asian_width(char) in ("W", "F"):
                words.append(_merge(run))
                run = []
    return tuple(words)


def _merge(run: Sequence[TextPart]) -> TextPart:
    left = min(p.box[0][0] for p in run)
    top = min(p.box[0][1] for p in run)
    right = max(p.box[2][0] for p in run)
    bottom = max(p.box[2][1] for p in run)
    text = "".join(part.text for part in run)
    return TextPart(text, ((left, top), (right, top), (right, bottom), (left, bottom)), 1.0)


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
    for page, read in reads:
        height, width = page.image.shape[:2]
        infos.append(PageInfo(page.number, width, height, read.mode))
        warnings += read.warnings
        arranged = arrange(read.lines, options.layout, width, height, read.upside_down)
        offset = len(lines)
        lines += arranged.lines
        for group in arranged.blocks:
            members = [arranged.lines[i] for i in group]
            blocks.append(Block(page.number, tuple(offset + i for i in group), block_box(members)))
    if lines:
        lines[-1] = replace(lines[-1], end="")
    return OcrResult(tuple(lines), tuple(infos), model, timings, tuple(blocks), tuple(warnings))
