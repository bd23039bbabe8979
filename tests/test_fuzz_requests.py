"""Fuzzing request shapes: JSON bodies, option names and values, query strings, form fields.

The property: every request gets the error JSON with a 4xx status, or a 200; never a 500, never
a traceback. JSON documents are arbitrary (nesting, numbers, nulls, lone surrogates in strings),
option values are any text, and names are the real options, near misses and noise.

`make test` runs a short derandomized pass; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) a long one.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from bench.kit.render import encode, render_line
from handler.app import create_app
from handler.settings import Settings
from ocr_core.options import OPTION_NAMES
from tests.helpers.fuzzing import fuzz_settings

ALLOWED = {200, 400, 404, 408, 413, 415, 422, 501}
PNG_B64 = base64.b64encode(encode(render_line("OK 1", size=16))).decode()

names = st.one_of(
    st.sampled_from([*OPTION_NAMES, "image", "file", "s3_key"]),
    st.sampled_from(OPTION_NAMES).map(lambda name: name[::-1] or "x"),
    st.text(min_size=1, max_size=12),
)
texts = st.text(alphabet=st.characters(codec=None), max_size=40) | st.sampled_from(
    ["\ud800", "a\udfffb", "1-3,5", "-1", "0,0,1,1", "paragraphs", "", " ", "nan", "1e309", "9" * 30]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(default_preset="fast")), raise_server_exceptions=False)


def assert_answered(response: Any) -> None:
    assert response.status_code in ALLOWED, response.text[:500]
    if response.status_code != 200:
        body = response.json()
        assert body["success"] is False and body["error"]["code"] and "Traceback" not in response.text


@fuzz_settings(60, scale=40)
@given(options=st.dictionaries(names, json_values, max_size=4), with_image=st.booleans())
def test_fuzz_json_body_of_any_shape_is_answered(
    client: TestClient, options: dict[str, Any], with_image: bool
) -> None:
    document = {**options, **({"image": PNG_B64} if with_image else {})}
    body = json.dumps(document, ensure_ascii=True).encode()  # escapes keep lone surrogates as \ud800
    response = client.post("/ocr", content=body, headers={"Content-Type": "application/json"})
    assert_answered(response)


@fuzz_settings(40, scale=40)
@given(document=json_values)
def test_fuzz_json_document_not_an_object_is_answered(client: TestClient, document: Any) -> None:
    body = json.dumps(document, ensure_ascii=True).encode()
    assert_answered(client.post("/ocr", content=body, headers={"Content-Type": "application/json"}))


@fuzz_settings(60, scale=40)
@given(query=st.dictionaries(names, texts, max_size=3))
def test_fuzz_query_options_are_answered(client: TestClient, query: dict[str, str]) -> None:
    params = {name: value.encode("utf-8", "replace").decode("utf-8") for name, value in query.items()}
    clean = {name.encode("utf-8", "replace").decode("utf-8"): value for name, value in params.items()}
    files = {"image": ("x.png", base64.b64decode(PNG_B64), "image/png")}
    assert_answered(client.post("/ocr", params=clean, files=files))


@fuzz_settings(40, scale=40)
@given(fields=st.dictionaries(names, st.binary(max_size=30), max_size=3))
def test_fuzz_form_fields_of_any_bytes_are_answered(client: TestClient, fields: dict[str, bytes]) -> None:
    form = {name.encode("utf-8", "replace").decode("utf-8"): value for name, value in fields.items()}
    files = {"image": ("x.png", base64.b64decode(PNG_B64), "image/png")}
    files.update({name: (None, value, "text/plain") for name, value in form.items() if name not in files})  # type: ignore[misc]
    assert_answered(client.post("/ocr", files=files))
