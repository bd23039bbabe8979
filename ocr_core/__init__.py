"""CPU OCR engine for Chinese and English: DBNet detection + CTC recognition on ONNX Runtime.

No cloud imports here: the AWS adapters live in `handler/`.
"""

from __future__ import annotations

from ocr_core.engine.engine import OcrEngine
from ocr_core.errors import OcrError
from ocr_core.limits import Limits
from ocr_core.lines import TextLine
from ocr_core.options import OcrOptions
from ocr_core.output.result import OcrResult, PageInfo

__all__ = ["Limits", "OcrEngine", "OcrError", "OcrOptions", "OcrResult", "PageInfo", "TextLine"]
