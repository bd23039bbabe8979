"""Fuzzing the decoder and the API with hypothesis: random bytes and mutated real files.

The property: `decode` returns pages of RGB uint8 pixels within the limits, or raises an
`OcrError`; nothing else escapes (no OSError, struct.error, PdfiumError, MemoryError ...).
Through the API the same bytes get a 200 or a 4xx error JSON, never a 500. Memory stays
bounded: the peak RSS of the whole run (Linux lets a process reset its high-water mark) may
grow by no more than the pixel limits allow.

Seeds are small real files of every accepted format (plus GIF and an encrypted PDF); mutations
are what corrupts files in the wild: bit flips, truncation, a chunk duplicated or deleted,
bytes overwritten (biased towards headers, where sizes and offsets live), two files spliced.

`make test` runs a short, derandomized pass (same examples every run, so CI stays stable);
`make fuzz` sets HYPOTHESIS_PROFILE=fuzz for a long randomized one (failures are saved in
.hypothesis/ and replayed first next time).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from bench.kit.raw_pdfs import encrypted_pdf, many_pages_pdf, text_pdf
from bench.kit.render import encode, render_line
from handler.app import create_app
from handler.settings import Settings
from ocr_core.errors import OcrError
from ocr_core.input.decode import decode
from ocr_core.limits import Limits

LONG_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
SCALE = 25 if LONG_RUN else 1

FUZZ_LIMITS = Limits(max_pixels=4_000_000, max_side=8_000, max_total_pixels=8_000_000, max_pdf_pages=4)
"""Small limits: every example decodes to at most 24 MB of pixels, so memory growth is meaningful."""
PEAK_RSS_GROWTH_MB = 400
"""Pixels (24 MB) + decoder buffers + PDFium's bitmap + allocator slack, with a wide margin."""
API_STATUSES = {200, 400, 413, 415, 422}
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's notes on corrupt EXIF/TIFF tags

settings.register_profile("fuzz", deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
if LONG_RUN:
    settings.load_profile("fuzz")


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=not LONG_RUN,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )


# ---- seeds and mutations -------------------------------------------------------------------------


@cache
def seeds() -> tuple[bytes, ...]:
    """One small real file per format and layout the decoder has a path for."""
    line = render_line("Fuzz 模糊 123", size=18)
    gray16 = Image.fromarray(np.asarray(line.convert("L"), dtype=np.uint16) * 257)
    frames = io.BytesIO()
    line.save(frames, format="TIFF", save_all=True, append_images=[line.convert("L")], compression="tiff_lzw")
    image_pdf = io.BytesIO()
    line.save(image_pdf, format="PDF", resolution=72)
    exif = Image.Exif()
    exif[0x0112] = 6
    return (
        encode(line, "JPEG", quality=80),
        encode(line, "JPEG", quality=80, progressive=True, exif=exif),
        encode(line.convert("CMYK"), "JPEG"),
        encode(line),
        encode(line.convert("P")),
        encode(line.convert("RGBA")),
        encode(gray16),
        encode(line.convert("1")),
        encode(line, "WEBP", quality=60),
        encode(line.convert("RGBA"), "WEBP", lossless=True),
        encode(line, "BMP"),
        encode(line, "TIFF"),
        encode(line.convert("1"), "TIFF", compression="group4"),
        encode(gray16, "TIFF"),
        frames.getvalue(),
        encode(line.convert("P"), "GIF"),
        image_pdf.getvalue(),
        text_pdf("Fuzz"),
        encrypted_pdf(),
        many_pages_pdf(6),
    )


def _flip(data: bytearray, draw: st.DrawFn) -> None:
    position = draw(st.integers(0, len(data) - 1))
    data[position] ^= 1 << draw(st.integers(0, 7))


