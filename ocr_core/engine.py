"""The OCR engine: decode -> (detect -> crop -> orient) -> recognize -> reading order.

The engine holds only models (loaded lazily, shared process-wide) and its limits; every
request's options arrive as an argument, so one request cannot leak settings into the next
and concurrent requests can share one engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from onnxruntime import InferenceSession

from ocr_core.crop import crop_line, is_vertical, vertical_to_horizontal
from ocr_core.decode import Page, decode
from ocr_core.detect import TextDetector
from ocr_core.errors import InvalidOptionError
from ocr_core.imaging import rotate_180
from ocr_core.limits import DEFAULT_LIMITS, Limits
from ocr_core.models import Preset, RecognizerSpec, get_preset, load_dictionary, model_dir, model_path
from ocr_core.orientation import OrientationClassifier
from ocr_core.reading_order import group_rows, reading_order
from ocr_core.recognize import TextRecognizer
from ocr_core.result import ModelInfo, OcrResult, PageInfo, TextLine
from ocr_core.sessions import get_session, is_loaded

MODES = ("auto", "line", "page")
LINE_COVERAGE = 0.5
"""Auto mode reads the whole image as one line when a single row of text spans this share of its height."""
LINE_SHAPE = 2.0
"""Width/height ratio from which an image with no detected text is still tried as one line."""


@dataclass(frozen=True)
class OcrOptions:
    """Per-request options; the defaults are what the API uses when a client says nothing."""

    mode: str = "auto"
    preset: str | None = None
    pages: tuple[int, ...] | None = None
    orientation: bool = True
    min_confidence: float = 0.0

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InvalidOptionError(f"unknown mode {self.mode!r}; choose one of: {', '.join(MODES)}")


DEFAULT_OPTIONS = OcrOptions()


@dataclass(frozen=True)
class Stages:
    """The callables of one preset, bound to their (shared) sessions."""

    detector: TextDetector | None
    recognizer: TextRecognizer
    classifier: OrientationClassifier | None
    fallback: Callable[[], TextRecognizer] | None = None
    """Builds the fallback recognizer on first need: most requests never load it."""
    fallback_below: float = 0.0

    def recognize(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        """Read every crop; re-read doubtful ones with the fallback and keep the surer reading."""
        results = self.recognizer(crops)
        if self.fallback is None:
            return results
        doubtful = [i for i, (_, confidence) in enumerate(results) if confidence < self.fallback_below]
        if doubtful:
            second = self.fallback()([crops[i] for i in doubtful])
            for index, reading in zip(doubtful, second, strict=True):
                if reading[1] > results[index][1]:
                    results[index] = reading
        return results


@dataclass
class _Stopwatch:
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            elapsed = (time.perf_counter() - start) * 1000.0
            self.timings[name] = self.timings.get(name, 0.0) + elapsed


class OcrEngine:
    """Reads text from image/PDF bytes. Thread-safe: no per-request state is stored."""

    def __init__(
        self, models: str | Path | None = None, threads: int | None = None, limits: Limits = DEFAULT_LIMITS
    ):
        self.model_dir = model_dir(models)
        self.threads = threads
        self.limits = limits

    def run(self, data: bytes, options: OcrOptions = DEFAULT_OPTIONS) -> OcrResult:
        preset = get_preset(options.preset)
        watch = _Stopwatch()
        with watch.stage("decode"):
            pages = decode(data, self.limits, options.pages)
        return self._read_pages(pages, preset, options, watch)

    def run_image(self, image: np.ndarray, options: OcrOptions = DEFAULT_OPTIONS) -> OcrResult:
        """Read an already decoded RGB uint8 image (for callers that hold pixels)."""
        return self._read_pages([Page(1, image)], get_preset(options.preset), options, _Stopwatch())

    def warm_up(self, preset_name: str | None = None) -> None:
        """Load the preset's sessions now (e.g. at container init) instead of on first request."""
        self.stages(get_preset(preset_name))

    def stages(self, preset: Preset, detect: bool = True) -> Stages:
        """Bind the preset's models; `detect=False` (line mode) leaves the detector unloaded."""
        spec = preset.fallback
        fallback = (lambda: self._recognizer(spec)) if spec else None
        return Stages(
            self.detector(preset) if detect else None,
            self.recognizer(preset),
            self.classifier(preset),
            fallback,
            preset.fallback_below,
        )

    def detector(self, preset: Preset) -> TextDetector:
        spec = preset.detector
        return TextDetector(self._session(spec.file), spec.limit_side)

    def recognizer(self, preset: Preset) -> TextRecognizer:
        return self._recognizer(preset.recognizer)

    def _recognizer(self, spec: RecognizerSpec) -> TextRecognizer:
        characters = _dictionary(model_path(self.model_dir, spec.dictionary))
        return TextRecognizer(self._session(spec.file), characters, spec.height)

    def classifier(self, preset: Preset) -> OrientationClassifier | None:
        return OrientationClassifier(self._session(preset.classifier)) if preset.classifier else None

    def _session(self, file: str) -> InferenceSession:
        return get_session(model_path(self.model_dir, file), self.threads)

    def _read_pages(
        self, pages: Sequence[Page], preset: Preset, options: OcrOptions, watch: _Stopwatch
    ) -> OcrResult:
        lines: list[TextLine] = []
        infos: list[PageInfo] = []
        detect = options.mode != "line"
        needed = [f for f in preset.first_files if detect or f != preset.detector.file]
        cold = not all(is_loaded(model_path(self.model_dir, file), self.threads) for file in needed)
        # First use loads the models: timed apart, so stage timings mean the same on every request.
        with watch.stage("load_models") if cold else nullcontext():
            stages = self.stages(preset, detect)
        for page in pages:
            page_lines, mode = self._read_page(page, stages, options, watch)
            lines.extend(page_lines)
            height, width = page.image.shape[:2]
            infos.append(PageInfo(page.number, width, height, mode))
        info = ModelInfo(preset.name, preset.detector.file, preset.recognizer.file, preset.classifier)
        return OcrResult(tuple(lines), tuple(infos), info, watch.timings)

    def _read_page(
        self, page: Page, stages: Stages, options: OcrOptions, watch: _Stopwatch
    ) -> tuple[list[TextLine], str]:
        image = page.image
        height, width = image.shape[:2]
        whole = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
        if stages.detector is None:
            boxes = [whole]
        else:
            with watch.stage("detect"):
                boxes = [box for box, _ in stages.detector(image)][: self.limits.max_lines]
            if options.mode == "auto" and is_single_line(boxes, width, height):
                boxes = [whole]
        mode = "line" if len(boxes) == 1 and boxes[0] is whole else "page"
        if not boxes:
            return [], mode
        with watch.stage("crop"):
            crops = [crop_line(image, box) if box is not whole else image for box in boxes]
            crops = [vertical_to_horizontal(c) if is_vertical(c) else c for c in crops]
        order = reading_order(boxes)
        if options.orientation and stages.classifier is not None:
            with watch.stage("classify"):
                flipped = stages.classifier(crops)
            crops = [rotate_180(c) if f else c for c, f in zip(crops, flipped, strict=True)]
            if len(boxes) > 1 and sum(flipped) * 2 > len(flipped):
                order.reverse()  # most lines upside down: the page is, so read it from the bottom
        with watch.stage("recognize"):
            recognized = stages.recognize(crops)
        lines = []
        for index in order:
            text, confidence = recognized[index]
            if text and confidence >= options.min_confidence:
                box = tuple((round(float(x)), round(float(y))) for x, y in boxes[index])
                lines.append(TextLine(text, confidence, box, page.number))  # type: ignore[arg-type]
        return lines, mode


def is_single_line(boxes: Sequence[np.ndarray], image_width: int, image_height: int) -> bool:
    """One row of text filling most of the image height is a line crop, not a page.

    The detector splits a tight line crop into fragments at wide gaps; reading the whole
    crop at once avoids that and is what the recognizer was trained on. A line-shaped image
    where nothing was detected (faint or tiny text) is also worth one recognition pass.
    """
    if not boxes:
        return image_width >= LINE_SHAPE * image_height
    rows = group_rows(boxes)
    if len(rows) != 1:
        return False
    top = min(float(boxes[i][:, 1].min()) for i in rows[0])
    bottom = max(float(boxes[i][:, 1].max()) for i in rows[0])
    return bottom - top >= LINE_COVERAGE * image_height


_dictionaries: dict[Path, list[str]] = {}


def _dictionary(path: Path) -> list[str]:
    if path not in _dictionaries:
        _dictionaries[path] = load_dictionary(path)
    return _dictionaries[path]
