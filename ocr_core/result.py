"""Result types: frozen dataclasses with an explicit `to_dict()` that is the API's JSON.

Results never carry pixels, so they are cheap to log, cache and serialise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Point = tuple[int, int]
Box = tuple[Point, Point, Point, Point]


@dataclass(frozen=True)
class TextLine:
    """One recognised line: text, mean character confidence, 4-point box (clockwise from top-left)."""

    text: str
    confidence: float
    box: Box
    page: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "confidence": round(float(self.confidence), 4),
            "box": [[int(x), int(y)] for x, y in self.box],
            "page": self.page,
        }


@dataclass(frozen=True)
class PageInfo:
    """Size of a page as decoded (after EXIF rotation), and how it was read: "line" or "page"."""

    page: int
    width: int
    height: int
    mode: str

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "width": self.width, "height": self.height, "mode": self.mode}


@dataclass(frozen=True)
class ModelInfo:
    """Which preset and model files answered."""

    preset: str
    detector: str
    recognizer: str
    classifier: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "detector": self.detector,
            "recognizer": self.recognizer,
            "classifier": self.classifier,
        }


@dataclass(frozen=True)
class OcrResult:
    """Everything one request produced, in reading order, with per-stage timings in ms."""

    lines: tuple[TextLine, ...]
    pages: tuple[PageInfo, ...]
    model: ModelInfo
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def total_time_ms(self) -> float:
        return sum(self.timings_ms.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "success": True,
            "results": [line.to_dict() for line in self.lines],
            "text": self.text,
            "pages": [page.to_dict() for page in self.pages],
            "model": self.model.to_dict(),
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "total_time_ms": round(self.total_time_ms, 1),
        }
