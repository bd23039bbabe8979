"""Options as the engine takes them (`OcrOptions`), parsed from what a client sent.

Values arrive as strings (query strings, form fields, S3 metadata, CLI flags) or as JSON values.
Anything that is not one of the table's names, not of the option's type, or not valid Unicode is
an `InvalidOptionError` naming the option: a misspelled option silently ignored would answer a
question the client did not ask. Options are frozen values passed per call: nothing here is
request state.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ocr_core.errors import InvalidOptionError
from ocr_core.input.page_selection import PageRef, parse_pages
from ocr_core.layout.ignore_regions import IgnoreRegion, parse_regions
from ocr_core.models.presets import PRESETS
from ocr_core.options.table import OPTION_NAMES, OPTIONS_BY_NAME, TABLE_FORMATS, default_of

MAX_VALUE_CHARS = 10_000
"""Longest value of any option (`allowed_chars` is the longest anyone needs)."""


def check_choice(name: str, value: str) -> None:
    allowed = OPTIONS_BY_NAME[name].enum or ()
    if value not in allowed:
        raise InvalidOptionError(f"unknown {name} {value!r}; choose one of: {', '.join(allowed)}")


@dataclass(frozen=True)
class OcrOptions:
    """Per-request options of the engine; the defaults are the option table's."""

    mode: str = default_of("mode")
    preset: str | None = None
    pages: tuple[PageRef, ...] | None = None
    orientation: bool = True
    min_confidence: float = default_of("min_confidence")
    layout: str = default_of("layout")
    boxes: str = default_of("boxes")
    lang: str = default_of("lang")
    allowed_chars: str | None = None
    pdf_text: str = default_of("pdf_text")
    password: str | None = field(default=None, repr=False)
    ignore: tuple[IgnoreRegion, ...] = ()
    tables: str = default_of("tables")

    def __post_init__(self) -> None:
        for name in ("mode", "layout", "boxes", "lang", "pdf_text", "tables"):
            check_choice(name, getattr(self, name))
        if not self.min_confidence >= 0.0:  # also refuses NaN
            raise InvalidOptionError("min_confidence must be a number >= 0")
        for name in ("allowed_chars", "password"):
            value = getattr(self, name)
            if value is not None:
                check_text(name, value)


DEFAULT_OPTIONS = OcrOptions()


@dataclass(frozen=True)
class RequestOptions:
    """What one request asked for: the engine's options and the answer's format."""

    ocr: OcrOptions
    format: str = default_of("format")


def parse_options(raw: Mapping[str, Any], default_preset: str | None = None) -> RequestOptions:
    """Options from strings or JSON values; every name must be an option (see the module docstring)."""
    check_names(raw)
    values = {name: value for name, value in raw.items() if not _unset(name, value)}
    text = {name: _text(name, value) for name, value in values.items() if name != "ignore"}

    def choice(name: str) -> str:
        """The given value of a choice option, else the table's default; case does not matter
        (`ZH-HANS` is the table's `zh-Hans`)."""
        given = str(text.get(name, default_of(name))).strip().lower()
        return next((value for value in OPTIONS_BY_NAME[name].enum or () if value.lower() == given), given)

    output = choice("format")
    check_choice("format", output)
    preset = text.get("model", default_preset)
    if preset is not None and preset.strip().lower() not in PRESETS:
        check_choice("model", preset)
    ocr = OcrOptions(
        mode=choice("mode"),
        preset=preset.strip() if preset is not None else None,
        pages=parse_pages(text.get("pages")),
        min_confidence=_number("min_confidence", text.get("min_confidence", "0")),
        layout=choice("layout"),
        boxes=choice("boxes"),
        lang=choice("lang"),
        allowed_chars=text.get("allowed_chars"),
        pdf_text=choice("pdf_text"),
        password=text.get("password"),
        ignore=parse_regions(_checked_ignore(values.get("ignore"))),
        tables=choice("tables") if "tables" in text or output not in TABLE_FORMATS else "on",
    )
    return RequestOptions(ocr, output)


def check_names(raw: Mapping[str, Any]) -> None:
    """Every name is an option; else the error lists the valid ones (and the likely intended one)."""
    unknown = [name for name in raw if name not in OPTIONS_BY_NAME]
    if not unknown:
        return
    name = str(unknown[0])
    hint = difflib.get_close_matches(name, OPTION_NAMES, n=1)
    guess = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise InvalidOptionError(
        f"unknown option {_shown(name)}{guess}; the options are: {', '.join(OPTION_NAMES)}"
    )


def parse_upload_options(raw: Mapping[str, Any], default_preset: str | None = None) -> RequestOptions:
    """Options stored with an upload: as `parse_options`, and only options an upload keeps (an
    upload's result is JSON, so `format` is refused rather than ignored)."""
    check_names(raw)
    for name in raw:
        if not OPTIONS_BY_NAME[name].upload:
            raise InvalidOptionError(f"{name} is not an option of uploads: an upload's result is JSON")
    return parse_options(raw, default_preset)


def check_text(name: str, value: str) -> str:
    """A string option value: valid Unicode (no lone surrogates), not absurdly long."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidOptionError(f"{name} is not valid Unicode text") from None
    if len(value) > MAX_VALUE_CHARS:
        raise InvalidOptionError(f"{name}: at most {MAX_VALUE_CHARS} characters")
    return value


def _text(name: str, value: Any) -> str:
    """The value as text: strings, and numbers where a client may write one (`"pages": 3`)."""
    if isinstance(value, str):
        return check_text(name, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    kind = "a number" if OPTIONS_BY_NAME[name].type == "number" else "a string"
    raise InvalidOptionError(f"{name} must be {kind}, got {type(value).__name__}")


def _checked_ignore(value: Any) -> Any:
    return check_text("ignore", value) if isinstance(value, str) else value


def _unset(name: str, value: Any) -> bool:
    """Not given: None, or an empty free-text field (an empty choice or number is an error)."""
    spec = OPTIONS_BY_NAME[name]
    return value is None or (value == "" and spec.type == "string" and spec.enum is None)


def _number(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise InvalidOptionError(f"{name} must be a number, got {_shown(value)}") from None


def _shown(value: str, limit: int = 40) -> str:
    """A client's value quoted for a message: shortened, and safe to print whatever it holds."""
    text = value if len(value) <= limit else value[:limit] + "..."
    return ascii(text) if any(not ch.isprintable() for ch in text) else repr(text)
