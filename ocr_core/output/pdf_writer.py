"""A searchable PDF: each page's image with the recognized text laid invisibly over it.

The text is drawn in render mode 3 (invisible), one text object per line, stretched with
horizontal scaling to the line's box and turned along it, so selecting or searching in a viewer
finds each line where it is on the image. The font is a CID font whose every glyph is one em
wide and whose ToUnicode map gives each code its character: no glyph is ever drawn, so no font
file is embedded, and any character (CJK, Latin, symbols) round-trips through text extraction.
The PDF is written by hand (a few objects and an xref table): PDFium can load a font only from a
font file, and a CJK font file would add megabytes to every answer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image

from ocr_core.geometry import is_vertical_shape
from ocr_core.input.page import Page
from ocr_core.lines import TextLine
from ocr_core.output.result import OcrResult

IMAGE_DPI = 144.0
"""Resolution assumed for images (PDF pages keep the resolution they were rendered at)."""
JPEG_QUALITY = 80
DESCENT = 0.2
"""Share of the font size below the baseline (the font descriptor says the same to readers)."""


def searchable_pdf(result: OcrResult, pages: Sequence[Page]) -> bytes:
    codes: dict[str, int] = {}
    writer = _Writer()
    page_ids: list[int] = []
    font_id = writer.reserve()
    pages_id = writer.reserve()
    for page in pages:
        lines = [line for line in result.lines if line.page == page.number]
        page_ids.append(_add_page(writer, page, lines, codes, pages_id, font_id))
    _add_font(writer, font_id, codes)
    kids = " ".join(f"{number} 0 R" for number in page_ids)
    writer.set(pages_id, f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode())
    catalog = writer.add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    return writer.finish(catalog)


def _add_page(
    writer: _Writer, page: Page, lines: Sequence[TextLine], codes: dict[str, int], parent: int, font: int
) -> int:
    height_px, width_px = page.image.shape[:2]
    scale = 72.0 / (page.dpi or IMAGE_DPI)
    width_pt, height_pt = width_px * scale, height_px * scale
    jpeg = io.BytesIO()
    Image.fromarray(page.image).save(jpeg, format="JPEG", quality=JPEG_QUALITY)
    image = writer.add_stream(
        f"<< /Type /XObject /Subtype /Image /Width {width_px} /Height {height_px} "
        "/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode".encode(),
        jpeg.getvalue(),
    )
    content = [f"q {width_pt:.2f} 0 0 {height_pt:.2f} 0 0 cm /Im0 Do Q".encode()]
    for line in lines:
        content.append(_line_text(line, scale, height_pt, codes))
    stream = writer.add_stream(b"<<", b"\n".join(part for part in content if part))
    return writer.add(
        f"<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 {width_pt:.2f} {height_pt:.2f}] "
        f"/Resources << /XObject << /Im0 {image} 0 R >> /Font << /F0 {font} 0 R >> >> "
        f"/Contents {stream} 0 R >>".encode()
    )


def _line_text(line: TextLine, scale: float, height_pt: float, codes: dict[str, int]) -> bytes:
    text = line.text.strip()
    if not text:
        return b""
    points = [np.array([x * scale, height_pt - y * scale]) for x, y in line.box]  # PDF space, y up
    tl, tr, br, bl = points
    vertical = is_vertical_shape(float(np.linalg.norm(tr - tl)), float(np.linalg.norm(bl - tl)))
    # Reading direction and the glyphs' "up": along the top edge, or down a vertical column.
    start, end, across = (tl, bl, tr - tl) if vertical else (bl, br, tl - bl)
    length = float(np.linalg.norm(end - start))
    size = float(np.linalg.norm(across))
    if length < 1e-3 or size < 1e-3:
        return b""
    cos, sin = (end - start) / length
    origin = start + across * DESCENT
    stretch = 100.0 * length / (len(text) * size)
    hex_codes = "".join(f"{_code(char, codes):04X}" for char in text)
    return (
        f"BT 3 Tr /F0 {size:.2f} Tf {stretch:.2f} Tz "
        f"{cos:.5f} {sin:.5f} {-sin:.5f} {cos:.5f} {origin[0]:.2f} {origin[1]:.2f} Tm <{hex_codes}> Tj ET"
    ).encode()


def _code(char: str, codes: dict[str, int]) -> int:
    """A CID per distinct character, numbered from 1 (0 is .notdef by convention)."""
    if char not in codes:
        codes[char] = len(codes) + 1
    return codes[char]


def _add_font(writer: _Writer, font_id: int, codes: dict[str, int]) -> None:
    to_unicode = writer.add_stream(b"<<", _cmap(codes))
    descriptor = writer.add(
        b"<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 /FontBBox [0 -200 1000 800] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 800 /StemV 80 >>"
    )
    cid_font = writer.add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        + f"/FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>".encode()
    )
    writer.set(
        font_id,
        b"<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H "
        + f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>".encode(),
    )


def _cmap(codes: dict[str, int]) -> bytes:
    entries = sorted(codes.items(), key=lambda item: item[1])
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # at most 100 entries per block
        chunk = entries[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{code:04X}> <{char.encode('utf-16-be').hex().upper()}>" for char, code in chunk]
        lines.append("endbfchar")
    lines += ["endcmap CMapName currentdict /CMap defineresource pop end end"]
    return "\n".join(lines).encode()


class _Writer:
    """Numbered PDF objects and the cross-reference table that locates them."""

    def __init__(self) -> None:
        self.objects: dict[int, bytes] = {}
        self.count = 0

    def reserve(self) -> int:
        self.count += 1
        return self.count

    def set(self, number: int, body: bytes) -> None:
        self.objects[number] = body

    def add(self, body: bytes) -> int:
        number = self.reserve()
        self.set(number, body)
        return number

    def add_stream(self, dictionary_start: bytes, data: bytes) -> int:
        return self.add(
            dictionary_start + f" /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"
        )

    def finish(self, root: int) -> bytes:
        out = io.BytesIO()
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = [0] * (self.count + 1)
        for number in range(1, self.count + 1):
            offsets[number] = out.tell()
            out.write(f"{number} 0 obj\n".encode() + self.objects[number] + b"\nendobj\n")
        xref = out.tell()
        out.write(f"xref\n0 {self.count + 1}\n0000000000 65535 f \n".encode())
        for number in range(1, self.count + 1):
            out.write(f"{offsets[number]:010d} 00000 n \n".encode())
        out.write(
            f"trailer\n<< /Size {self.count + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
        )
        return out.getvalue()
