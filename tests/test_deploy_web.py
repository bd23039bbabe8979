"""infra/deploy_web.py against moto: files, content types, cache headers, config.js, stack outputs."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from handler.settings import SYNC_MAX_BYTES as HANDLER_SYNC_MAX_BYTES
from infra import deploy_web
from infra.deploy_web import (
    API_URL_OUTPUT,
    MEDIA_CACHE,
    NO_CACHE,
    SCRIPT_CACHE,
    SYNC_MAX_BYTES,
    WEB_BUCKET_OUTPUT,
    WEB_DIR,
    DeployError,
    Target,
    cache_control,
    config_js,
    content_type,
    publish,
    resolve_target,
)

REGION = "us-east-1"
BUCKET = "ocr-web-test"
API_URL = "https://abc123.execute-api.us-east-1.amazonaws.com"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield


@pytest.fixture
def s3(aws: None) -> Any:
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=BUCKET)
    return client


def head(s3: Any, key: str) -> dict[str, Any]:
    return s3.head_object(Bucket=BUCKET, Key=key)


def body(s3: Any, key: str) -> str:
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()


def config_of(script: str) -> dict[str, Any]:
    match = re.search(r"window\.OCR_CONFIG = (\{.*\});", script)
    assert match, script
    return json.loads(match.group(1))


def keys(s3: Any) -> set[str]:
    return {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


# ---- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
        ("icons/logo.png", "image/png"),
        ("data.bin", "application/octet-stream"),
    ],
)
def test_content_type_by_extension(name: str, expected: str) -> None:
    assert content_type(name) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("index.html", NO_CACHE),
        ("config.js", NO_CACHE),
        ("app.js", SCRIPT_CACHE),
        ("style.css", SCRIPT_CACHE),
        ("favicon.svg", MEDIA_CACHE),
    ],
)
def test_cache_control_short_for_entry_points_longer_for_assets(key: str, expected: str) -> None:
    assert cache_control(key) == expected


# ---- config.js ---------------------------------------------------------------------------------


def test_config_js_points_at_api_without_trailing_slash() -> None:
    assert config_of(config_js(API_URL + "/")) == {"apiBase": API_URL, "syncMaxBytes": SYNC_MAX_BYTES}


def test_config_js_non_http_url_is_refused() -> None:
    with pytest.raises(DeployError, match="https://"):
        config_js("abc123.execute-api.us-east-1.amazonaws.com")


def test_sync_max_bytes_matches_handler_and_checked_in_config() -> None:
    checked_in = (WEB_DIR / "config.js").read_text(encoding="utf-8")
    assert SYNC_MAX_BYTES == HANDLER_SYNC_MAX_BYTES
    assert re.search(r"syncMaxBytes:\s*(\d+)", checked_in).group(1) == str(SYNC_MAX_BYTES)
    assert re.search(r'apiBase:\s*""', checked_in), "the checked-in config must mean 'same origin'"


# ---- publishing ----------------------------------------------------------------------------------


def test_publish_uploads_every_web_file_with_type_and_cache_headers(s3: Any) -> None:
    uploads = publish(s3, Target(BUCKET, API_URL))

    expected = {p.relative_to(WEB_DIR).as_posix() for p in WEB_DIR.rglob("*") if p.is_file()}
    assert keys(s3) == expected | {"config.js"}
    assert {u.key for u in uploads} == keys(s3)
    assert uploads[-1].key == "config.js"  # last: never points at a half-copied page
    index = head(s3, "index.html")
    assert (index["ContentType"], index["CacheControl"]) == ("text/html; charset=utf-8", NO_CACHE)
    script = head(s3, "app.js")
    assert (script["ContentType"], script["CacheControl"]) == ("text/javascript; charset=utf-8", SCRIPT_CACHE)
    assert head(s3, "style.css")["ContentType"] == "text/css; charset=utf-8"
    assert body(s3, "index.html") == (WEB_DIR / "index.html").read_text(encoding="utf-8")


def test_publish_writes_config_js_with_the_api_url(s3: Any) -> None:
    publish(s3, Target(BUCKET, API_URL), sync_max_bytes=1234)

    config = head(s3, "config.js")
    assert (config["ContentType"], config["CacheControl"]) == ("text/javascript; charset=utf-8", NO_CACHE)
    assert config_of(body(s3, "config.js")) == {"apiBase": API_URL, "syncMaxBytes": 1234}


def test_publish_delete_removes_objects_no_longer_in_web(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="old-app.js", Body=b"stale")

    publish(s3, Target(BUCKET, API_URL), delete_stale=True)

    assert "old-app.js" not in keys(s3)
    assert "index.html" in keys(s3)


def test_publish_without_delete_keeps_other_objects(s3: Any) -> None:
    s3.put_object(Bucket=BUCKET, Key="robots.txt", Body=b"keep me")

    publish(s3, Target(BUCKET, API_URL))

    assert "robots.txt" in keys(s3)


def test_publish_dry_run_writes_nothing(s3: Any) -> None:
    uploads = publish(s3, Target(BUCKET, API_URL), dry_run=True)

    assert uploads and keys(s3) == set()


def test_publish_skips_dotfiles_and_ignores_local_config(s3: Any, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    (tmp_path / "config.js").write_text(
        'window.OCR_CONFIG = {apiBase: "http://localhost"};', encoding="utf-8"
    )
    (tmp_path / ".DS_Store").write_bytes(b"\0")

    publish(s3, Target(BUCKET, API_URL), web_dir=tmp_path)

    assert keys(s3) == {"index.html", "config.js"}
    assert config_of(body(s3, "config.js"))["apiBase"] == API_URL


def test_publish_folder_without_index_is_refused(s3: Any, tmp_path: Path) -> None:
    with pytest.raises(DeployError, match=r"index\.html"):
        publish(s3, Target(BUCKET, API_URL), web_dir=tmp_path)


# ---- where to deploy -----------------------------------------------------------------------------


def test_resolve_target_flags_beat_stack_outputs() -> None:
    outputs = {WEB_BUCKET_OUTPUT: "from-stack", API_URL_OUTPUT: "https://stack.example.com/"}

    assert resolve_target(outputs) == Target("from-stack", "https://stack.example.com")
    assert resolve_target(outputs, bucket="flag-bucket").bucket == "flag-bucket"
    assert resolve_target(outputs, api_url="https://flag.example.com").api_url == "https://flag.example.com"


def test_resolve_target_missing_outputs_names_both() -> None:
    with pytest.raises(DeployError, match=r"web bucket .*--bucket.* and API URL .*--api-url"):
        resolve_target({})


def stack_template(outputs: dict[str, str]) -> str:
    return json.dumps(
        {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {"WebBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": BUCKET}}},
            "Outputs": {key: {"Value": value} for key, value in outputs.items()},
        }
    )


def test_main_reads_bucket_and_api_url_from_stack_outputs(aws: None) -> None:
    cloudformation = boto3.client("cloudformation", region_name=REGION)
    outputs = {WEB_BUCKET_OUTPUT: BUCKET, API_URL_OUTPUT: API_URL + "/"}
    cloudformation.create_stack(StackName="ocr", TemplateBody=stack_template(outputs))

    assert deploy_web.main(["--stack", "ocr", "--region", REGION]) == 0

    s3 = boto3.client("s3", region_name=REGION)
    assert config_of(body(s3, "config.js"))["apiBase"] == API_URL
    assert head(s3, "app.js")["ContentType"] == "text/javascript; charset=utf-8"


def test_main_with_bucket_and_api_url_needs_no_stack(s3: Any) -> None:
    assert deploy_web.main(["--bucket", BUCKET, "--api-url", API_URL, "--region", REGION]) == 0

    assert config_of(body(s3, "config.js"))["apiBase"] == API_URL


def test_main_unknown_stack_fails_with_message(aws: None, caplog: pytest.LogCaptureFixture) -> None:
    assert deploy_web.main(["--stack", "no-such-stack", "--region", REGION]) == 1

    assert "no-such-stack" in caplog.text


def test_main_stack_without_outputs_fails_naming_them(aws: None, caplog: pytest.LogCaptureFixture) -> None:
    boto3.client("cloudformation", region_name=REGION).create_stack(
        StackName="bare", TemplateBody=stack_template({})
    )

    assert deploy_web.main(["--stack", "bare", "--region", REGION]) == 1

    assert WEB_BUCKET_OUTPUT in caplog.text and API_URL_OUTPUT in caplog.text


def test_main_without_stack_uses_the_stack_named_in_samconfig(
    aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    samconfig = tmp_path / "samconfig.toml"
    samconfig.write_text('version = 0.1\n[default.global.parameters]\nstack_name = "from-samconfig"\n')
    monkeypatch.setattr(deploy_web, "SAMCONFIG", samconfig)
    outputs = {WEB_BUCKET_OUTPUT: BUCKET, API_URL_OUTPUT: API_URL}
    boto3.client("cloudformation", region_name=REGION).create_stack(
        StackName="from-samconfig", TemplateBody=stack_template(outputs)
    )

    assert deploy_web.main([]) == 0

    assert config_of(body(boto3.client("s3", region_name=REGION), "config.js"))["apiBase"] == API_URL


def test_main_needs_a_stack_or_both_flags(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(deploy_web, "SAMCONFIG", tmp_path / "absent.toml")

    with pytest.raises(SystemExit):
        deploy_web.main(["--bucket", BUCKET])


def test_stack_output_names_match_the_template() -> None:
    template = (deploy_web.REPO / "template.yaml").read_text(encoding="utf-8")
    outputs = template[template.index("\nOutputs:") :]
    for key in (API_URL_OUTPUT, WEB_BUCKET_OUTPUT, deploy_web.WEB_URL_OUTPUT):
        assert re.search(rf"^  {key}:$", outputs, re.M), f"template.yaml has no output {key}"


def test_make_deploy_web_runs_this_script_for_the_stack() -> None:
    dry = subprocess.run(
        ["make", "-n", "deploy-web", "STACK=my-stack", "DEPLOY_WEB_ARGS=--delete"],
        cwd=deploy_web.REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "-m infra.deploy_web --stack my-stack --delete" in dry.stdout
