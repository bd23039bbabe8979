"""Model presets: which detector, recognizer(s) and classifier answer a request.

A preset names one detector, one recognizer (with its dictionary and input height), optionally
a stronger fallback recognizer for doubtful lines, and the line-orientation classifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocr_core.errors import InvalidOptionError

@dataclass(frozen=True)
class DetectorSpec:
    """A DBNet detector and the longest side it resizes pages to."""

    file: str
    limit_side: int = 960


@dataclass(frozen=True)
class RecognizerSpec:
    """A CTC line recognizer: model, dictionary and fixed input height."""

    file: str
    dictionary: str
    height: int = 48


@dataclass(frozen=True)
class Preset:
    """A detector, a recognizer and, optionally, a stronger recognizer for doubtful lines.

    With a `fallback`, lines the first recognizer reads with a sureness (`ctc.Reading`) below
    `fallback_below` are read again by the fallback and the more confident reading wins: most
    lines are easy, so the cost of the big model is paid only where it can help.

    The trigger is sureness (each character at its peak CTC step), not the first-step confidence
    clients see: a character entering its run at 0.5 and peaking at 1.0 is not in doubt. 0.96 is
    where the evaluation set read best (lower thresholds lost lines, higher ones re-read more
    and lost handwriting to the small model's traditional forms; docs/accuracy.md).
    """

    name: str
    detector: DetectorSpec
    recognizer: RecognizerSpec
    classifier: str | None
    description: str
    fallback: RecognizerSpec | None = None
    fallback_below: float = 0.96

    @property
    def first_files(self) -> tuple[str, ...]:
        """The ONNX models every request of this preset loads (the fallback loads on need)."""
        files: tuple[str, ...] = (self.detector.file, self.recognizer.file)
        return files + ((self.classifier,) if self.classifier else ())

    @property
    def session_files(self) -> tuple[str, ...]:
        """The ONNX models the preset runs."""
        files: tuple[str, ...] = (self.detector.file, self.recognizer.file)
        files += (self.fallback.file,) if self.fallback else ()
        return files + ((self.classifier,) if self.classifier else ())


_TINY_DET = DetectorSpec("ppocrv6_tiny_det.onnx")
_V6_TINY_REC = RecognizerSpec("ppocrv6_tiny_rec.onnx", "ppocrv6_tiny_dict.txt")
_V6_SMALL_REC = RecognizerSpec("ppocrv6_small_rec.onnx", "ppocrv6_dict.txt")
_CRNN_REC = RecognizerSpec("ppocrv2_crnn_rec.onnx", "ppocr_keys_v1.txt", height=32)
_CLS = "ppocrv5_cls.onnx"

PRESETS: dict[str, Preset] = {
    "fast": Preset("fast", _TINY_DET, _V6_TINY_REC, _CLS, "PP-OCRv6 tiny detector + tiny recognizer"),
    "accurate": Preset(
        "accurate",
        _TINY_DET,
        _V6_TINY_REC,
        _CLS,
        "PP-OCRv6 tiny detector + tiny recognizer, small recognizer for lines read below 0.96 sure",
        fallback=_V6_SMALL_REC,
    ),
    "crnn": Preset("crnn", _TINY_DET, _CRNN_REC, _CLS, "original service's CRNN (PP-OCRv2 rec, 32 px high)"),
}
DEFAULT_PRESET = "accurate"


def get_preset(name: str | None) -> Preset:
    key = (name or DEFAULT_PRESET).strip().lower()
    try:
        return PRESETS[key]
    except KeyError:
        allowed = ", ".join(PRESETS)
        raise InvalidOptionError(f"unknown model preset {name!r}; choose one of: {allowed}") from None
