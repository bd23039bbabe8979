"""The OCR engine: decode -> (detect -> crop -> orient) -> recognize -> layout.

The engine holds only models (loaded lazily, shared process-wide) and its limits; every
request's options arrive as an argument, so one request cannot leak settings into the next
and concurrent requests can share one engine. PDF pages with a text layer skip OCR
(`pdf_text`); ignore regions are painted out before detection; `assemble` orders the lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic, perf_counter

import numpy as np
from onnxruntime import InferenceSession

from ocr_core import page_notes
from ocr_core.assemble import PageRead, assemble, skips_ocr, text_layer_read
from ocr_core.charset import CharFilter
from ocr_core.crop import crop_line, is_vertical, vertical_to_horizontal
from ocr_core.ctc import Reading
from ocr_core.decode import Page, decode
from ocr_core.detect import TextDetector
from ocr_core.errors import TimeBudgetExceededError
from ocr_core.ignore_regions import inside_any, mask_regions
from ocr_core.imaging import rotate_180
from ocr_core.limits import DEFAULT_LIMITS, Limits
from ocr_core.line_geometry import CropFrame, build_line
from ocr_core.models import Preset, RecognizerSpec, get_preset, load_dictionary, model_dir, model_path
from ocr_core.options import DEFAULT_OPTIONS, MODES, OcrOptions
from ocr_core.orientation import OrientationClassifier
from ocr_core.reading_order import group_rows
from ocr_core.recognize import TextRecognizer
from ocr_core.result import ModelInfo, OcrResult
from ocr_core.sessions import get_session, is_loaded

__all__ = ["DEFAULT_OPTIONS", "MODES", "OcrEngine", "OcrOptions", "Stages", "is_single_line"]
LINE_COVERAGE = 0.5
"""Auto mode reads the whole image as one line when a single row of text spans this share of its height."""
LINE_SHAPE = 2.0
"""Width/height ratio from which an image with no detected text is still tried as one line."""


@dataclass(frozen=True)
class Stages:
    """The callables of one preset, bound to their (shared) sessions."""

    detector: TextDetector | None
    recognizer: TextRecognizer
    classifier: OrientationClassifier | None
    fallback: Callable[[], TextRecognizer] | None = None
    """Builds the fallback recognizer on first need: most requests never load it."""
    fallback_below: float = 0.0

    def recognize(self, crops: Sequence[np.ndarray], char_filter: CharFilter | None = None) -> list[Reading]:
        """Read every crop; re-read doubtful ones with the fallback and keep the surer reading.

        Doubtful: `sureness` below `fallback_below`; the reading with the higher `confidence`
        (what the client sees) wins.
        """
        results = self.recognizer(crops, char_filter)
        if self.fallback is None:
            return results
        doubtful = [i for i, reading in enumerate(results) if reading.sureness < self.fallback_below]
        if doubtful:
            keep_more_confident(results, doubtful, self.fallback()([crops[i] for i in doubtful], char_filter))
        return results


def keep_more_confident(
    readings: list[Reading], indices: Sequence[int], second: Sequence[Reading]
) -> list[int]:
    """Put `second[k]` in place of `readings[indices[k]]` where it is more confident (in place);
    the indices replaced. The rule of both second readings: the fallback model's and the unturned one."""
    replaced = []
    for index, reading in zip(indices, second, strict=True):
        if reading.confidence > readings[index].confidence:
            readings[index] = reading
            replaced.append(index)
    return replaced


@dataclass
class _Stopwatch:
    """Times each stage of a request and, given a deadline, refuses to start one past it.

    ONNX Runtime calls cannot be interrupted, so a request over its time budget stops at the next
    stage boundary (of any page) instead of reading every page of a long document in vain.
    """

    deadline: float | None = None
    """On the `time.monotonic()` clock; None: no limit."""
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.deadline is not None and monotonic() >= self.deadline:
            raise TimeBudgetExceededError(f"the time budget ran out before the {name} stage")
        start = perf_counter()
        try:
            yield
        finally:
            elapsed = (perf_counter() - start) * 1000.0
            self.timings[name] = self.timings.get(name, 0.0) + elapsed


