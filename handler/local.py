"""The local server: the same API app as the Lambda, plus the upload page from `web/` at `/`.

`make run` serves this with uvicorn. Static files stay out of the Lambda app: in AWS the page
is served from its S3 bucket, so the function package carries no web assets. If `web/` is
absent (e.g. a partial checkout), the API still runs and `/` is simply not found.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from handler.app import create_app
from handler.security import SecurityHeadersMiddleware, page_headers
from handler.settings import Settings

WEB_DIR = Path(__file__).resolve().parent.parent / "web"


def create_local_app(settings: Settings | None = None, web_dir: Path = WEB_DIR) -> FastAPI:
    app = create_app(settings)
    if web_dir.is_dir():
        # Mounted after the API routes, so /ocr, /health, /docs ... win; everything else is a file.
        # The page gets its own headers (CSP for scripts from 'self' only); see handler.security.
        page = SecurityHeadersMiddleware(StaticFiles(directory=web_dir, html=True), page_headers)
        app.mount("/", page, name="web")
    return app


app = create_local_app()
