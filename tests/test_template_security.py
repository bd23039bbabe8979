"""The template's access control: AuthMode picks no auth, IAM or a JWT authorizer for the routes
that read files or results (checked by resolving its conditions for each mode, and, with the SAM
CLI present, on SAM's own translation); every route is throttled; buckets are private except the
page's objects, which are readable but not listable."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import test_template

ROOT = Path(__file__).resolve().parent.parent
PROTECTED_ROUTES = {("POST", "/ocr"), ("POST", "/uploads"), ("GET", "/results/{id}")}
PUBLIC_ROUTES = {
    ("GET", "/health"),
    ("GET", "/docs"),
    ("GET", "/openapi.json"),
    ("GET", "/options"),
    ("OPTIONS", "/{proxy+}"),
}
"""Reading the service's description and CORS preflights (browsers send no credentials) stay open."""
NO_VALUE = {"Ref": "AWS::NoValue"}


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    """template.yaml parsed, short-form tags (!Ref, !If ...) as their long forms."""
    return yaml.load(test_template.TEMPLATE.read_text(encoding="utf-8"), Loader=test_template._CfnLoader)


# ---- template: authentication and throttling -------------------------------------------------------


def resolve(node: Any, conditions: dict[str, bool]) -> Any:
    """The value CloudFormation would see: Fn::If chosen by `conditions`, AWS::NoValue dropped."""
    if isinstance(node, dict):
        if set(node) == {"Fn::If"}:
            name, when_true, when_false = node["Fn::If"]
            return resolve(when_true if conditions[name] else when_false, conditions)
        resolved = {key: resolve(value, conditions) for key, value in node.items()}
        return {key: value for key, value in resolved.items() if value != NO_VALUE}
    if isinstance(node, list):
        return [resolve(item, conditions) for item in node if item != NO_VALUE]
    return node


def api_body(stack: dict[str, Any], mode: str) -> dict[str, Any]:
    conditions = {"RequireAuth": mode != "none", "UseJwt": mode == "jwt", "HasAllowedOrigins": False}
    return resolve(stack["Resources"]["OcrHttpApi"]["Properties"]["DefinitionBody"], conditions)


def api_routes(stack: dict[str, Any]) -> set[tuple[str, str]]:
    events = stack["Resources"]["ApiFunction"]["Properties"]["Events"].values()
    return {(e["Properties"]["Method"].upper(), e["Properties"]["Path"]) for e in events}


def test_template_auth_mode_offers_none_iam_jwt_default_none(stack: dict[str, Any]) -> None:
    parameter = stack["Parameters"]["AuthMode"]
    assert parameter["AllowedValues"] == ["none", "iam", "jwt"]
    assert parameter["Default"] == "none"  # the public upload page needs it; deployers choose otherwise


def test_template_every_route_is_protected_or_listed_public(stack: dict[str, Any]) -> None:
    # A new route must be added to one of the two lists: nothing becomes public by accident.
    routes = api_routes(stack)
    assert routes <= PROTECTED_ROUTES | PUBLIC_ROUTES, routes - PROTECTED_ROUTES - PUBLIC_ROUTES
    assert routes >= PROTECTED_ROUTES


@pytest.mark.parametrize("mode", ["iam", "jwt"])
def test_template_auth_mode_protects_routes_that_read_files_or_results(
    stack: dict[str, Any],
    mode: str,
) -> None:
    body = api_body(stack, mode)
    for method, path in PROTECTED_ROUTES:
        assert body["paths"][path][method.lower()]["security"] == [{"OcrAuth": []}], path
    for method, path in PUBLIC_ROUTES:
        assert "security" not in body["paths"].get(path, {}).get(method.lower(), {}), path


def test_template_jwt_mode_uses_http_api_jwt_authorizer(stack: dict[str, Any]) -> None:
    scheme = api_body(stack, "jwt")["components"]["securitySchemes"]["OcrAuth"]
    authorizer = scheme["x-amazon-apigateway-authorizer"]
    assert authorizer["type"] == "jwt"
    assert authorizer["identitySource"] == "$request.header.Authorization"
    assert authorizer["jwtConfiguration"] == {
        "issuer": {"Ref": "JwtIssuer"},
        "audience": {"Ref": "JwtAudience"},
    }


def test_template_iam_mode_uses_sigv4(stack: dict[str, Any]) -> None:
    scheme = api_body(stack, "iam")["components"]["securitySchemes"]["OcrAuth"]
    assert scheme["x-amazon-apigateway-authtype"] == "awsSigv4"


