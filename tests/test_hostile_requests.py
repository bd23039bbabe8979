"""Hostile requests through the real Lambda entry point (`handler.api.handler`, API Gateway events).

Each class here once answered 500 (or worse): option values that are not valid Unicode, JSON
bodies of the wrong shape, misspelled option names, request ids that are not safe in a header.
Every one must now be the error JSON with its 4xx status, or a clean 200.
"""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from bench.kit.events import (
    BOUNDARY,
    ApiResponse,
    call_api,
    load_event,
    multipart,
    sample_bytes,
    with_body,
    with_query,
)
from handler.api import handler

PNG = sample_bytes()
IMAGE_B64 = base64.b64encode(PNG).decode()


def post_json_text(text: str, version: str = "v2") -> ApiResponse:
    """A JSON body sent exactly as written (so it can hold escapes like \\ud800)."""
    return call_api(
        handler, with_body(load_event(f"apigw_{version}_json"), text.encode(), "application/json")
    )


def assert_error(response: ApiResponse, status: int, code: str, *mentions: str) -> str:
    assert response.status == status, response.body[:300]
    body = response.json()
    assert body["success"] is False and body["error"]["code"] == code
    for word in mentions:
        assert word in body["error"]["message"]
    return str(body["error"]["message"])


# ---- option values that are not valid Unicode ----------------------------------------------------


@pytest.mark.parametrize("name", ["password", "allowed_chars", "s3_key", "pages", "layout"])
def test_json_option_with_lone_surrogate_returns_400_naming_it(name: str) -> None:
    response = post_json_text(f'{{"image": "{IMAGE_B64}", "{name}": "a\\ud800b"}}')
    assert_error(response, 400, "invalid_option", name)


# ---- JSON bodies of the wrong shape --------------------------------------------------------------


def test_json_nested_thousands_deep_returns_400() -> None:
    assert_error(post_json_text("[" * 5000 + "]" * 5000), 400, "invalid_request", "nested")
    deep_option = f'{{"image": "{IMAGE_B64}", "ignore": {"[" * 3000}{"]" * 3000}}}'
    assert post_json_text(deep_option).status == 400


@pytest.mark.parametrize(
    ("ignore", "status"),
    [("[[0,0,1,1],5]", 400), ('[[0,0,1,1],"a"]', 400), ("[[0,0,1]]", 400), ("[[true,0,1,1]]", 400),
     ('{"x": 1}', 400), ("[[0, 0, 0.5, 0.5]]", 200)],
)  # fmt: skip
def test_json_ignore_of_any_shape_is_checked(ignore: str, status: int) -> None:
    response = post_json_text(f'{{"image": "{IMAGE_B64}", "ignore": {ignore}}}')
    assert response.status == status, response.body[:300]
    if status == 400:
        assert_error(response, 400, "invalid_option", "ignore")


@pytest.mark.parametrize(
    ("field", "value"),
    [("mode", "5"), ("mode", '["line"]'), ("layout", "{}"), ("min_confidence", "true"), ("lang", "null")],
)
def test_json_option_of_the_wrong_type_returns_400_naming_it(field: str, value: str) -> None:
    response = post_json_text(f'{{"image": "{IMAGE_B64}", "{field}": {value}}}')
    if value == "null":  # null means "not given"
        assert response.status == 200
        return
    assert_error(response, 400, "invalid_option", field)


@pytest.mark.parametrize("body", ['["image"]', '"image"', "42", '{"image": 5}', '{"image": ["x"]}'])
def test_json_body_not_the_documented_object_returns_400(body: str) -> None:
    response = post_json_text(body)
    assert response.status == 400
    assert response.json()["error"]["code"] in ("missing_file", "invalid_request")


# ---- misspelled option names ---------------------------------------------------------------------


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_misspelled_query_option_returns_400_listing_the_options(version: str) -> None:
    event = with_query(load_event(f"apigw_{version}_binary"), layuot="paragraphs")
    message = assert_error(call_api(handler, event), 400, "invalid_option", "layuot", "'layout'")
    assert "mode" in message and "format" in message


def test_misspelled_form_field_returns_400() -> None:
    body = multipart("image", "x.png", PNG)
    extra = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="lnag"\r\n\r\nzh\r\n'.encode()
    event = with_body(
        load_event("apigw_v2_multipart"), extra + body, f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert_error(call_api(handler, event), 400, "invalid_option", "lnag", "'lang'")


def test_misspelled_json_key_returns_400() -> None:
    assert_error(post_json_text(f'{{"image": "{IMAGE_B64}", "boxs": "word"}}'), 400, "invalid_option", "boxs")


# ---- request ids and headers ---------------------------------------------------------------------


def with_request_id(event: dict[str, Any], request_id: str) -> dict[str, Any]:
    event = copy.deepcopy(event)
    event["requestContext"]["requestId"] = request_id
    return event


@pytest.mark.parametrize("request_id", ["编号-1", 'a"; filename="evil.exe', "a\r\nX-Evil: 1", "x" * 500, ""])
def test_unsafe_gateway_request_id_never_reaches_a_header(request_id: str) -> None:
    event = with_query(with_request_id(load_event("apigw_v2_binary"), request_id), format="text")
    response = call_api(handler, event)
    assert response.status == 200, response.body[:300]
    header_id = response.headers["x-request-id"]
    assert header_id != request_id and header_id.isalnum()
    disposition = response.headers["content-disposition"]
    assert disposition.count("filename=") == 1 and "evil" not in disposition
    assert "filename*=UTF-8''" in disposition


def test_safe_gateway_request_id_is_kept() -> None:
    event = with_request_id(load_event("apigw_v1_binary"), "c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
    response = call_api(handler, event)
    assert response.headers["x-request-id"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert response.json()["request_id"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


def test_export_file_name_is_rfc6266_encoded() -> None:
    from handler.routes.ocr import content_disposition

    header = content_disposition("attachment", 'a"b;c\\d 扫描.pdf')
    assert header == (
        "attachment; filename=\"a_b_c_d __.pdf\"; filename*=UTF-8''a%22b%3Bc%5Cd%20%E6%89%AB%E6%8F%8F.pdf"
    )
    assert json.dumps(header).isascii()
