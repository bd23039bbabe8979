"""Security headers: one small ASGI middleware, one policy for the API and one for the upload page.

Why each header:
- `X-Content-Type-Options: nosniff`: a browser must not guess that an error JSON or a stored
  result (text users uploaded) is HTML or script.
- `Referrer-Policy: no-referrer`: result URLs carry the upload id, which is the only key to a
  result; it must not leak to other sites in a Referer header.
- `Content-Security-Policy`: the API answers JSON, so it allows nothing and no framing. The page
  allows only its own scripts and styles (web/ has no inline code; tests check that it works
  under this policy), images from blob:/data: (previews), and requests to the API and S3.
  `frame-ancestors 'none'` (plus `X-Frame-Options` for old browsers) stops clickjacking.
- `Cache-Control: no-store` on API answers: results are a user's data, not for shared caches.

The Swagger UI at /docs needs inline script and its CDN, so the docs pages get no CSP.
In AWS the page is served by S3, which cannot add headers: web/index.html carries the same
policy in a `<meta http-equiv>` (which cannot express `frame-ancestors`; a CDN in front can).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self' https: http://127.0.0.1:* http://localhost:*; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""The upload page's policy. connect-src names https: (API Gateway and S3 when deployed) and
loopback http: (the local server and a local S3 stand-in); scripts can only come from 'self'."""
API_CSP = "default-src 'none'; frame-ancestors 'none'"
COMMON_HEADERS: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
DOCS_PATHS = ("/docs", "/redoc")


def api_headers(path: str) -> dict[str, str]:
    """Headers for an answer of the API app (JSON, or the docs pages)."""
    if path.startswith(DOCS_PATHS):
        return dict(COMMON_HEADERS)
    return {**COMMON_HEADERS, "Content-Security-Policy": API_CSP, "Cache-Control": "no-store"}


def page_headers(path: str) -> dict[str, str]:
    """Headers for the upload page's static files (served by the local server)."""
    return {**COMMON_HEADERS, "Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache"}


class SecurityHeadersMiddleware:
    """Adds `headers_for(path)` to every HTTP response that does not already set them."""

    def __init__(self, app: ASGIApp, headers_for: Callable[[str], Mapping[str, str]] = api_headers) -> None:
        self.app = app
        self.headers_for = headers_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope.get("path", ""))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)