def test_template_none_mode_has_no_authorizer(stack: dict[str, Any]) -> None:
    body = api_body(stack, "none")
    assert "components" not in body
    assert not any("security" in op for item in body["paths"].values() for op in item.values())


def test_template_jwt_mode_requires_issuer_and_audience(stack: dict[str, Any]) -> None:
    rule = stack["Rules"]["JwtNeedsIssuerAndAudience"]
    assert rule["RuleCondition"] == {"Fn::Equals": [{"Ref": "AuthMode"}, "jwt"]}
    checked = json.dumps(rule["Assertions"])
    assert "JwtIssuer" in checked and "JwtAudience" in checked


def test_template_every_route_is_throttled(stack: dict[str, Any]) -> None:
    settings = stack["Resources"]["OcrHttpApi"]["Properties"]["DefaultRouteSettings"]
    assert settings == {
        "ThrottlingBurstLimit": {"Ref": "ThrottleBurst"},
        "ThrottlingRateLimit": {"Ref": "ThrottleRate"},
    }
    assert stack["Parameters"]["ThrottleBurst"]["Default"] >= stack["Parameters"]["ThrottleRate"]["Default"]


def test_template_time_budget_fits_inside_function_timeout(stack: dict[str, Any]) -> None:
    api = stack["Resources"]["ApiFunction"]["Properties"]
    budget = stack["Parameters"]["TimeBudgetSeconds"]
    assert api["Environment"]["Variables"]["OCR_TIME_BUDGET_S"] == {"Ref": "TimeBudgetSeconds"}
    assert budget["Default"] <= budget["MaxValue"] < api["Timeout"] < 30
    variables = stack["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["OCR_MAX_TOTAL_PIXELS"] == {"Ref": "MaxTotalPixels"}


SAM_TRANSLATE = """
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse
template = yaml_parse(open(sys.argv[1]).read())
template["Globals"]["Function"]["CodeUri"] = "s3://bucket/code.zip"  # translation needs an S3 location
class Loader:
    def load(self): return {}
print(json.dumps(transform(template, {}, Loader())))
"""


@pytest.mark.sam
def test_sam_translation_keeps_auth_and_throttling_on_the_generated_api() -> None:
    sam = shutil.which("sam")
    if sam is None:
        pytest.skip("the SAM CLI is not on PATH (`make test` installs it in .venv-sam and adds it)")
    python = Path(sam).parent / "python"
    env = {"AWS_DEFAULT_REGION": "us-east-1", "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [str(python), "-c", SAM_TRANSLATE, str(ROOT / "template.yaml")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    resources = json.loads(run.stdout)["Resources"]
    paths = resources["OcrHttpApi"]["Properties"]["Body"]["paths"]
    for method, path in PROTECTED_ROUTES:
        operation = paths[path][method.lower()]
        assert operation["security"]["Fn::If"][0] == "RequireAuth"
        assert "x-amazon-apigateway-integration" in operation  # SAM merged the Lambda route in
    stage = next(r for r in resources.values() if r["Type"] == "AWS::ApiGatewayV2::Stage")
    assert stage["Properties"]["DefaultRouteSettings"]["ThrottlingRateLimit"] == {"Ref": "ThrottleRate"}


# ---- template: buckets -------------------------------------------------------------------------------


def test_template_web_bucket_exposes_objects_but_no_listing_or_writes(stack: dict[str, Any]) -> None:
    bucket = stack["Resources"]["WebBucket"]["Properties"]
    block = bucket["PublicAccessBlockConfiguration"]
    assert block["BlockPublicAcls"] and block["IgnorePublicAcls"]  # public only through the policy below
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    public = [
        s
        for s in stack["Resources"]["WebBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow"
    ]
    assert len(public) == 1
    assert public[0]["Action"] == "s3:GetObject"  # no s3:ListBucket: the bucket cannot be enumerated
    assert public[0]["Resource"] == {"Fn::Sub": "${WebBucket.Arn}/*"}


def test_template_upload_bucket_denies_plain_http(stack: dict[str, Any]) -> None:
    statements = stack["Resources"]["UploadBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    deny = [s for s in statements if s["Effect"] == "Deny"]
    assert deny and deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert not [s for s in statements if s["Effect"] == "Allow"]  # only the functions' roles get in


def test_template_cors_never_allows_every_origin(stack: dict[str, Any]) -> None:
    rules = stack["Resources"]["UploadBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert "*" not in json.dumps([rule["AllowedOrigins"] for rule in rules])
    assert rules[0]["AllowedMethods"] == ["POST"]
