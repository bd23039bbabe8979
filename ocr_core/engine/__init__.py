"""The engine: composes the stages into one call, bytes in, `OcrResult` out.

Owns: `OcrEngine` (binding presets to process-wide sessions, deadlines), reading one page through
the stages (`page_reader`), and assembling pages into one result (`assemble`). May import every
stage package, `options` and `models`; nothing below it imports the engine.
"""

from __future__ import annotations

from ocr_core.engine.engine import OcrEngine

__all__ = ["OcrEngine"]