class OcrEngine:
    """Reads text from image/PDF bytes. Thread-safe: no per-request state is stored."""

    def __init__(
        self, models: str | Path | None = None, threads: int | None = None, limits: Limits = DEFAULT_LIMITS
    ):
        self.model_dir = model_dir(models)
        self.threads = threads
        self.limits = limits

    def run(
        self, data: bytes, options: OcrOptions = DEFAULT_OPTIONS, deadline: float | None = None
    ) -> OcrResult:
        return self.run_document(data, options, deadline)[0]

    def run_document(
        self, data: bytes, options: OcrOptions = DEFAULT_OPTIONS, deadline: float | None = None
    ) -> tuple[OcrResult, list[Page]]:
        """The result and the decoded pages (for exports that need the pixels, e.g. a searchable PDF).

        `deadline` (`time.monotonic()` clock): past it, the next stage raises TimeBudgetExceededError.
        """
        preset = get_preset(options.preset)
        watch = _Stopwatch(deadline)
        with watch.stage("decode"):
            pages = decode(data, self.limits, options.pages, options.password, options.pdf_text != "ocr")
        return self._read_pages(pages, preset, options, watch), pages

    def run_image(self, image: np.ndarray, options: OcrOptions = DEFAULT_OPTIONS) -> OcrResult:
        """Read an already decoded RGB uint8 image (for callers that hold pixels)."""
        return self._read_pages([Page(1, image)], get_preset(options.preset), options, _Stopwatch())

    def warm_up(self, preset_name: str | None = None) -> None:
        """Load all of the preset's sessions now (e.g. at container init), its fallback included."""
        stages = self.stages(get_preset(preset_name))
        if stages.fallback is not None:
            stages.fallback()

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
        reads: list[tuple[Page, PageRead]] = []
        stages: Stages | None = None
        if not all(skips_ocr(page, options) for page in pages):
            detect = options.mode != "line"
            needed = [f for f in preset.first_files if detect or f != preset.detector.file]
            cold = not all(is_loaded(model_path(self.model_dir, file)) for file in needed)
            # First use loads the models: timed apart, so stage timings mean the same on every request.
            with watch.stage("load_models") if cold else nullcontext():
                stages = self.stages(preset, detect)
        for page in pages:
            if stages is None or skips_ocr(page, options):
                reads.append((page, text_layer_read(page, options)))
            else:
                reads.append((page, self._read_page(page, stages, options, watch)))
        info = ModelInfo(preset.name, preset.detector.file, preset.recognizer.file, preset.classifier)
        count = pages[0].count if pages else None
        return assemble(reads, options, info, watch.timings, count)

    def _read_page(self, page: Page, stages: Stages, options: OcrOptions, watch: _Stopwatch) -> PageRead:
        image = mask_regions(page.image, options.ignore)
        height, width = image.shape[:2]
        notes = page_notes.low_contrast(image, page.number)
        notes += page_notes.pdf_resolution(page.dpi, self.limits.pdf_dpi, page.number)
        whole = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
        if stages.detector is None:
            boxes = [whole]
        else:
            with watch.stage("detect"):
                found = [box for box, _ in stages.detector(image)]
            boxes = [box for box in found if not inside_any(box, options.ignore, (width, height))]
            notes += page_notes.lines_capped(len(boxes), self.limits.max_lines, page.number)
            boxes = boxes[: self.limits.max_lines]
            if options.mode == "auto" and is_single_line(boxes, width, height):
                boxes = [whole]
            else:
                notes += page_notes.detection_downscaled(
                    width, height, stages.detector.limit_side, page.number
                )
        mode = "line" if len(boxes) == 1 and boxes[0] is whole else "page"
        if not boxes:
            return PageRead((), mode, warnings=notes)
        with watch.stage("crop"):
            crops = [crop_line(image, box) if box is not whole else image for box in boxes]
            vertical = [is_vertical(c) for c in crops]
            crops = [vertical_to_horizontal(c) if v else c for c, v in zip(crops, vertical, strict=True)]
        flipped = [False] * len(crops)
        if options.orientation and stages.classifier is not None:
            with watch.stage("classify"):
                flipped = stages.classifier(crops)
            crops = [rotate_180(c) if f else c for c, f in zip(crops, flipped, strict=True)]
        requested = CharFilter(options.lang, options.allowed_chars)
        char_filter = requested if requested.active else None
        with watch.stage("recognize"):
            readings = stages.recognize(crops, char_filter)
            flipped = recheck_flips(stages, crops, readings, flipped, char_filter)
        lines = [
            build_line(reading, CropFrame(box, v, f), page.number, options.boxes)
            for reading, box, v, f in zip(readings, boxes, vertical, flipped, strict=True)
            if reading.text and reading.confidence >= options.min_confidence
        ]
        # Most lines upside down: the page is, so its layout is read turned over.
        upside_down = len(boxes) > 1 and sum(flipped) * 2 > len(flipped)
        return PageRead(lines, mode, upside_down, notes)


FLIP_RECHECK_BELOW = 0.9
"""A line the classifier turned over and then read below this confidence is also read unturned."""


def recheck_flips(
    stages: Stages,
    crops: list[np.ndarray],
    readings: list[Reading],
    flipped: Sequence[bool],
    char_filter: CharFilter | None,
) -> list[bool]:
    """Undo the orientation classifier's false flips: the surer of the two readings wins.

    The classifier is sure (p > 0.9) yet wrong on some short upright words ("EXIT" was read as
    "LIX3"), and a wrong flip turns a line into garbage, so a doubtful flipped reading is
    checked the other way round. Updates `readings` in place; returns the corrected flags.
    """
    flags = list(flipped)
    doubtful = [i for i, flag in enumerate(flags) if flag and readings[i].confidence < FLIP_RECHECK_BELOW]
    if not doubtful:
        return flags
    again = stages.recognize([rotate_180(crops[i]) for i in doubtful], char_filter)
    for index in keep_more_confident(readings, doubtful, again):
        flags[index] = False
    return flags


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
