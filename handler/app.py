"""The API app: FastAPI with the routes, the error handlers and the middlewares, built on demand.

`create_app` has no side effects at import: the Lambda entry point (`handler.api`) and the local
server (`handler.local`) each build one; tests build theirs with small `Settings` and a moto client.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from handler import logs
from handler.http_errors import register_error_handlers
from handler.middleware import REQUEST_ID_HEADER, RequestContextMiddleware
from handler.routes import meta, ocr, results, uploads
from handler.security import SecurityHeadersMiddleware
from handler.settings import Settings, get_settings


def create_app(settings: Settings | None = None, s3_client: Any = None) -> FastAPI:
    """The API app. Tests pass small `settings` and a moto `s3_client`; Lambda uses the environment."""
    settings = settings or get_settings()
    logs.configure(settings.log_level)
    app = FastAPI(
        title="Serverless OCR",
        version="1.0",
        description="Chinese + English text recognition on CPU. Errors always use the ErrorResponse shape.",
    )
    app.state.settings = settings
    app.state.s3_client = s3_client
    register_error_handlers(app)
    for module in (ocr, meta, uploads, results):
        app.include_router(module.router)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    if settings.allowed_origins:  # added last, so it is outermost and tags error responses too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.allowed_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type"],
            expose_headers=[REQUEST_ID_HEADER],
            max_age=600,
        )
    return app
