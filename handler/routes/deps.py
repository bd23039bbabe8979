"""What routes get from the app: its settings and its S3 client (moto's in tests, boto3's in Lambda)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from handler import storage
from handler.errors import UploadsDisabledError
from handler.settings import Settings


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def s3_of(request: Request) -> Any:
    """The app's S3 client; boto3's is built on first use (importing it costs cold-start time)."""
    return request.app.state.s3_client or storage.default_s3_client()


def upload_bucket(settings: Settings) -> str:
    if not settings.upload_bucket:
        raise UploadsDisabledError("presigned uploads are not configured (no OCR_UPLOAD_BUCKET)")
    return settings.upload_bucket


SettingsDep = Annotated[Settings, Depends(settings_of)]
S3Dep = Annotated[Any, Depends(s3_of)]
