"""A recognised line and its parts: the unit every stage after detection passes along.

Frozen, with an explicit `to_dict()` that is the API's JSON for a line. Lines never carry pixels,
so they are cheap to log, cache and serialise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ocr_core.geometry import Box, box_list


@dataclass(frozen=True)
class TextPart:
    """A word or a character of a line, with its own box in page pixels."""

    text: str
    box: Box
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "confidence": round(float(self.confidence), 4), "box": box_list(self.box)}


@dataclass(frozen=True)
class TextLine:
    """One recognised line: text, mean character confidence, 4-point box (clockwise from top-left).

    `end` is what follows the line when the page is written out ("\n", " " or ""), so joining
    `text + end` over all lines rebuilds `OcrResult.text`. `words`/`chars` are filled on request.
    """

    text: str
    confidence: float
    box: Box
    page: int = 1
    end: str = "\n"
    words: tuple[TextPart, ...] | None = None
    chars: tuple[TextPart, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        line: dict[str, Any] = {
            "text": self.text,
            "confidence": round(float(self.confidence), 4),
            "box": box_list(self.box),
            "page": self.page,
            "end": self.end,
        }
        if self.words is not None:
            line["words"] = [word.to_dict() for word in self.words]
        if self.chars is not None:
            line["chars"] = [char.to_dict() for char in self.chars]
        return line
