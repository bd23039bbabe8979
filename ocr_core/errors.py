"""Typed errors of the engine.

Every failure a caller can cause or meet is one of these, so the handler layer maps them to
HTTP status codes in a single table and never has to read message text.
"""

from __future__ import annotations


class OcrError(Exception):
    """Base class: `code` is a stable machine-readable name, the message is for people."""

    code = "ocr_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyInputError(OcrError):
    """No bytes were given."""

    code = "empty_input"


class UnsupportedMediaTypeError(OcrError):
    """The bytes are not an image or PDF format we read (e.g. HTML, text, GIF animations)."""

    code = "unsupported_media_type"


class InvalidImageError(OcrError):
    """The format is recognised but the file is truncated, corrupt, encrypted or empty."""

    code = "invalid_image"


class PdfPasswordError(InvalidImageError):
    """The PDF is encrypted and no password, or a wrong one, was given (code stays invalid_image)."""


class InputTooLargeError(OcrError):
    """A named limit (bytes, pixels, side, PDF pages) was exceeded; checked before heavy work."""

    code = "input_too_large"


class InvalidOptionError(OcrError):
    """An option has a value outside its allowed set (unknown preset, bad page selection)."""

    code = "invalid_option"


class ModelNotReadyError(OcrError):
    """Model files are missing or cannot be loaded; the service is not ready to answer."""

    code = "model_not_ready"


class TimeBudgetExceededError(OcrError):
    """The request's time budget ran out before the work was done (e.g. many pages of dense text).

    Synchronous requests must answer before API Gateway gives up (30 s); a clear error beats the
    gateway's bare timeout, and the client can select fewer pages or use the upload route.
    """

    code = "time_budget_exceeded"


class PdfResourceLimitError(InputTooLargeError):
    """Rendering or reading a PDF needed more memory or time than its limits allow.

    A PDF is a program: a few megabytes of compressed streams can inflate to gigabytes, and a
    few kilobytes of nested forms can draw a billion times. PDFium runs in a worker process
    with an address-space and a time limit (`ocr_core.input.pdf_process`); when the worker
    hits one, the request gets this error and the service lives on. The code stays
    `input_too_large` (413): the file is within the byte limit, but what it holds is not.
    """
