"""Result types: frozen dataclasses with an explicit `to_dict()` that is the API's JSON.

Results never carry pixels, so they are cheap to log, cache and serialise. `OcrResult.from_dict`
reads that JSON back (a job stores each chunk's result as JSON and merges them): every field comes
back as `to_dict` wrote it, the timings as rounded there (so `total_time_ms`, their sum, may
differ from the original's in its last digit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocr_core.geometry import Box, box_list
from ocr_core.lines import TextLine, TextPart


@dataclass(frozen=True)
class Block:
    """Lines that belong together (a paragraph, a column, a table cell), as indices into `lines`."""

    page: int
    lines: tuple[int, ...]
    box: Box

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "lines": list(self.lines), "box": box_list(self.box)}


@dataclass(frozen=True)
class OcrWarning:
    """Something a user should know about a result that is still returned (a cap hit, a fallback)."""

    code: str
    message: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "page": self.page}


@dataclass(frozen=True)
class PageInfo:
    """Size of a page as decoded (after EXIF rotation), and how it was read.

    `mode` is "line" (read whole as one line), "page" (lines detected) or "text" (a PDF page's
    own text layer, no OCR).
    """

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
    blocks: tuple[Block, ...] = ()
    warnings: tuple[OcrWarning, ...] = ()

    @property
    def text(self) -> str:
        """Every line followed by its `end`, except the last line's."""
        if not self.lines:
            return ""
        return "".join(line.text + line.end for line in self.lines[:-1]) + self.lines[-1].text

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
            "blocks": [block.to_dict() for block in self.blocks],
            "warnings": [warning.to_dict() for warning in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OcrResult:
        """The result `to_dict()` gave (extra keys such as `request_id` are ignored)."""
        model = data["model"]
        return cls(
            lines=tuple(_line(line) for line in data["results"]),
            pages=tuple(
                PageInfo(page["page"], page["width"], page["height"], page["mode"]) for page in data["pages"]
            ),
            model=ModelInfo(model["preset"], model["detector"], model["recognizer"], model.get("classifier")),
            timings_ms={name: float(ms) for name, ms in data.get("timings_ms", {}).items()},
            blocks=tuple(
                Block(block["page"], tuple(block["lines"]), _box(block["box"]))
                for block in data.get("blocks", ())
            ),
            warnings=tuple(
                OcrWarning(warning["code"], warning["message"], warning.get("page"))
                for warning in data.get("warnings", ())
            ),
        )


def _box(points: list[list[int]]) -> Box:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    return ((x0, y0), (x1, y1), (x2, y2), (x3, y3))


def _parts(parts: list[dict[str, Any]] | None) -> tuple[TextPart, ...] | None:
    if parts is None:
        return None
    return tuple(TextPart(part["text"], _box(part["box"]), part["confidence"]) for part in parts)


def _line(line: dict[str, Any]) -> TextLine:
    return TextLine(
        text=line["text"],
        confidence=line["confidence"],
        box=_box(line["box"]),
        page=line["page"],
        end=line["end"],
        words=_parts(line.get("words")),
        chars=_parts(line.get("chars")),
    )
