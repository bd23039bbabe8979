"""Every request option in one table: name, type, default, allowed values, what it does.

One source for three readers: `OcrOptions` validates against it, the API parses query strings,
form fields and JSON bodies with it, and `GET /options` (and the upload page's controls, and the
OpenAPI parameters of `POST /ocr`) are generated from it, so they cannot drift apart.
Options are frozen values passed per call: nothing here is request state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ocr_core.errors import InvalidOptionError
from ocr_core.input.page_selection import parse_pages
from ocr_core.layout.arrange import LAYOUTS
from ocr_core.layout.ignore_regions import IgnoreRegion, parse_regions
from ocr_core.models.presets import DEFAULT_PRESET, PRESETS

MODES = ("auto", "line", "page")
BOX_LEVELS = ("line", "word", "char")
LANGS = ("auto", "zh", "zh-Hans", "zh-Hant", "en")
PDF_TEXT = ("auto", "ocr", "text")
FORMATS = ("json", "text", "markdown", "jsonl", "pdf")
MAX_ALLOWED_CHARS = 10_000


@dataclass(frozen=True)
class OptionSpec:
    """One option as `GET /options` lists it (`to_dict`) and as the parser reads it."""

    name: str
    type: str  # JSON schema type of the value: string, number
    default: Any
    description: str
    example: str
    enum: tuple[str, ...] | None = None
    secret: bool = False

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
        return spec


OPTION_SPECS: tuple[OptionSpec, ...] = (
    OptionSpec(
        "mode", "string", "auto", "auto: line crops read whole, pages detected; line; page", "page", MODES
    ),
    OptionSpec("model", "string", DEFAULT_PRESET, "model preset", "fast", tuple(PRESETS)),
    OptionSpec(
        "pages", "string", None, "PDF/TIFF pages: ranges and lists, negative from the end", "1-3,5,-1"
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
        "format",
        "string",
        "json",
        "json; text, markdown, jsonl exports; pdf: searchable PDF (the image + invisible text)",
        "markdown",
        FORMATS,
    ),
)
OPTIONS_BY_NAME = {spec.name: spec for spec in OPTION_SPECS}


def _check(name: str, value: str) -> None:
    allowed = OPTIONS_BY_NAME[name].enum or ()
    if value not in allowed:
        raise InvalidOptionError(f"unknown {name} {value!r}; choose one of: {', '.join(allowed)}")


@dataclass(frozen=True)
class OcrOptions:
    """Per-request options of the engine; the defaults are what the API uses when a client says nothing."""

    mode: str = "auto"
    preset: str | None = None
    pages: tuple[int, ...] | None = None
    orientation: bool = True
    min_confidence: float = 0.0
    layout: str = "lines"
    boxes: str = "line"
    lang: str = "auto"
    allowed_chars: str | None = None
    pdf_text: str = "auto"
    password: str | None = field(default=None, repr=False)
    ignore: tuple[IgnoreRegion, ...] = ()

    def __post_init__(self) -> None:
        _check("mode", self.mode)
        _check("layout", self.layout)
        _check("boxes", self.boxes)
        _check("lang", self.lang)
        _check("pdf_text", self.pdf_text)
        if not self.min_confidence >= 0.0:  # also refuses NaN
            raise InvalidOptionError("min_confidence must be a number >= 0")
        if self.allowed_chars is not None and len(self.allowed_chars) > MAX_ALLOWED_CHARS:
            raise InvalidOptionError(f"allowed_chars: at most {MAX_ALLOWED_CHARS} characters")


DEFAULT_OPTIONS = OcrOptions()


@dataclass(frozen=True)
class RequestOptions:
    """What one API request asked for: the engine's options and the response format."""

    ocr: OcrOptions
    format: str = "json"


def parse_options(raw: Mapping[str, Any], default_preset: str | None = None) -> RequestOptions:
    """Options from strings (query, form) or JSON values; unknown names are the caller's to refuse."""
    # An empty text field means "not given"; an empty choice or number is an error, as in the schema.
    values = {
        name: value for name, value in raw.items() if name in OPTIONS_BY_NAME and not _unset(name, value)
    }
    text = {name: str(value).strip() for name, value in values.items() if name != "ignore"}

    def choice(name: str) -> str:
        """The given value of a choice option, else the table's default; case does not matter."""
        return str(text.get(name, OPTIONS_BY_NAME[name].default)).lower()

    output = choice("format")
    _check("format", output)
    preset = text.get("model", default_preset)
    if preset is not None and preset.lower() not in PRESETS:
        _check("model", preset)
    ocr = OcrOptions(
        mode=choice("mode"),
        preset=preset,
        pages=parse_pages(text.get("pages")),
        min_confidence=_number("min_confidence", text.get("min_confidence", "0")),
        layout=choice("layout"),
        boxes=choice("boxes"),
        lang=choice("lang"),
        allowed_chars=str(values["allowed_chars"]) if "allowed_chars" in values else None,
        pdf_text=choice("pdf_text"),
        password=str(values["password"]) if "password" in values else None,
        ignore=parse_regions(values.get("ignore")),
    )
    return RequestOptions(ocr, output)


def _unset(name: str, value: Any) -> bool:
    spec = OPTIONS_BY_NAME[name]
    return value is None or (value == "" and spec.type == "string" and spec.enum is None)


def _number(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise InvalidOptionError(f"{name} must be a number, got {value!r}") from None


def describe_options(default_preset: str | None = None) -> list[dict[str, Any]]:
    """Every option as JSON for `GET /options`, with this deployment's default preset."""
    specs = [spec.to_dict() for spec in OPTION_SPECS]
    for spec in specs:
        if spec["name"] == "model":
            spec["default"] = default_preset or DEFAULT_PRESET
    return specs
