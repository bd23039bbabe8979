"""The PDFium worker: a small process that does every PDFium call of the service, under limits.

A PDF is a program whose few megabytes can inflate to gigabytes (a content stream, font, image,
profile or object stream of deflated spaces) or draw a billion times (nested forms). PDFium
allocates what the file asks for, so it runs here, in a process whose address space is capped
(RLIMIT_AS, set before the first byte of a file is read) and which the parent kills when an
operation overruns its time limit: a hostile file costs this process, never the service.

It runs as a script (`python -I pdf_worker.py MEMORY_BYTES SITE_DIR...`), not as part of the
`ocr_core` package, whose import would load ONNX Runtime and numpy into a process that needs
neither: only the standard library and pypdfium2, so it starts fast and small. The parent side
(`pdf_process`) imports this module for the wire format only.

Wire format, both ways: a header (JSON length, payload length), a JSON object, the payload.
Requests: `open` (payload: the PDF), `sizes`, `render` (the selected pages; one answer per page,
its payload the RGB pixels, then the text layer's characters as int32 (code, x0, y0, x1, y1)
rows), `close`, `ping`, and for cutting a long document into parts by file path, `count` and
`part` (see `Worker.split`). An answer with `error` names what failed (the parent raises a typed
error) and ends the request's answers. stdout carries only this protocol: fd 1 is pointed at
stderr so that nothing PDFium or Python prints can corrupt it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import math
import os
import resource
import struct
import sys
from array import array
from collections.abc import Callable
from typing import Any

HEADER = struct.Struct(">II")
"""Length of the JSON part, length of the binary payload."""
MAX_JSON_BYTES = 1 << 20
"""Longest JSON part either side accepts (a page-size list of 20 pages is a few hundred bytes)."""
CHAR_FIELDS = 5
"""int32 values per text-layer character: code unit, then the device box x0, y0, x1, y1."""
PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
OUT_OF_MEMORY_EXIT = 3
"""Exit status of a worker that ran out of memory in Python (PDFium aborts by itself)."""


def encode(message: dict[str, Any], payload_length: int = 0) -> bytes:
    """A message's header and JSON part; the caller sends `payload_length` bytes after it."""
    text = json.dumps(message).encode()
    return HEADER.pack(len(text), payload_length) + text


def decode_json(data: bytes | bytearray) -> dict[str, Any]:
    message = json.loads(data)
    if not isinstance(message, dict):
        raise ValueError("a message must be a JSON object")
    return message


# ---- the worker side (only `main` and below run in the child) ------------------------------------


def _read_exact(fd: int, size: int) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        count = os.readv(fd, [view[got:]])
        if count == 0:
            raise EOFError
        got += count
    return buffer


def _write_all(fd: int, *parts: Any) -> None:
    for part in parts:
        view = memoryview(part).cast("B")
        while view:
            view = view[os.write(fd, view) :]


