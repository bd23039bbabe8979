"""Real typeset tables for the table evaluation: pages of the LaTeX tools bundle's manuals.

Debian's `texlive-latex-base-doc` ships the PDF manuals of `array` and `tabularx`, which show
real tables on pages full of prose: a ruled 15-row table of two columns whose five first rows
share one box (no rules between them), two rows spanning both columns and cells of up to five
lines; a four-column table with a cell spanning two columns and wrapped cells. The archive is
fetched with apt at eval time (checked by sha256, cached, never committed), like the real
photos of `bench.evalset`; each page is rendered at 144 dpi with PDFium into the set.

Labels were read by eye. Structure is labelled exactly; cell text only where it is plain text
(`texts: false` pages are scored on structure alone: their cells hold LaTeX markup such as
`\\parbox[t]{width}` that is not what a table test is about).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from bench.evalset.photos import PhotoSource, RealPhotoError, download_archive, read_members, sha256_of
from bench.tableset import TruthCell, TruthTable

SOURCE = PhotoSource(
    name="texlive-latex-base-doc",
    registry="debian",
    requirement="texlive-latex-base-doc=2022.20230122-3",
    archive="texlive-latex-base-doc_2022.20230122-3_all.deb",
    archive_sha256="122dbbe00bd22f872b1837eb86bd76fbac6ec84dd4f5f0c76cc9c18484485848",
    licence="LPPL-1.3c",
    origin="the LaTeX Project's tools bundle manuals (array.pdf, tabularx.pdf) as shipped by Debian",
    photos=(),
)
SCALE = 2.0  # 144 dpi

ARRAY_PDF = "usr/share/doc/texlive-doc/latex/tools/array.pdf"
TABULARX_PDF = "usr/share/doc/texlive-doc/latex/tools/tabularx.pdf"
LONGTABLE_PDF = "usr/share/doc/texlive-doc/latex/tools/longtable.pdf"
SHA256 = {
    LONGTABLE_PDF: "03289100b22365e6f2c0c3240cf4a8c17643c6f085311adeee3e9c371dea979a",
    ARRAY_PDF: "9c243513d57f44dd9f335453f2394d102932babcd680ffa076eff84d368cc877",
    TABULARX_PDF: "967916ddc3d743bffeb597f7450abb6710ed56d44f96db5c62a908474f1d1ada",
}


def _array_options() -> TruthTable:
    """array.pdf, page 2, "Table 1: The preamble options": 15 rows x 2 columns."""
    cells = [TruthCell(0, 0, 1, 2, ""), TruthCell(6, 0, 1, 2, "")]
    cells += [TruthCell(r, c, 1, 1, "") for r in range(15) if r not in (0, 6) for c in range(2)]
    return TruthTable(15, 2, 0, tuple(sorted(cells, key=lambda cell: (cell.row, cell.col))))


def _tabularx_example(footnote: str) -> TruthTable:
    """tabularx.pdf, pages 1 and 2, the example table: 2 rows x 4 columns, a header spanning two."""
    return TruthTable(
        2,
        4,
        1,
        (
            TruthCell(0, 0, 1, 2, "Multicolumn entry!"),
            TruthCell(0, 2, 1, 1, "THREE"),
            TruthCell(0, 3, 1, 1, "FOUR"),
            TruthCell(1, 0, 1, 1, "one"),
            TruthCell(1, 1, 1, 1, f"The width of this column depends on the width of the table.{footnote}"),
            TruthCell(1, 2, 1, 1, "three"),
            TruthCell(1, 3, 1, 1, "Column four will act in the same way as column two, with the same width."),
        ),
    )


def _floating_table() -> TruthTable:
    """longtable.pdf, page 4, "Table 2: A floating table": 2 rows x 3 columns, double rules."""
    texts = (("A", "tabular", "environment"), ("within", "a floating", "table"))
    cells = tuple(TruthCell(r, c, 1, 1, text) for r, row in enumerate(texts) for c, text in enumerate(row))
    return TruthTable(2, 3, 0, cells)


# (member, page index, table, cell texts labelled). The last two were added after the method
# was tuned on the first two, and were not tuned on.
PAGES: tuple[tuple[str, int, TruthTable, bool], ...] = (
    (ARRAY_PDF, 1, _array_options(), False),
    (TABULARX_PDF, 0, _tabularx_example("1"), True),
    (TABULARX_PDF, 1, _tabularx_example(""), True),
    (LONGTABLE_PDF, 3, _floating_table(), True),
)


def fetch_real_tables(out_dir: Path, cache_dir: Path) -> list[dict[str, Any]]:
    """Render the labelled pages into `out_dir`; their label rows (category "real")."""
    archive = download_archive(SOURCE, cache_dir)
    contents = read_members(archive, set(SHA256))
    rows = []
    for member, index, table, texts in PAGES:
        data = contents[member]
        if sha256_of(data) != SHA256[member]:
            raise RealPhotoError(f"{member}: checksum differs from the pinned one")
        name = f"real_{Path(member).stem}_p{index + 1}.png"
        page = pdfium.PdfDocument(data)[index]
        page.render(scale=SCALE).to_pil().convert("RGB").save(out_dir / name)
        rows.append(
            {
                "file": name,
                "category": "real",
                "tables": [table.to_dict()],
                "outside": [],
                "texts": texts,
                "licence": SOURCE.licence,
                "source": f"debian:{SOURCE.requirement}:{member}#page={index + 1}",
            }
        )
    return rows
