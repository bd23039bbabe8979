"""`GET /health` and `GET /options`: what the service is and what it accepts; neither loads a model."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from handler.openapi import INPUTS, errors
from handler.routes.deps import SettingsDep
from handler.schemas import HealthResponse, OptionsResponse
from ocr_core.models.presets import DEFAULT_PRESET, PRESETS
from ocr_core.models.sessions import loaded_sessions
from ocr_core.options import describe_options

router = APIRouter()


@router.get("/options", response_model=OptionsResponse, responses=errors(500))
def list_options(settings: SettingsDep) -> dict[str, Any]:
    """Every option of POST /ocr with its type, default and allowed values (the upload page's controls)."""
    return {"options": describe_options(settings.default_preset), "inputs": INPUTS}


@router.get("/health", response_model=HealthResponse, responses=errors(500))
def health(settings: SettingsDep) -> dict[str, Any]:
    """Liveness plus what is loaded; never loads a model itself (that would make it slow and stateful)."""
    return {
        "status": "ok",
        "models_loaded": loaded_sessions(),
        "default_preset": settings.default_preset or DEFAULT_PRESET,
        "presets": {name: preset.description for name, preset in PRESETS.items()},
        "uploads": settings.upload_bucket is not None,
        "max_bytes": settings.max_bytes,
        "upload_max_bytes": settings.presign_max_bytes if settings.upload_bucket else None,
    }
