"""template.yaml and the Lambda package it builds.

Fast checks read the template (handlers exist, recursion guard, least privilege, outputs the
deploy script reads). Tests marked `sam` run the real SAM CLI: `sam validate --lint` and a
container-less `sam build`, then check the package's contents and size and, when a Python 3.12
(Lambda's runtime version) is on this machine, answer events from the built package alone.
"""

from __future__ import annotations

import base64
import glob
import importlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.kit.events import PAGE_TEXT, READ_TEXT, load_event, with_multipart, with_query
from bench.scoring import normalise
from tests.helpers.pdfs import text_pdf

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
MAKEFILE = ROOT / "Makefile"
FUNCTIONS = ("ApiFunction", "UploadTriggerFunction", "JobWorkerFunction")
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
SIZE_GUARD = 150_000_000
"""Issue 6's goal (150 MB unzipped); today's package is ~149 MB, so anything new must pay its way."""


class _CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short-form tags (!Ref, !Sub ...) as {"Ref": ...}-style mappings."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        return {name: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node, deep=True)}
    return {name: loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


_CfnLoader.add_multi_constructor("!", _tag)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CfnLoader)


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in template["Resources"].items() if res["Type"] == kind}


def statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for policy in function["Properties"]["Policies"] for s in policy.get("Statement", [])]


def test_template_handlers_are_importable_callables(template: dict[str, Any]) -> None:
    for function in resources(template, "AWS::Serverless::Function").values():
        module, _, attribute = function["Properties"]["Handler"].rpartition(".")
        assert callable(getattr(importlib.import_module(module), attribute))


def test_template_runtime_matches_makefile_wheels(template: dict[str, Any]) -> None:
    runtime = template["Globals"]["Function"]["Runtime"]
    version = re.search(r"^LAMBDA_PYTHON \?= (\S+)$", MAKEFILE.read_text(), re.M)
    assert version is not None and runtime == f"python{version.group(1)}"
    assert template["Globals"]["Function"]["Architectures"] == ["x86_64"]


def test_template_every_makefile_function_has_a_build_target(template: dict[str, Any]) -> None:
    makefile = MAKEFILE.read_text()
    for name, function in resources(template, "AWS::Serverless::Function").items():
        assert function["Metadata"]["BuildMethod"] == "makefile"
        assert re.search(rf"^[^#\n]*\bbuild-{name}\b[^\n]*:", makefile, re.M), name


def test_template_models_dir_is_in_the_package(template: dict[str, Any]) -> None:
    assert template["Globals"]["Function"]["Environment"]["Variables"]["OCR_MODEL_DIR"] == "/var/task/models"


