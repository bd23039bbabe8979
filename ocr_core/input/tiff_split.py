"""Cut a multi-page TIFF into smaller TIFFs of given pages (frames), for a job's chunks.

Pillow opens the file from its path and decodes only the frames a part asks for, each checked
against the pixel limits from its header first (as `decode` does), so a part costs the memory of
its own frames, never the whole document's. Parts are written losslessly (Deflate) and upright
(the Orientation tag applied, as decoding does), so a worker reads the pixels a synchronous
request would.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PIL import Image, TiffImagePlugin  # noqa: F401 - registers the TIFF format for `formats=`

from ocr_core.errors import InvalidImageError, OcrError
from ocr_core.input.decode import upright
from ocr_core.input.page import check_pixels
from ocr_core.limits import Limits


class TiffSource:
    """A TIFF opened from a file, cut into parts of chosen frames (1-based numbers)."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self._limits = limits
        try:
            self._image = Image.open(path, formats=("TIFF",))
            self.page_count = int(getattr(self._image, "n_frames", 1))
        except Exception as error:  # Pillow fails in many ways on a damaged file
            raise InvalidImageError("the TIFF file is corrupt or truncated") from error

    def part(self, numbers: Sequence[int]) -> bytes:
        """A multi-page TIFF of these frames, in this order."""
        try:
            frames = [self._frame(number) for number in numbers]
            buffer = io.BytesIO()
            frames[0].save(
                buffer,
                format="TIFF",
                save_all=True,
                append_images=frames[1:],
                compression="tiff_adobe_deflate",
            )
            return buffer.getvalue()
        except OcrError:
            raise
        except Exception as error:
            raise InvalidImageError("the TIFF has a page that cannot be read") from error

    def _frame(self, number: int) -> Image.Image:
        self._image.seek(number - 1)  # reads this frame's header only
        check_pixels(self._image.width, self._image.height, self._limits)
        # Turned as its Orientation tag says, as decoding would: the part carries upright pixels.
        frame = upright(self._image)
        return frame.copy() if frame is self._image else frame

    def close(self) -> None:
        self._image.close()

    def __enter__(self) -> TiffSource:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
