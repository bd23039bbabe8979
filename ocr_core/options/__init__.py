"""Request options: the one option table (`table`) and parsing what a client sent (`parse`).

Sits above the stages (it names their choices: layouts, presets, page selections, ignore
regions, export formats) and below the engine, which takes `OcrOptions` per call.
"""

from __future__ import annotations

from ocr_core.options.parse import (
    DEFAULT_OPTIONS,
    MAX_VALUE_CHARS,
    OcrOptions,
    RequestOptions,
    check_names,
    check_text,
    parse_options,
    parse_upload_options,
)
from ocr_core.options.table import (
    FORMATS,
    MODES,
    OPTION_NAMES,
    OPTION_SPECS,
    OPTIONS_BY_NAME,
    UPLOAD_OPTIONS,
    OptionSpec,
    describe_options,
)

__all__ = [
    "DEFAULT_OPTIONS",
    "FORMATS",
    "MAX_VALUE_CHARS",
    "MODES",
    "OPTIONS_BY_NAME",
    "OPTION_NAMES",
    "OPTION_SPECS",
    "UPLOAD_OPTIONS",
    "OcrOptions",
    "OptionSpec",
    "RequestOptions",
    "check_names",
    "check_text",
    "describe_options",
    "parse_options",
    "parse_upload_options",
]