def test_template_trigger_watches_uploads_prefix_only(template: dict[str, Any]) -> None:
    trigger = template["Resources"]["UploadTriggerFunction"]["Properties"]
    event = trigger["Events"]["Upload"]["Properties"]
    assert event["Bucket"] == {"Ref": "UploadBucket"}
    assert event["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "uploads/"}]


def test_template_trigger_cannot_write_uploads(template: dict[str, Any]) -> None:
    for statement in statements(template["Resources"]["UploadTriggerFunction"]):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if "s3:PutObject" in actions:
            resource = json.dumps(statement["Resource"])
            assert "/results/*" in resource or "/jobs/*" in resource
            assert "/uploads/" not in resource


def test_template_trigger_failures_go_to_dead_letter_queue(template: dict[str, Any]) -> None:
    config = template["Resources"]["UploadTriggerFunction"]["Properties"]["EventInvokeConfig"]
    on_failure = config["DestinationConfig"]["OnFailure"]
    assert on_failure == {"Type": "SQS", "Destination": {"Fn::GetAtt": "DeadLetterQueue.Arn"}}


def test_template_upload_bucket_is_private_encrypted_and_expiring(template: dict[str, Any]) -> None:
    bucket = template["Resources"]["UploadBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    prefixes = {rule["Prefix"] for rule in bucket["LifecycleConfiguration"]["Rules"]}
    assert prefixes == {"uploads/", "options/", "results/", "jobs/", "exports/"}


def test_template_allowed_origins_default_is_not_wildcard(template: dict[str, Any]) -> None:
    assert template["Parameters"]["AllowedOrigins"]["Default"] != "*"


def test_template_routes_cover_the_api(template: dict[str, Any]) -> None:
    events = template["Resources"]["ApiFunction"]["Properties"]["Events"].values()
    routes = {(e["Properties"]["Method"], e["Properties"]["Path"]) for e in events}
    assert routes >= {("POST", "/ocr"), ("GET", "/health"), ("GET", "/docs"), ("GET", "/openapi.json")}
    assert routes >= {("POST", "/uploads"), ("GET", "/results/{id}"), ("OPTIONS", "/{proxy+}")}
    assert ("GET", "/options") in routes
    assert template["Resources"]["ApiFunction"]["Properties"]["Timeout"] < 30


def test_template_outputs_what_deploy_and_users_need(template: dict[str, Any]) -> None:
    assert set(template["Outputs"]) >= {"ApiUrl", "WebUrl", "WebBucketName", "UploadBucketName"}
    assert set(template["Outputs"]) >= {"ChunkQueueUrl", "ChunkDeadLetterQueueUrl", "JobWorkerFunctionName"}


# ---- the real SAM CLI ----------------------------------------------------------------------------


def sam() -> str:
    path = shutil.which("sam")
    if path is None:
        pytest.skip("the SAM CLI is not on PATH (`make test` installs it in .venv-sam and adds it)")
    return path


def run_sam(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0"}
    return subprocess.run([sam(), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sam-build")
    result = run_sam("build", "--build-in-source", "--build-dir", str(target), "--template", str(TEMPLATE))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return target


def tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


@pytest.mark.sam
def test_sam_validate_lint_passes() -> None:
    result = run_sam("validate", "--lint", "--template", str(TEMPLATE), "--region", "us-east-1")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.sam
@pytest.mark.parametrize("function", FUNCTIONS)
def test_sam_build_packages_code_models_and_deps(build_dir: Path, function: str) -> None:
    package = build_dir / function
    for needed in (
        "handler/api.py",
        "handler/s3_trigger.py",
        "handler/job_worker.py",
        "ocr_core/engine/engine.py",
        "models/MANIFEST.json",
    ):
        assert (package / needed).is_file(), needed
    for module in ("numpy", "onnxruntime", "PIL", "pypdfium2", "fastapi", "mangum", "multipart"):
        assert (package / module).is_dir(), module
    assert list((package / "models").glob("*.onnx"))
    assert list((package / "onnxruntime" / "capi").glob("*cpython-312-x86_64-linux-gnu.so"))


@pytest.mark.sam
@pytest.mark.parametrize("function", FUNCTIONS)
def test_sam_build_leaves_out_what_lambda_does_not_need(build_dir: Path, function: str) -> None:
    package = build_dir / function
    for absent in ("boto3", "botocore", "s3transfer", "onnxruntime/transformers", "onnxruntime/quantization"):
        assert not (package / absent).exists(), absent
    assert not list(package.glob("onnxruntime/capi/libonnxruntime.so*"))
    assert not list(package.glob("PIL/_imagingft*")) and not (package / "google").exists()
    assert not (package / "models" / "ppocrv6_small_det.onnx").exists()
    # Bytecode ships only for the Lambda interpreter (none of the build machine's own).
    assert {p.name.split(".")[-2] for p in package.rglob("*.pyc")} <= {"cpython-312"}
    assert not [p for p in package.rglob("tests") if p.is_dir()]
    assert not list(package.rglob("*.pyi"))


@pytest.mark.sam
@pytest.mark.parametrize("function", FUNCTIONS)
def test_sam_build_fits_lambda_size_limit(build_dir: Path, function: str) -> None:
    size = tree_size(build_dir / function)
    assert size < LAMBDA_UNZIPPED_LIMIT
    assert size < SIZE_GUARD, f"{function} is {size / 1e6:.1f} MB unzipped"


def lambda_python() -> str | None:
    """A working Python of the Lambda runtime's version (3.12), to load the package's cp312 wheels."""
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")))
    candidates += [path for path in [shutil.which("python3.12")] if path]
    for candidate in candidates:
        probe = [candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 12))"]
        if subprocess.run(probe, capture_output=True, text=True).stdout.strip() == "True":
            return candidate
    return None


PACKAGE_SCRIPT = """
import json, sys
sys.path[:0] = [sys.argv[1]]
from handler.invoke import invoke
for name in sys.argv[2:]:
    response = invoke(json.load(open(name)))
    body = response["body"] if response.get("isBase64Encoded") else json.loads(response["body"])
    print("RESULT", json.dumps([response["statusCode"], body]))
"""


def package_events(tmp_path: Path) -> list[Path]:
    """Real events, plus the paths a trimmed package could break: PDFium, a text layer, a PDF export."""
    document = text_pdf([[("Quarterly Report 2024", 40, 240, 20)]])
    pdf_event = with_multipart(
        load_event("apigw_v2_multipart"), "file", "doc.pdf", document, "application/pdf"
    )
    derived = {
        "pdf_text": with_query(pdf_event, pdf_text="text"),
        "pdf_ocr": with_query(pdf_event, pdf_text="ocr"),
        "searchable_pdf": with_query(load_event("apigw_v2_page"), format="pdf"),
    }
    paths = [
        ROOT / "events" / f"{name}.json"
        for name in ("apigw_v2_multipart", "apigw_v1_health", "apigw_v2_page")
    ]
    for name, event in derived.items():
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps(event), encoding="utf-8")
    return paths


@pytest.mark.sam
def test_sam_build_package_answers_events_on_its_own(build_dir: Path, tmp_path: Path) -> None:
    python = lambda_python()
    if python is None:
        pytest.skip("no python3.12 here to load the package's cp312 wheels (Lambda runs python3.12)")
    package = build_dir / "ApiFunction"
    env = {"OCR_MODEL_DIR": str(package / "models"), "PATH": os.environ.get("PATH", "")}
    # -I -S: no site-packages and no environment paths, so only the package and the stdlib are importable.
    result = subprocess.run(
        [python, "-I", "-S", "-B", "-c", PACKAGE_SCRIPT, str(package), *map(str, package_events(tmp_path))],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = [
        json.loads(line[len("RESULT ") :]) for line in result.stdout.splitlines() if line.startswith("RESULT")
    ]
    statuses = [status for status, _ in answers]
    assert statuses == [200] * 6, answers
    line, _, page, pdf_text, pdf_ocr, searchable = (body for _, body in answers)
    assert normalise(line["text"]) == READ_TEXT
    assert page["text"].replace(" ", "") == PAGE_TEXT.replace(" ", "")
    assert pdf_text["text"] == pdf_ocr["text"] == "Quarterly Report 2024"
    assert [p["mode"] for p in pdf_text["pages"] + pdf_ocr["pages"]] == ["text", "page"]
    assert base64.b64decode(searchable).startswith(b"%PDF-")
