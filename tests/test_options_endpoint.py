"""GET /options: every option of POST /ocr, one table for the parser, the page and the OpenAPI schema."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from handler.app import create_app
from handler.schemas import OptionsResponse
from handler.settings import Settings
from ocr_core.options import OPTION_SPECS, OcrOptions, parse_options


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(Settings(default_preset="fast")))


@pytest.fixture(scope="module")
def options(client: TestClient) -> list[dict]:
    response = client.get("/options")
    assert response.status_code == 200
    return list(response.json()["options"])


def test_get_options_lists_every_option_with_type_and_default(options: list[dict]) -> None:
    assert [option["name"] for option in options] == [spec.name for spec in OPTION_SPECS]
    for option in options:
        assert option["type"] in ("string", "number") and option["description"] and option["example"]
    by_name = {option["name"]: option for option in options}
    assert by_name["model"]["default"] == "fast"  # this deployment's default preset
    assert by_name["layout"]["enum"] == ["lines", "paragraphs", "single_line", "none"]
    assert by_name["password"]["secret"] is True


def test_get_options_matches_the_openapi_parameters_of_post_ocr(
    client: TestClient, options: list[dict]
) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/ocr"]["post"]["parameters"]
    documented = {parameter["name"]: parameter["schema"] for parameter in parameters}
    for option in options:
        schema = documented[option["name"]]
        assert schema["type"] == option["type"]
        assert schema.get("enum") == option.get("enum")
        if option["name"] != "model":
            assert schema.get("default") == option["default"]


def test_get_options_answer_validates_against_its_schema(client: TestClient) -> None:
    OptionsResponse.model_validate(client.get("/options").json())
    schema = client.get("/openapi.json").json()["paths"]["/options"]["get"]["responses"]["200"]
    assert schema["content"]["application/json"]["schema"]["$ref"].endswith("/OptionsResponse")


def test_every_option_example_parses(options: list[dict]) -> None:
    for option in options:
        parse_options({option["name"]: option["example"]})


def test_every_choice_parses_to_the_tables_spelling_in_any_case() -> None:
    for spec in OPTION_SPECS:
        for value in spec.enum if spec.enum and spec.name not in ("model", "format") else ():
            for given in (value, value.upper(), value.lower()):
                assert getattr(parse_options({spec.name: given}).ocr, spec.name) == value


def test_option_defaults_are_the_engines_defaults(options: list[dict]) -> None:
    defaults = OcrOptions()
    for name in ("mode", "layout", "boxes", "lang", "pdf_text", "min_confidence"):
        assert next(o["default"] for o in options if o["name"] == name) == getattr(defaults, name)


@pytest.mark.parametrize(
    ("name", "value"),
    [("mode", "sideways"), ("layout", "grid"), ("boxes", "glyph"), ("lang", "fr"), ("pdf_text", "never"),
     ("format", "docx"), ("model", "huge"), ("min_confidence", "high"), ("pages", "0"), ("ignore", "1,2")],
)  # fmt: skip
def test_post_ocr_bad_option_value_returns_400(client: TestClient, name: str, value: str) -> None:
    response = client.post("/ocr", params={name: value}, files={"image": ("x.png", b"\x89PNG", "image/png")})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_option"