def _overwrite(data: bytearray, draw: st.DrawFn) -> None:
    # Headers hold sizes, offsets and counts: half the overwrites land in the first 64 bytes.
    end = min(len(data), 64) if draw(st.booleans()) else len(data)
    position = draw(st.integers(0, end - 1))
    value = draw(
        st.sampled_from([b"\x00", b"\xff", b"\x7f", b"\x80", b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"])
    )
    data[position : position + len(value)] = value


def _truncate(data: bytearray, draw: st.DrawFn) -> None:
    del data[draw(st.integers(1, len(data))) :]


def _duplicate(data: bytearray, draw: st.DrawFn) -> None:
    start = draw(st.integers(0, len(data) - 1))
    chunk = data[start : start + draw(st.integers(1, 512))]
    at = draw(st.integers(0, len(data)))
    data[at:at] = chunk


def _delete(data: bytearray, draw: st.DrawFn) -> None:
    start = draw(st.integers(0, len(data) - 1))
    del data[start : start + draw(st.integers(1, 256))]


def _splice(data: bytearray, draw: st.DrawFn) -> None:
    other = draw(st.sampled_from(seeds()))
    cut = draw(st.integers(0, len(data)))
    data[cut:] = other[draw(st.integers(0, len(other) - 1)) :]


MUTATIONS = (_flip, _overwrite, _truncate, _duplicate, _delete, _splice)


@st.composite
def mutated_files(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        draw(st.sampled_from(MUTATIONS))(data, draw)
    return bytes(data)


SIGNATURES = (
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"%PDF-1.7\n",
    b"RIFF\0\0\0\0WEBPVP8 ",
)
random_files = st.one_of(
    st.binary(max_size=4096),
    st.tuples(st.sampled_from(SIGNATURES), st.binary(max_size=4096)).map(lambda pair: pair[0] + pair[1]),
)
"""Random bytes, and random bytes behind each format's magic so they reach the format's parser."""


# ---- memory --------------------------------------------------------------------------------------


def _status_mb(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(match.group(1)) // 1024 if match else 0


@pytest.fixture
def peak_rss_growth() -> Iterator[None]:
    """Fails the test if the process's peak RSS during it exceeded the RSS before by the bound."""
    clear_refs = Path("/proc/self/clear_refs")
    if not clear_refs.exists():
        yield
        return
    before = _status_mb("VmRSS")
    clear_refs.write_text("5")  # reset VmHWM, the peak resident set, to the current RSS
    yield
    growth = _status_mb("VmHWM") - before
    assert growth < PEAK_RSS_GROWTH_MB, f"peak RSS grew by {growth} MB while fuzzing"


# ---- properties ----------------------------------------------------------------------------------


def check_decodes_or_raises_typed_error(data: bytes) -> None:
    try:
        pages = decode(data, FUZZ_LIMITS)
    except OcrError as error:
        assert error.code and error.message
        return
    assert pages
    total = 0
    for page in pages:
        height, width, channels = page.image.shape
        assert channels == 3 and page.image.dtype == np.uint8
        assert max(width, height) <= FUZZ_LIMITS.max_side + 1
        total += width * height
    assert total <= FUZZ_LIMITS.max_total_pixels * 1.01


@pytest.mark.usefixtures("peak_rss_growth")
@fuzz_settings(examples=3000)
@given(data=mutated_files())
def test_decode_mutated_real_files_returns_pages_or_typed_error(data: bytes) -> None:
    check_decodes_or_raises_typed_error(data)


@pytest.mark.usefixtures("peak_rss_growth")
@fuzz_settings(examples=1500)
@given(data=random_files)
def test_decode_random_bytes_returns_pages_or_typed_error(data: bytes) -> None:
    check_decodes_or_raises_typed_error(data)


@pytest.fixture(scope="module")
def client() -> TestClient:
    small = Settings(max_pixels=1_000_000, max_side=4_000, max_total_pixels=2_000_000, max_pdf_pages=2)
    client = TestClient(create_app(small), raise_server_exceptions=False)
    # Load every model first (noise read as a line is doubtful enough to load a fallback recognizer
    # too), so the memory bound measures requests, not the one-off model loading.
    noise = np.random.default_rng(0).integers(0, 256, (32, 320, 3), dtype=np.uint8)
    for mode, data in (("page", seeds()[0]), ("line", encode(Image.fromarray(noise)))):
        warm_up = client.post("/ocr", params={"mode": mode}, files={"image": ("warm.png", data, "image/png")})
        assert warm_up.status_code == 200
    return client


@pytest.mark.usefixtures("peak_rss_growth")
@fuzz_settings(examples=150)
@given(data=mutated_files(), mode=st.sampled_from(["auto", "line", "page"]))
def test_post_ocr_mutated_file_gets_result_or_client_error(
    client: TestClient, data: bytes, mode: str
) -> None:
    response = client.post("/ocr", params={"mode": mode}, files={"image": ("fuzz.bin", data, "image/png")})
    assert response.status_code in API_STATUSES, response.text
    body = response.json()
    assert body["success"] is (response.status_code == 200)
    assert body["request_id"] == response.headers["x-request-id"]
