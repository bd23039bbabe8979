"""The result as a plain HTML document: blocks as paragraphs, tables as tables, pages as sections.

Every piece of text from the page is escaped, so what was read can never become markup or
script; the document carries no styles, scripts or links of its own. Tables keep their merged
cells (`rowspan`/`colspan`) and header rows (`thead`, `th`).
"""

from __future__ import annotations

from html import escape

from ocr_core.output.result import OcrResult, Table


def table_html(table: Table) -> str:
    rows: dict[int, list[str]] = {}
    for cell in table.cells:
        tag = "th" if cell.row < table.header_rows else "td"
        spans = (f' rowspan="{cell.row_span}"' if cell.row_span > 1 else "") + (
            f' colspan="{cell.col_span}"' if cell.col_span > 1 else ""
        )
        rows.setdefault(cell.row, []).append(f"<{tag}{spans}>{escape(cell.text)}</{tag}>")
    lines = [f"<tr>{''.join(rows.get(r, []))}</tr>" for r in range(table.rows)]
    head, body = lines[: table.header_rows], lines[table.header_rows :]
    parts = ["<table>"]
    if head:
        parts.append("<thead>" + "".join(head) + "</thead>")
    parts.append("<tbody>" + "".join(body) + "</tbody></table>")
    return "".join(parts)


def to_html(result: OcrResult) -> str:
    tables_at = {min(table.lines): table for table in result.tables or () if table.lines}
    in_table = {i for table in result.tables or () for i in table.lines}
    sections = []
    several = len(result.pages) > 1
    for info in result.pages:
        parts = [f"<h2>Page {info.page}</h2>"] if several else []
        for block in sorted((b for b in result.blocks if b.page == info.page), key=lambda b: b.lines[0]):
            first = block.lines[0]
            if first in tables_at:
                parts.append(table_html(tables_at[first]))
            elif first not in in_table:
                text = "<br>\n".join(escape(result.lines[i].text) for i in block.lines)
                parts.append(f"<p>{text}</p>")
        sections.append("<section>\n" + "\n".join(parts) + "\n</section>")
    body = "\n".join(sections)
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>OCR result</title>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )
