"""The OCR engine: decode -> (detect -> crop -> orient -> recognize) per page -> layout -> result.

The engine holds only models (loaded lazily, shared process-wide) and its limits; every
request's options arrive as an argument, so one request cannot leak settings into the next
and concurrent requests can share one engine. PDF pages with a text layer skip OCR
(`pdf_text`); `assemble` orders the lines of every page into one result.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

import numpy as np
from onnxruntime import InferenceSession

from ocr_core.detect.detector import TextDetector
from ocr_core.engine.assemble import PageRead, assemble, skips_ocr, text_layer_read
from ocr_core.engine.page_reader import Stages, read_page
from ocr_core.engine.stopwatch import Stopwatch
from ocr_core.input.decode import decode
from ocr_core.input.page import Page
from ocr_core.limits import DEFAULT_LIMITS, Limits
from ocr_core.models.files import dictionary_index, load_dictionary, model_dir, model_path
from ocr_core.models.presets import Preset, RecognizerSpec, get_preset
from ocr_core.models.sessions import get_session, is_loaded
from ocr_core.options import DEFAULT_OPTIONS, OcrOptions
from ocr_core.output.result import ModelInfo, OcrResult
from ocr_core.recognize.cascade import Cascade
from ocr_core.recognize.orientation import OrientationClassifier
from ocr_core.recognize.recognizer import TextRecognizer


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
        watch = Stopwatch(deadline)
        with watch.stage("decode"):
            pages = decode(
                data, self.limits, options.pages, options.password, options.pdf_text != "ocr", deadline
            )
        return self._read_pages(pages, preset, options, watch), pages

    def run_image(self, image: np.ndarray, options: OcrOptions = DEFAULT_OPTIONS) -> OcrResult:
        """Read an already decoded RGB uint8 image (for callers that hold pixels)."""
        return self._read_pages([Page(1, image)], get_preset(options.preset), options, Stopwatch())

    def warm_up(self, preset_name: str | None = None) -> None:
        """Load all of the preset's sessions now (e.g. at container init), its fallback included."""
        stages = self.stages(get_preset(preset_name))
        if stages.recognize.fallback is not None:
            stages.recognize.fallback()

    def stages(self, preset: Preset, detect: bool = True) -> Stages:
        """Bind the preset's models; `detect=False` (line mode) leaves the detector unloaded."""
        spec = preset.fallback
        fallback = (lambda: self._recognizer(spec)) if spec else None
        cascade = Cascade(self.recognizer(preset), fallback, preset.fallback_below)
        return Stages(self.detector(preset) if detect else None, cascade, self.classifier(preset))

    def detector(self, preset: Preset) -> TextDetector:
        spec = preset.detector
        return TextDetector(self._session(spec.file), spec.limit_side)

    def recognizer(self, preset: Preset) -> TextRecognizer:
        return self._recognizer(preset.recognizer)

    def _recognizer(self, spec: RecognizerSpec) -> TextRecognizer:
        path = model_path(self.model_dir, spec.dictionary)
        session = self._session(spec.file)
        return TextRecognizer(session, load_dictionary(path), spec.height, index_of=dictionary_index(path))

    def classifier(self, preset: Preset) -> OrientationClassifier | None:
        return OrientationClassifier(self._session(preset.classifier)) if preset.classifier else None

    def _session(self, file: str) -> InferenceSession:
        return get_session(model_path(self.model_dir, file), self.threads)

    def _read_pages(
        self, pages: Sequence[Page], preset: Preset, options: OcrOptions, watch: Stopwatch
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
                reads.append((page, read_page(page, stages, options, watch, self.limits)))
        if options.tables == "on":
            # Imported on first use: requests without tables (and cold starts) never load it.
            from ocr_core.engine.table_step import with_tables

            with watch.stage("tables"):
                reads = [(page, with_tables(page, read, options.boxes)) for page, read in reads]
        info = ModelInfo(preset.name, preset.detector.file, preset.recognizer.file, preset.classifier)
        count = pages[0].count if pages else None
        return assemble(reads, options, info, watch.timings, count)
