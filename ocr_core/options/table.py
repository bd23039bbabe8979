"""Every request option in one table: name, type, default, allowed values, what it does.

Everything that lists options is generated from this table, so none can drift: `OcrOptions`'
defaults, the API's parser (query, form fields, JSON keys; unknown names refused), `GET /options`
(and the upload page's controls, built from it), the OpenAPI parameters of `POST /ocr`, the fields
of `POST /uploads`, the S3 metadata keys an upload may carry, and the CLI's flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ocr_core.layout.arrange import LAYOUTS
from ocr_core.models.presets import DEFAULT_PRESET, PRESETS
from ocr_core.output.exports import MEDIA_TYPES

MODES = ("auto", "line", "page")
BOX_LEVELS = ("line", "word", "char")
LANGS = ("auto", "zh", "zh-Hans", "zh-Hant", "en")
PDF_TEXT = ("auto", "ocr", "text")
FORMATS = tuple(MEDIA_TYPES)
SWITCH = ("off", "on")
TABLE_FORMATS = ("csv", "xlsx")
"""Exports that are tables: asking for one turns table detection on unless `tables=off` is given."""


@dataclass(frozen=True)
class OptionSpec:
    """One option as `GET /options` lists it (`to_dict`) and as the parser reads it."""

    name: str
    type: str
    """JSON schema type of the value: "string" or "number"."""
    default: Any
    description: str
    example: str
    enum: tuple[str, ...] | None = None
    secret: bool = False
    """Never logged, never stored in S3 object metadata, best sent in a body (not a URL)."""
    upload: bool = True
    """Stored with an upload (`POST /uploads`) for the S3 trigger; False: only shapes a synchronous answer."""
    basic: bool = False
    """One of the few options most requests change: clients (the upload page) show these first."""

    @property
    def metadata_key(self) -> str | None:
        """The S3 user-metadata key an uploaded object may carry this option in (None: it may not)."""
        return f"ocr-{self.name}" if self.upload and not self.secret else None

    def to_dict(self) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "description": self.description,
            "example": self.example,
        }
        if self.enum is not None:
            spec["enum"] = list(self.enum)
        if self.secret:
            spec["secret"] = True
        if self.basic:
            spec["basic"] = True
        return spec


OPTION_SPECS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "mode",
        "string",
        "auto",
        "auto: line crops read whole, pages detected; line; page",
        "page",
        MODES,
        basic=True,
    ),
    OptionSpec("model", "string", DEFAULT_PRESET, "model preset", "fast", tuple(PRESETS), basic=True),
    OptionSpec(
        "pages",
        "string",
        None,
        "PDF/TIFF pages: ranges and lists, negative from the end (2--1: the second page to the last)",
        "1-3,5,-1",
        basic=True,
    ),
    OptionSpec(
        "layout",
        "string",
        "lines",
        "lines: one line per text line; paragraphs: lines of a block joined; "
        "single_line: everything on one line; none: detector order, no sorting",
        "paragraphs",
        LAYOUTS,
    ),
    OptionSpec(
        "boxes",
        "string",
        "line",
        "line boxes only, or also word or character boxes per line",
        "word",
        BOX_LEVELS,
    ),
    OptionSpec(
        "lang",
        "string",
        "auto",
        "zh or zh-Hans: simplified Chinese + Latin (no traditional-only characters); "
        "zh-Hant: traditional Chinese + Latin (no simplified-only characters); en: no CJK characters",
        "zh",
        LANGS,
    ),
    OptionSpec(
        "allowed_chars",
        "string",
        None,
        "only these characters may be recognized (spaces always may), e.g. digits for a meter",
        "0123456789.-",
    ),
    OptionSpec(
        "pdf_text",
        "string",
        "auto",
        "auto: PDF pages with a text layer return it without OCR; ocr: always OCR; text: text layer only",
        "ocr",
        PDF_TEXT,
    ),
    OptionSpec("password", "string", None, "password of an encrypted PDF", "s3cret", secret=True),
    OptionSpec(
        "ignore",
        "string",
        None,
        "rectangles to skip, x0,y0,x1,y1 separated by ';', in pixels or (all values <= 1) page fractions",
        "0,0,1,0.1;0.8,0.9,1,1",
    ),
    OptionSpec("min_confidence", "number", 0.0, "drop lines below this confidence (0..1)", "0.5"),
    OptionSpec(
        "tables",
        "string",
        "off",
        "on: find tables (rows, columns, merged cells, header rows) and return them in `tables`; "
        "Markdown and HTML exports then write them as tables. format=csv or xlsx turns it on",
        "on",
        SWITCH,
    ),
    OptionSpec(
        "format",
        "string",
        "json",
        "json; text, markdown, html, jsonl exports; pdf: searchable PDF (the image + invisible text); "
        "csv: the table (a ZIP of one CSV per table when there are several); xlsx: a sheet per table",
        "markdown",
        FORMATS,
        upload=False,
    ),
)
OPTIONS_BY_NAME = {spec.name: spec for spec in OPTION_SPECS}
OPTION_NAMES = tuple(OPTIONS_BY_NAME)
UPLOAD_OPTIONS = tuple(spec for spec in OPTION_SPECS if spec.upload)


def default_of(name: str) -> Any:
    return OPTIONS_BY_NAME[name].default


def describe_options(default_preset: str | None = None) -> list[dict[str, Any]]:
    """Every option as JSON for `GET /options`, with this deployment's default preset."""
    specs = [spec.to_dict() for spec in OPTION_SPECS]
    for spec in specs:
        if spec["name"] == "model":
            spec["default"] = default_preset or DEFAULT_PRESET
    return specs
