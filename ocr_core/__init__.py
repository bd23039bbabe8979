"""CPU OCR engine for Chinese and English: DBNet detection + CTC recognition on ONNX Runtime.

No cloud imports here: the AWS adapters live in `handler/`.
"""

from __future__ import annotations

from ocr_core.engine import OcrEngine, OcrOptions
from ocr_core.errors import OcrError
from ocr_core.limits import Limits
from ocr_core.result import OcrResult, PageInfo, TextLine

__all__ = ["Limits", "OcrEngine", "OcrError", "OcrOptions", "OcrResult", "PageInfo", "TextLine"]
