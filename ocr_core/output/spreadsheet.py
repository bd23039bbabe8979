"""Tables for spreadsheets: CSV (a ZIP of CSVs when there are several) and XLSX, standard library only.

An XLSX file is a ZIP of a few XML parts (Office Open XML, ECMA-376); writing the handful a
spreadsheet needs (workbook, one worksheet per table, the header style, merged ranges) is
~80 lines, where a library would add megabytes to a package that has none to spare. Cell
values are written as text, exactly as read ("001" and "1,280.00" stay as they are); merged
cells keep their span, with the text in the top-left cell as spreadsheets expect. A result
with no table (none found, or `tables=off`) exports its lines instead, one per row.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from html import escape

from ocr_core.output.result import OcrResult, Table

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# Two cell formats: 0 plain, 1 bold (header rows). A styles part needs both fills listed.
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/></font><font><b/><sz val="11"/></font>'
    '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill '
    'patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs '
    'count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf fontId="1" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def sheets(result: OcrResult) -> list[tuple[str, list[list[str]], Table | None]]:
    """(name, rows, table) per sheet: one per table, or the lines when there is no table."""
    if result.tables:
        return [(f"Table {n}", table.texts(), table) for n, table in enumerate(result.tables, start=1)]
    return [("Text", [[line.text] for line in result.lines], None)]


def to_csv(result: OcrResult) -> bytes:
    """One table as CSV (UTF-8 with a byte-order mark, which spreadsheets need to read CJK
    text right); several as a ZIP of `table-N.csv`."""
    found = sheets(result)
    files = [_csv(rows) for _, rows, _ in found]
    if len(files) == 1:
        return files[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, data in enumerate(files, start=1):
            archive.writestr(f"table-{number}.csv", data)
    return buffer.getvalue()


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def to_xlsx(result: OcrResult) -> bytes:
    found = sheets(result)
    count = len(found)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>{overrides}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{_PACKAGE_REL}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        + "".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, (name, _, _) in enumerate(found, start=1)
        )
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PACKAGE_REL}">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, count + 1)
        )
        + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _STYLES,
    }
    for n, (_, rows, table) in enumerate(found, start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = _worksheet(rows, table)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
    return buffer.getvalue()


def _worksheet(rows: Sequence[Sequence[str]], table: Table | None) -> str:
    header = table.header_rows if table else 0
    body = []
    for r, row in enumerate(rows, start=1):
        style = ' s="1"' if r <= header else ""
        cells = "".join(
            f'<c r="{_ref(r, c)}" t="inlineStr"{style}><is><t xml:space="preserve">{_xml(text)}</t></is></c>'
            for c, text in enumerate(row)
            if text
        )
        body.append(f'<row r="{r}">{cells}</row>')
    merged = [
        f'<mergeCell ref="{_ref(c.row + 1, c.col)}:{_ref(c.row + c.row_span, c.col + c.col_span - 1)}"/>'
        for c in (table.cells if table else ())
        if c.row_span > 1 or c.col_span > 1
    ]
    merges = f'<mergeCells count="{len(merged)}">{"".join(merged)}</mergeCells>' if merged else ""
    return f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(body)}</sheetData>{merges}</worksheet>'


def _ref(row: int, col: int) -> str:
    """A1-style reference of 1-based `row` and 0-based `col`."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def _xml(text: str) -> str:
    return escape(_NOT_XML.sub("", text))
