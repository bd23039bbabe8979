"""Contract tests: schemathesis generates requests from the app's own OpenAPI schema, in process.

Every answer must be declared: its status among the operation's responses, its content type,
its body valid against the response schema, never a 500. Requests schemathesis knows to be
invalid (a bad `mode`, a negative `size`) must be refused with a 4xx. S3 is moto, so
`POST /uploads` and `GET /results/{id}` run for real.

"Schema-valid data is accepted" is not checked: a body that matches `image/*` is any bytes, and
random bytes are rightly refused (415/422); that refusal is what the other checks validate.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from handler.app import create_app
from handler.settings import Settings
from tests.helpers.aws import moto_bucket
from tests.helpers.fuzzing import LONG_RUN

BUCKET = "ocr-uploads-contract"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
SMALL = Settings(
    upload_bucket=BUCKET,
    max_bytes=200_000,
    max_pixels=1_000_000,
    max_side=4_000,
    max_total_pixels=2_000_000,
    max_pdf_pages=2,
)
"""Small limits keep every generated request cheap; they are limits the schema documents as 413s."""


schemathesis.serializer.alias("application/pdf", "application/octet-stream")  # bytes as they are
APP = create_app(SMALL)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# (Built at import, not with `schemathesis.pytest.from_fixture`: that helper does not work with pytest 9.)


@pytest.fixture(scope="module", autouse=True)
def moto_s3() -> Iterator[Any]:
    """The app's S3 client, inside moto with the upload bucket created."""
    with moto_bucket(BUCKET) as client:
        APP.state.s3_client = client
        try:
            yield client
        finally:
            APP.state.s3_client = None


@schema.parametrize()
@settings(
    max_examples=500 if LONG_RUN else 80,
    deadline=None,
    derandomize=not LONG_RUN,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_match_the_openapi_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
