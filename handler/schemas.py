"""Pydantic models of the API's JSON, so `/docs` shows every response and error shape.

They mirror `OcrResult.to_dict()` (the engine owns the result; these only describe it) and keep
the original service's fields (`success`, `results[].text`, `results[].confidence`,
`total_time_ms`) so its clients work unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ocr_core.options import MAX_VALUE_CHARS, UPLOAD_OPTIONS


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


class TableCellModel(BaseModel):
    row: int
    col: int
    row_span: int
    col_span: int
    text: str
    box: list[list[int]]
    lines: list[int] = Field(description="the cell's lines as indices into `results`")


class TableModel(BaseModel):
    page: int
    box: list[list[int]]
    rows: int
    cols: int
    header_rows: int
    cells: list[TableCellModel] = Field(description="every cell of the grid, row by row; merged ones once")


class BlockModel(BaseModel):
    page: int
    lines: list[int] = Field(description="indices into `results`, in reading order")
    box: list[list[int]]


class WarningModel(BaseModel):
    code: str = Field(
        description="e.g. pages_truncated, lines_truncated, image_downscaled, low_contrast, "
        "text_layer_used, no_text_layer, page_failed (a job's page no retry could read)"
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
    tables: list[TableModel] | None = Field(None, description="with tables=on: every table of every page")
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


class JobSummary(BaseModel):
    """How a long document was read: as a job of page chunks across workers."""

    pages_total: int
    chunks: int
    pages_failed: list[int] = Field(description="pages no retry could read (each has a page_failed warning)")


class StoredResult(OcrResponse):
    """What the S3 trigger (or, for a long document, its job) wrote for an upload that was read."""

    source: SourceModel
    exports: dict[str, str] | None = Field(
        None, description="a job's exports: format (text, markdown, jsonl, pdf) -> short-lived download URL"
    )
    job: JobSummary | None = None


class StoredError(ErrorResponse):
    """What the S3 trigger wrote for an upload it could not read (served with the error's status)."""

    source: SourceModel
    job: JobSummary | None = None


class JobProgressResponse(BaseModel):
    """A job still running: poll again until the answer is 200 (the result) or an error."""

    state: Literal["queued", "running"] = Field(description="queued until a worker starts a chunk")
    pages_total: int
    pages_done: int = Field(description="pages of the chunks stored so far (read, or failed for good)")
    chunks_total: int
    chunks_done: int


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
    basic: bool = Field(False, description="one of the options most requests change (shown first)")


class OptionsResponse(BaseModel):
    options: list[OptionModel] = Field(description="every option of POST /ocr: query, form field or JSON key")
    inputs: list[str] = Field(description="ways to send the file")


class UploadFileFields(BaseModel):
    """`POST /uploads`' own fields: the file's name, type and size."""

    model_config = ConfigDict(extra="allow")  # other names go to the option parser, which refuses them
    filename: str = Field("upload", max_length=1024)
    content_type: str | None = Field(None, max_length=255, pattern=r"^[\w.+-]+/[\w.+-]+$")
    # strict: JSON `false` or "12" is not a size (found by the schemathesis contract test)
    size: int | None = Field(None, ge=0, strict=True, description="file size in bytes, checked early")


def _upload_request() -> type[UploadFileFields]:
    """`POST /uploads`' body: its own fields and every option an upload keeps, generated from the
    option table. Other names reach the option parser, which refuses them."""
    fields: dict[str, Any] = {}
    for spec in UPLOAD_OPTIONS:
        if spec.type == "number":
            fields[spec.name] = (float | None, Field(None, description=spec.description, ge=0, strict=True))
        else:
            fields[spec.name] = (
                str | None,
                Field(None, description=spec.description, max_length=MAX_VALUE_CHARS),
            )
    return create_model("UploadRequest", __base__=UploadFileFields, __config__=None, **fields)


if TYPE_CHECKING:
    UploadRequest = UploadFileFields
else:
    UploadRequest = _upload_request()


class UploadResponse(BaseModel):
    id: str = Field(description="upload id; poll GET /results/{id}")
    key: str = Field(description="object key the file is stored under")
    url: str = Field(description="POST the file here as multipart/form-data")
    fields: dict[str, str] = Field(description="form fields to send before the file field")
    max_bytes: int
    expires_in: int = Field(description="seconds the upload form stays valid")
    result_url: str
