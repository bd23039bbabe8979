"""Pydantic models of the API's JSON, so `/docs` shows every response and error shape.

They mirror `OcrResult.to_dict()` (the engine owns the result; these only describe it) and keep
the original service's fields (`success`, `results[].text`, `results[].confidence`,
`total_time_ms`) so its clients work unchanged.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class TextPartModel(BaseModel):
    text: str
    confidence: float
    box: list[list[int]] = Field(description="4 points [x, y], clockwise from top-left")


class TextLineModel(BaseModel):
    text: str
    confidence: float = Field(description="mean character confidence, 0..1")
    box: list[list[int]] = Field(description="4 points [x, y], clockwise from top-left")
    page: int = 1
    end: str = Field("\n", description='what follows the line in `text`: "\\n", " " or ""')
    words: list[TextPartModel] | None = Field(
        None, description="with boxes=word or char: Latin words and single CJK characters"
    )
    chars: list[TextPartModel] | None = Field(None, description="with boxes=char: every character")


class BlockModel(BaseModel):
    page: int
    lines: list[int] = Field(description="indices into `results`, in reading order")
    box: list[list[int]]


class WarningModel(BaseModel):
    code: str = Field(
        description="e.g. pages_truncated, lines_truncated, image_downscaled, low_contrast, "
        "text_layer_used, no_text_layer"
    )
    message: str
    page: int | None = None


class PageModel(BaseModel):
    page: int
    width: int
    height: int
    mode: str | None = Field(
        None, description='how the page was read: "line", "page" (detected) or "text" (PDF text layer)'
    )


class ModelInfoModel(BaseModel):
    preset: str
    detector: str | None = None
    recognizer: str | None = None
    classifier: str | None = None


class OcrResponse(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    success: Literal[True] = True
    results: list[TextLineModel] = Field(description="text lines in reading order")
    text: str = Field(description="every line followed by its `end` (newlines unless layout joins lines)")
    pages: list[PageModel]
    model: ModelInfoModel
    timings_ms: dict[str, float]
    total_time_ms: float
    request_id: str
    blocks: list[BlockModel] = Field(default_factory=list, description="paragraphs, columns, cells")
    warnings: list[WarningModel] = Field(default_factory=list)
    cached: bool = Field(
        default=False, description="answered from the in-process cache (same file and options, no inference)"
    )


class ErrorDetail(BaseModel):
    code: str = Field(description="stable machine-readable name, e.g. unsupported_media_type")
    message: str


class ErrorResponse(BaseModel):
    success: Literal[False] = False
    error: ErrorDetail
    request_id: str


class SourceModel(BaseModel):
    bucket: str
    key: str
    etag: str


class StoredResult(OcrResponse):
    """What the S3 trigger wrote for an upload that was read."""

    source: SourceModel


class StoredError(ErrorResponse):
    """What the S3 trigger wrote for an upload it could not read (served with the error's status)."""

    source: SourceModel


class HealthResponse(BaseModel):
    status: Literal["ok"] = "ok"
    models_loaded: list[str] = Field(description="model files loaded in this process so far")
    default_preset: str
    presets: dict[str, str] = Field(description="preset name -> description")
    uploads: bool = Field(description="presigned uploads are configured")
    max_bytes: int = Field(description="largest file for POST /ocr")
    upload_max_bytes: int | None = Field(description="largest file for POST /uploads")


class OptionModel(BaseModel):
    name: str
    type: str = Field(description="JSON schema type of the value")
    default: Any
    description: str
    example: str
    enum: list[str] | None = None
    secret: bool = False


class OptionsResponse(BaseModel):
    options: list[OptionModel] = Field(description="every option of POST /ocr: query, form field or JSON key")
    inputs: list[str] = Field(description="ways to send the file")


class UploadRequest(BaseModel):
    filename: str = Field("upload", max_length=1024)
    content_type: str | None = Field(None, max_length=255)
    # strict: JSON `false` or "12" is not a size (found by the schemathesis contract test)
    size: int | None = Field(
        None, ge=0, strict=True, description="file size in bytes, checked against the cap early"
    )
    mode: str | None = None
    model: str | None = None
    pages: str | None = None
    layout: str | None = None
    boxes: str | None = None
    lang: str | None = None
    pdf_text: str | None = None
    ignore: str | None = Field(None, max_length=1000)
    min_confidence: float | None = Field(None, ge=0, strict=True)


class UploadResponse(BaseModel):
    id: str = Field(description="upload id; poll GET /results/{id}")
    key: str = Field(description="object key the file is stored under")
    url: str = Field(description="POST the file here as multipart/form-data")
    fields: dict[str, str] = Field(description="form fields to send before the file field")
    max_bytes: int
    expires_in: int = Field(description="seconds the upload form stays valid")
    result_url: str


# POST /ocr reads its body itself (to check the size while reading), so /docs learns its shape here.
OCR_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "description": "The file: multipart field `image` (or `file`), a raw body, or base64 in JSON. "
    "Form fields and JSON keys besides the file are options, as in the query (GET /options).",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "image": {"type": "string", "format": "binary"},
                    "file": {"type": "string", "format": "binary"},
                },
            }
        },
        "image/*": {"schema": {"type": "string", "format": "binary"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "image": {"type": "string", "description": "base64 or data: URL"},
                    "s3_key": {"type": "string", "description": "instead of image: an object under uploads/"},
                },
                "description": "other keys are options (GET /options), e.g. layout, password, ignore",
            }
        },
    },
}
