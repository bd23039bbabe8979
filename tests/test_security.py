"""Access control and hardening: who may call what, who may read which result, what the page may load.

- template.yaml's access control: tests/test_template_security.py.
- results are reachable only through the upload id: a random uuid4, no route lists anything.
- security headers on the API (Lambda and local) and on the page, whose CSP also travels in
  web/index.html for S3, which cannot send headers.
- no credentials in the repository; bandit finds nothing in our code.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bench.kit.events import call_api, load_event
from handler.api import handler
from handler.app import create_app
from handler.local import create_local_app
from handler.security import API_CSP, PAGE_CSP
from handler.settings import Settings
from handler.storage import presign_upload

ROOT = Path(__file__).resolve().parent.parent


# ---- results only through their unguessable id -------------------------------------------------------


class _FakeS3:
    """Stands in for boto3 only to receive `generate_presigned_post`; S3 itself is not called."""

    def generate_presigned_post(self, **kwargs: Any) -> dict[str, Any]:
        return {"url": "https://bucket.s3.amazonaws.com/", "fields": {"key": kwargs["Key"]}}


def test_upload_ids_are_random_uuid4() -> None:
    ids = [presign_upload(_FakeS3(), "b", "a.png", None, 10, 60, {}).id for _ in range(500)]
    assert len(set(ids)) == len(ids)
    for value in ids:
        parsed = uuid.UUID(value)
        assert parsed.version == 4 and str(parsed) == value  # 122 random bits from os.urandom


def test_openapi_has_no_route_that_lists_uploads_or_results() -> None:
    paths = TestClient(create_app(Settings())).get("/openapi.json").json()["paths"]
    readable = {path for path, item in paths.items() if "get" in item}
    assert not [path for path in readable if path.startswith(("/uploads", "/results")) and "{" not in path]
    assert "/results/{upload_id}" in readable


@pytest.mark.parametrize("upload_id", ["", "*", "..", "%2E%2E", "results", "0b5c", "0b5c9d3e-7f1a-4c2b-9e8d"])
def test_get_results_needs_a_whole_uuid(upload_id: str) -> None:
    client = TestClient(create_app(Settings(upload_bucket="bucket")), raise_server_exceptions=False)
    response = client.get(f"/results/{upload_id}")
    assert response.status_code in (400, 404, 405)
    assert response.json()["success"] is False


# ---- security headers ----------------------------------------------------------------------------------


def test_api_answers_carry_security_headers() -> None:
    client = TestClient(create_app(Settings()), raise_server_exceptions=False)
    for response in (client.get("/health"), client.post("/ocr"), client.get("/nowhere")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["content-security-policy"] == API_CSP
        assert response.headers["cache-control"] == "no-store"


def test_docs_page_gets_no_csp_so_swagger_ui_works() -> None:
    response = TestClient(create_app(Settings())).get("/docs")
    assert "content-security-policy" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


def test_lambda_answers_carry_security_headers() -> None:
    response = call_api(handler, load_event("apigw_v2_health"))
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == API_CSP


def test_local_page_files_carry_the_page_csp() -> None:
    client = TestClient(create_local_app(Settings()))
    for path in ("/", "/app.js", "/style.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"] == PAGE_CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert client.get("/health").headers["content-security-policy"] == API_CSP


class _MetaCsp(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(values.get("content") or "")


def test_index_html_meta_csp_is_the_page_policy() -> None:
    # S3 cannot send headers: the page carries the policy itself (frame-ancestors is ignored in a meta).
    parser = _MetaCsp()
    parser.feed((ROOT / "web" / "index.html").read_text(encoding="utf-8"))
    assert len(parser.policies) == 1
    header = {part.strip() for part in PAGE_CSP.split(";")}
    meta = {part.strip() for part in parser.policies[0].split(";")}
    assert meta == header - {"frame-ancestors 'none'"}
    assert "script-src 'self'" in meta and not [p for p in meta if "unsafe" in p]


# ---- the repository --------------------------------------------------------------------------------------

SECRET_PATTERNS = {
    "AWS access key id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private key": re.compile(r"-----BEGIN (RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    "AWS secret key assignment": re.compile(
        r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+]{40}\b", re.I
    ),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"),
}


def tracked_files() -> list[Path]:
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, timeout=60)
    if listing.returncode != 0:
        pytest.skip("not a git checkout")
    return [ROOT / name for name in listing.stdout.decode().split("\0") if name]


def test_repository_holds_no_credentials() -> None:
    found = []
    for path in tracked_files():
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        found += [
            f"{path.relative_to(ROOT)}: {kind}"
            for kind, pattern in SECRET_PATTERNS.items()
            if pattern.search(text)
        ]
    assert found == []


def test_repository_tracks_no_credential_files() -> None:
    names = {path.name for path in tracked_files()}
    assert not names & {".env", "credentials", ".aws", "id_rsa", ".npmrc", ".pypirc"}


def test_bandit_finds_nothing_in_our_code() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "ocr_core", "handler"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
