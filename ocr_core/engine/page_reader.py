"""One page through the OCR stages: mask -> detect -> crop -> orient -> recognize -> lines.

The engine decides which pages need OCR and binds the models (`Stages`); this module reads one
page with them and reports how it was read (one line, or detected lines) and its warnings.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr_core.detect.detector import TextDetector
from ocr_core.engine.assemble import PageRead
from ocr_core.engine.stopwatch import Stopwatch
from ocr_core.imaging import rotate_180
from ocr_core.input.page import Page
from ocr_core.layout.ignore_regions import inside_any, mask_regions
from ocr_core.layout.line_ends import stretch_line_ends, trailing_marks, with_marks
from ocr_core.layout.rows import rows_of
from ocr_core.layout.skew import level_rects
from ocr_core.layout.word_boxes import CropFrame, build_line
from ocr_core.limits import Limits
from ocr_core.options import OcrOptions
from ocr_core.output import warnings
from ocr_core.recognize.cascade import Cascade, recheck_flips
from ocr_core.recognize.charset import CharFilter
from ocr_core.recognize.crop import crop_line, is_vertical, vertical_to_horizontal
from ocr_core.recognize.ctc import Reading
from ocr_core.recognize.orientation import OrientationClassifier

LINE_COVERAGE = 0.5
"""Auto mode reads the whole image as one line when a single row of text spans this share of its height."""
STACKED = 0.5
"""Two boxes overlapping horizontally by this share of the narrower one are stacked, not one line."""
LINE_SHAPE = 2.0
"""Width/height ratio from which an image with no detected text is still tried as one line."""


@dataclass(frozen=True)
class Stages:
    """The callables of one preset, bound to their (shared) sessions."""

    detector: TextDetector | None
    """None in line mode: the detector is not even loaded."""
    recognize: Cascade
    classifier: OrientationClassifier | None


def read_page(page: Page, stages: Stages, options: OcrOptions, watch: Stopwatch, limits: Limits) -> PageRead:
    image = mask_regions(page.image, options.ignore)
    height, width = image.shape[:2]
    notes = warnings.low_contrast(image, page.number)
    notes += warnings.pdf_resolution(page.dpi, limits.pdf_dpi, page.number)
    whole = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    if stages.detector is None:
        boxes = [whole]
    else:
        with watch.stage("detect"):
            found = [box for box, _ in stages.detector(image)]
        boxes = [box for box in found if not inside_any(box, options.ignore, (width, height))]
        notes += warnings.lines_capped(len(boxes), limits.max_lines, page.number)
        boxes = boxes[: limits.max_lines]
        if options.mode == "auto" and is_single_line(boxes, width, height):
            boxes = [whole]
        else:
            notes += warnings.detection_downscaled(width, height, stages.detector.limit_side, page.number)
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
        flipped = recheck_flips(stages.recognize, crops, readings, flipped, char_filter)
        if mode == "page":
            readings = _add_trailing_marks(stages.recognize, image, boxes, readings, flipped, char_filter)
    level = "char" if options.tables == "on" else options.boxes  # tables split lines at char gaps
    lines = [
        build_line(reading, CropFrame(box, v, f), page.number, level)
        for reading, box, v, f in zip(readings, boxes, vertical, flipped, strict=True)
        if reading.text and reading.confidence >= options.min_confidence
    ]
    # Most lines upside down: the page is, so its layout is read turned over.
    upside_down = len(boxes) > 1 and sum(flipped) * 2 > len(flipped)
    return PageRead(lines, mode, upside_down, notes)


def _add_trailing_marks(
    read: Cascade,
    image: np.ndarray,
    boxes: Sequence[np.ndarray],
    readings: Sequence[Reading],
    flipped: Sequence[bool],
    char_filter: CharFilter | None,
) -> list[Reading]:
    """Readings with the full stops (and such) that stand just past their detected box: the
    lines followed by a mark are read again, stretched, for those marks alone (`line_ends`)."""
    stretched, kept = stretch_line_ends(boxes, image)
    # A line turned over ends at the left of its box: it is not stretched.
    again = [i for i, share in enumerate(kept) if share < 1.0 and not flipped[i]]
    if not again:
        return list(readings)
    result = list(readings)
    for i, second in zip(
        again, read([crop_line(image, stretched[i]) for i in again], char_filter), strict=True
    ):
        result[i] = with_marks(readings[i], trailing_marks(second, kept[i]))
    return result


def is_single_line(boxes: Sequence[np.ndarray], image_width: int, image_height: int) -> bool:
    """One row of text filling most of the image height is a line crop, not a page.

    The detector splits a tight line crop into fragments at wide gaps; reading the whole
    crop at once avoids that and is what the recognizer was trained on. A line-shaped image
    where nothing was detected (faint or tiny text) is also worth one recognition pass.
    Fragments of one line stand side by side: boxes stacked over each other (the lines of a
    tilted page, measured level by `level_rects`) or several vertical columns are a page.
    """
    if not boxes:
        return image_width >= LINE_SHAPE * image_height
    rects = level_rects(boxes, image_width, image_height)
    rows = rows_of(range(len(rects)), rects)
    if len(rows) != 1:
        return False
    row = [rects[i] for i in rows[0]]
    if len(row) > 1 and any(rect.is_vertical for rect in row):
        return False
    for a, b in itertools.combinations(row, 2):
        if min(a.right, b.right) - max(a.left, b.left) > STACKED * min(a.width, b.width):
            return False
    top = min(float(boxes[i][:, 1].min()) for i in rows[0])
    bottom = max(float(boxes[i][:, 1].max()) for i in rows[0])
    return bottom - top >= LINE_COVERAGE * image_height
