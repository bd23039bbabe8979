"""Exports of a result for people and pipelines: plain text, Markdown, JSON Lines, searchable PDF.

All are built from the same `OcrResult` as the JSON answer, so they agree with it: the text
export is `OcrResult.text`; Markdown writes each block as a paragraph (pages as sections when
there are several); JSON Lines gives one object per text line, for streaming into other tools.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ocr_core.input.page import Page
from ocr_core.output.pdf_writer import searchable_pdf
from ocr_core.output.result import OcrResult

MEDIA_TYPES = {
    "json": "application/json",
    "text": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "pdf": "application/pdf",
}
EXTENSIONS = {"json": "json", "text": "txt", "markdown": "md", "jsonl": "jsonl", "pdf": "pdf"}

_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MARKDOWN_LEADING = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def to_text(result: OcrResult) -> str:
    return result.text + "\n" if result.text else ""


def to_markdown(result: OcrResult) -> str:
    sections: list[str] = []
    several = len(result.pages) > 1
    for info in result.pages:
        blocks = [block for block in result.blocks if block.page == info.page]
        paragraphs = []
        for block in sorted(blocks, key=lambda b: b.lines[0]):
            lines = [result.lines[i] for i in block.lines]
            parts = [_escape(line.text) + ("  \n" if line.end == "\n" else line.end) for line in lines[:-1]]
            paragraphs.append("".join(parts) + _escape(lines[-1].text))
        body = "\n\n".join(paragraphs)
        sections.append(f"## Page {info.page}\n\n{body}" if several else body)
    text = "\n\n".join(section for section in sections if section)
    return text + "\n" if text else ""


def to_jsonl(result: OcrResult) -> str:
    block_of = {index: number for number, block in enumerate(result.blocks) for index in block.lines}
    records = []
    for index, line in enumerate(result.lines):
        record = {"line": index, "block": block_of.get(index), **line.to_dict()}
        records.append(json.dumps(record, ensure_ascii=False))
    return "".join(record + "\n" for record in records)


def export(result: OcrResult, pages: Sequence[Page], output: str) -> bytes:
    """The result in `output` format (not "json": the API shapes that itself)."""
    if output == "pdf":
        return searchable_pdf(result, pages)
    writers = {"text": to_text, "markdown": to_markdown, "jsonl": to_jsonl}
    return writers[output](result).encode("utf-8")


def _escape(text: str) -> str:
    """Keep OCR text literal in Markdown: no accidental emphasis, links, headings or list items."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_LEADING.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)