class Worker:
    """Holds the one open document between requests of a conversation."""

    def __init__(self, out_fd: int) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c

        self.pdfium, self.raw, self.out = pdfium, pdfium_c, out_fd
        self.document: Any = None
        self.data: bytes | None = None
        libc_name = ctypes.util.find_library("c")
        self.libc = ctypes.CDLL(libc_name) if libc_name else None

    def answer(self, message: dict[str, Any], *payload: Any) -> None:
        length = sum(memoryview(part).nbytes for part in payload)
        _write_all(self.out, encode(message, length), *payload)

    def handle(self, request: dict[str, Any], payload: bytearray) -> None:
        op = request.get("op")
        try:
            if op == "open":
                self.open(payload, request.get("password"))
            elif op == "sizes":
                self.answer({"sizes": [list(self.document.get_page_size(int(i))) for i in request["pages"]]})
            elif op == "render":
                self.render_pages(request["pages"], request.get("text"))
            elif op in ("count", "part"):
                self.split(op, request)
            elif op == "close":
                self.close()
            elif op == "ping":
                self.answer({"pong": True})
            else:
                self.answer({"error": "internal", "detail": f"unknown op {op!r}"})
        except self.pdfium.PdfiumError:
            self.answer({"error": "corrupt" if op == "open" else "page"})
        except MemoryError:
            raise
        except Exception as error:  # a bug here, not the file's fault: reported, the worker lives on
            self.answer({"error": "internal", "detail": repr(error)[:500]})

    def open(self, payload: bytearray, password: str | None) -> None:
        self.close_document()
        self.data = bytes(payload)  # PDFium reads from this buffer for as long as the document is open
        payload.clear()
        try:
            self.document = self.pdfium.PdfDocument(self.data, password=password)
        except self.pdfium.PdfiumError as error:
            self.answer({"error": open_error(error)})
            return
        except UnicodeEncodeError:  # a password that is not valid Unicode cannot be the right one
            self.answer({"error": "password"})
            return
        self.answer({"pages": len(self.document)})

    def render_pages(self, pages: list[list[float]], text: dict[str, int] | None) -> None:
        """One answer per (index, scale) in `pages`, as each is done (the parent reads one page while
        the next renders); the first failure is the last answer. `text` ({"max_chars", "scan_chars"})
        asks for text layers too, `max_chars` counting all pages together."""
        budget = text["max_chars"] if text is not None else 0
        for index, scale in pages:
            used = self.render(
                int(index), float(scale), None if text is None else {**text, "max_chars": budget}
            )
            if used is None:
                return
            budget -= used

    def render(self, index: int, scale: float, text: dict[str, int] | None) -> int | None:
        """Answer with one page's pixels (and text layer); the characters it used, None on failure."""
        page = self.document[index]
        try:
            bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True)
            try:
                width, height = bitmap.width, bitmap.height
                if bitmap.n_channels != 3 or bitmap.stride != width * 3:
                    self.answer({"error": "internal", "detail": "unexpected bitmap layout"})
                    return None
                chars, visible, covered = array("i"), 0, False
                if text is not None:
                    chars, visible = self.text(page, width, height, text["max_chars"])
                    if visible > text["max_chars"]:
                        self.answer({"error": "text_chars", "count": visible})
                        return None
                    covered = visible < text["scan_chars"] and self.image_covered(page)
                size = {"width": width, "height": height, "chars": len(chars) // CHAR_FIELDS}
                self.answer({**size, "covered": covered}, bitmap.buffer, chars)
                return size["chars"]
            finally:
                bitmap.close()
        finally:
            page.close()

    def text(self, page: Any, width: int, height: int, max_chars: int) -> tuple[array[int], int]:
        """Each character's UTF-16 code unit and box in the bitmap's pixels (zeros for spaces),
        and how many are visible; nothing but the count when there are more than `max_chars`."""
        raw = self.raw
        textpage = page.get_textpage()
        try:
            count = raw.FPDFText_CountChars(textpage.raw)
            rows = array("i")
            if count > max_chars:
                return rows, count
            to_device = self.device_map(page, width, height)
            left, right, bottom, top = (ctypes.c_double() for _ in range(4))
            visible = 0
            for index in range(count):
                code = min(raw.FPDFText_GetUnicode(textpage.raw, index), 0x7FFFFFFF)  # int32 field
                if code == 0 or (code < 0x110000 and chr(code).isspace()):
                    rows.extend((code, 0, 0, 0, 0))
                    continue
                raw.FPDFText_GetCharBox(textpage.raw, index, left, right, bottom, top)
                corners = [to_device(x.value, y.value) for x, y in ((left, top), (right, bottom))]
                xs, ys = [point[0] for point in corners], [point[1] for point in corners]
                rows.extend((code, min(xs), min(ys), max(xs), max(ys)))
                visible += 1
            return rows, visible
        finally:
            textpage.close()

    def device_map(self, page: Any, width: int, height: int) -> Callable[[float, float], tuple[int, int]]:
        """PDFium's page-to-bitmap mapping (FPDF_PageToDevice) as arithmetic: one ctypes call per
        character instead of four. The map is affine; its inverse is read exactly (in doubles) at
        three device points, inverted here, and rounded as PDFium rounds."""
        x, y = ctypes.c_double(), ctypes.c_double()
        points = []
        for device_x, device_y in ((0, 0), (width, 0), (0, height)):
            self.raw.FPDF_DeviceToPage(page.raw, 0, 0, width, height, 0, device_x, device_y, x, y)
            points.append((x.value, y.value))
        (x0, y0), (x1, y1), (x2, y2) = points
        a, b, c, d = x1 - x0, x2 - x0, y1 - y0, y2 - y0  # page = origin + M (u, v), u, v in [0, 1]
        det = a * d - b * c or 1e-12

        def to_device(page_x: float, page_y: float) -> tuple[int, int]:
            dx, dy = page_x - x0, page_y - y0
            u, v = (d * dx - b * dy) / det, (a * dy - c * dx) / det
            return math.floor(u * width + 0.5), math.floor(v * height + 0.5)

        return to_device

    def image_covered(self, page: Any, share: float = 0.5) -> bool:
        """An image covers `share` of the page (a scan, perhaps with a stamped page number)."""
        width, height = page.get_size()
        area = max(width * height, 1.0)
        for obj in page.get_objects(filter=[self.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) >= share * area:
                return True
        return False

    def split(self, op: str, request: dict[str, Any]) -> None:
        from pdf_worker_parts import split  # beside this script: see `main`

        self.close_document()
        self.answer(split(self.pdfium, op, request))
        if self.libc is not None:
            self.libc.malloc_trim(0)

    def close_document(self) -> None:
        if self.document is not None:
            self.document.close()
        self.document = self.data = None
        if self.libc is not None:
            self.libc.malloc_trim(0)  # hand the freed heap back: the worker idles between requests

    def close(self) -> None:
        self.close_document()
        self.answer({"rss_kb": _rss_kb()})


def open_error(error: Exception) -> str:
    return "password" if getattr(error, "err_code", None) == PASSWORD_ERROR else "corrupt"


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    memory = int(argv[0])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not write gigabytes of core
    sys.path[:0] = [*argv[1:], os.path.dirname(os.path.abspath(__file__))]
    out = os.dup(1)
    os.dup2(2, 1)  # stray prints go to stderr, never into the protocol
    try:
        worker = Worker(out)
        worker.answer({"ready": True, "pid": os.getpid()})
        while True:
            try:
                json_length, payload_length = HEADER.unpack(_read_exact(0, HEADER.size))
            except EOFError:
                return 0  # the parent closed the pipe: it is done or gone
            if json_length > MAX_JSON_BYTES:
                return 2
            request = decode_json(_read_exact(0, json_length))
            worker.handle(request, _read_exact(0, payload_length))
    except MemoryError:
        return OUT_OF_MEMORY_EXIT


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
