"""Exports of a result for people and pipelines: plain text, Markdown, HTML, JSON Lines,
searchable PDF, and tables as CSV or XLSX.

All are built from the same `OcrResult` as the JSON answer, so they agree with it: the text
export is `OcrResult.text`; Markdown writes each block as a paragraph and each table as a
table (pages as sections when there are several); HTML the same as a plain document; JSON Lines
gives one object per text line, for streaming into other tools; CSV and XLSX hold the tables
(`spreadsheet`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ocr_core.input.page import Page
from ocr_core.output.pdf_writer import searchable_pdf
from ocr_core.output.result import OcrResult, Table

MEDIA_TYPES = {
    "json": "application/json",
    "text": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {
    "json": "json",
    "text": "txt",
    "markdown": "md",
    "html": "html",
    "jsonl": "jsonl",
    "pdf": "pdf",
    "csv": "csv",
    "xlsx": "xlsx",
}
BINARY = ("pdf", "xlsx")
"""Exports that are files to save, not text to show."""
ZIP_MEDIA_TYPE = "application/zip"


@dataclass(frozen=True)
class ExportFile:
    """An export's bytes, media type and file extension (CSV of several tables is a ZIP)."""

    content: bytes
    media_type: str
    extension: str


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MARKDOWN_LEADING = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def to_text(result: OcrResult) -> str:
    return result.text + "\n" if result.text else ""


def to_markdown(result: OcrResult) -> str:
    tables_at = {min(table.lines): table for table in result.tables or () if table.lines}
    in_table = {i for table in result.tables or () for i in table.lines}
    sections: list[str] = []
    several = len(result.pages) > 1
    for info in result.pages:
        blocks = [block for block in result.blocks if block.page == info.page]
        paragraphs = []
        for block in sorted(blocks, key=lambda b: b.lines[0]):
            if block.lines[0] in tables_at:
                paragraphs.append(markdown_table(tables_at[block.lines[0]]))
                continue
            if block.lines[0] in in_table:
                continue
            lines = [result.lines[i] for i in block.lines]
            parts = [_escape(line.text) + ("  \n" if line.end == "\n" else line.end) for line in lines[:-1]]
            paragraphs.append("".join(parts) + _escape(lines[-1].text))
        body = "\n\n".join(paragraphs)
        sections.append(f"## Page {info.page}\n\n{body}" if several else body)
    text = "\n\n".join(section for section in sections if section)
    return text + "\n" if text else ""


def markdown_table(table: Table) -> str:
    """A pipe table: the first row is its header (Markdown tables have exactly one); a merged
    cell's text sits in its top-left slot, the slots it covers stay empty."""
    rows = [[_escape(text) for text in row] for row in table.texts()]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join([lines[0], "|" + " --- |" * table.cols, *lines[1:]])


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
    # The HTML and spreadsheet writers (and csv, zipfile, html) load on first use, not at cold start.
    if output in ("csv", "xlsx"):
        from ocr_core.output import spreadsheet

        return spreadsheet.to_csv(result) if output == "csv" else spreadsheet.to_xlsx(result)
    if output == "html":
        from ocr_core.output.html_export import to_html

        return to_html(result).encode("utf-8")
    writers = {"text": to_text, "markdown": to_markdown, "jsonl": to_jsonl}
    return writers[output](result).encode("utf-8")


def export_file(result: OcrResult, pages: Sequence[Page], output: str) -> ExportFile:
    """`export` with the media type and extension of what it wrote."""
    content = export(result, pages, output)
    if output == "csv" and zipfile_magic(content):
        return ExportFile(content, ZIP_MEDIA_TYPE, "zip")
    return ExportFile(content, MEDIA_TYPES[output], EXTENSIONS[output])


def zipfile_magic(content: bytes) -> bool:
    """A ZIP archive (what CSV of several tables is) starts with its local file header."""
    return content[:4] == b"PK\x03\x04"


def _escape(text: str) -> str:
    """Keep OCR text literal in Markdown: no accidental emphasis, links, headings or list items."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    return _MARKDOWN_LEADING.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)
