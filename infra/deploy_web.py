"""Publish the upload page: copy `web/` to the web bucket and point `config.js` at the deployed API.

Where to: the bucket and API URL come from the CloudFormation stack's outputs (`--stack`, by
default the stack named in samconfig.toml), or are given directly (`--bucket`, `--api-url`);
a flag beats an output.

Why the headers: S3 stores whatever Content-Type it is told, and browsers refuse to run a module
script served as `binary/octet-stream`, so every file gets its type set explicitly. `index.html`
and `config.js` change with every deploy and are revalidated on every load (`no-cache`); the
other files have no content hash in their names, so their cache is kept to an hour so that a
new deploy reaches every visitor within that time, while images and icons keep a day.

    python -m infra.deploy_web                  # the stack in samconfig.toml
    python -m infra.deploy_web --stack ocr --delete
    python -m infra.deploy_web --bucket my-web-bucket --api-url https://abc.execute-api.us-east-1.amazonaws.com
"""

from __future__ import annotations

import argparse
import json
import logging
import mimetypes
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger("ocr.deploy_web")

REPO = Path(__file__).resolve().parent.parent
WEB_DIR = REPO / "web"
SAMCONFIG = REPO / "samconfig.toml"
CONFIG_FILE = "config.js"
API_URL_OUTPUT = "ApiUrl"
"""Stack output holding the HTTP API's base URL."""
WEB_BUCKET_OUTPUT = "WebBucketName"
"""Stack output holding the name of the bucket the page is served from."""
WEB_URL_OUTPUT = "WebUrl"
"""Stack output holding the page's public URL (only printed)."""
SYNC_MAX_BYTES = 4_500_000
"""Files above this go through the presigned upload; equals handler.settings.SYNC_MAX_BYTES."""

NO_CACHE = "no-cache"
SCRIPT_CACHE = "public, max-age=3600"
MEDIA_CACHE = "public, max-age=86400"
ALWAYS_FRESH = {"index.html", CONFIG_FILE}

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
"""Explicit types for what a static page holds; the platform's mimetypes table varies by machine."""


class DeployError(Exception):
    """The deploy cannot go ahead (missing output, empty web folder...); the message says why."""


@dataclass(frozen=True)
class Target:
    bucket: str
    api_url: str
    web_url: str | None = None


@dataclass(frozen=True)
class Upload:
    key: str
    content_type: str
    cache_control: str
    size: int


def content_type(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def cache_control(key: str) -> str:
    name = PurePosixPath(key)
    if key in ALWAYS_FRESH or name.suffix == ".html":
        return NO_CACHE
    if name.suffix in {".js", ".mjs", ".css", ".json", ".webmanifest"}:
        return SCRIPT_CACHE
    return MEDIA_CACHE


def config_js(api_url: str, sync_max_bytes: int = SYNC_MAX_BYTES) -> str:
    """The page's runtime configuration (same shape as the checked-in web/config.js)."""
    config = {"apiBase": normalize_api_url(api_url), "syncMaxBytes": sync_max_bytes}
    return (
        "// Written by infra/deploy_web.py at deploy time: where the page finds the OCR API.\n"
        f"window.OCR_CONFIG = {json.dumps(config)};\n"
    )


def normalize_api_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("https://", "http://")):
        raise DeployError(f"the API URL must start with https:// (got {url!r})")
    return url


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    try:
        stacks = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    except ClientError as error:
        raise DeployError(f"cannot read stack {stack!r}: {error}") from error
    if not stacks:
        raise DeployError(f"stack {stack!r} not found")
    return {item["OutputKey"]: item["OutputValue"] for item in stacks[0].get("Outputs", [])}


def resolve_target(
    outputs: dict[str, str],
    bucket: str | None = None,
    api_url: str | None = None,
    bucket_output: str = WEB_BUCKET_OUTPUT,
    api_output: str = API_URL_OUTPUT,
) -> Target:
    """Flags first, then stack outputs; names every missing piece in one error."""
    bucket = bucket or outputs.get(bucket_output)
    api_url = api_url or outputs.get(api_output)
    missing = [
        f"{what} (stack output {key!r} or {flag})"
        for what, value, key, flag in (
            ("web bucket", bucket, bucket_output, "--bucket"),
            ("API URL", api_url, api_output, "--api-url"),
        )
        if not value
    ]
    if missing:
        raise DeployError("missing " + " and ".join(missing))
    assert bucket and api_url
    return Target(bucket, normalize_api_url(api_url), outputs.get(WEB_URL_OUTPUT))


def site_files(web_dir: Path) -> list[tuple[str, Path]]:
    """(key, path) for every file to publish; config.js is generated, dotfiles stay home."""
    if not (web_dir / "index.html").is_file():
        raise DeployError(f"{web_dir} has no index.html")
    files = []
    for path in sorted(web_dir.rglob("*")):
        key = path.relative_to(web_dir).as_posix()
        if path.is_file() and key != CONFIG_FILE and not any(p.startswith(".") for p in key.split("/")):
            files.append((key, path))
    return files


def publish(
    s3: Any,
    target: Target,
    web_dir: Path = WEB_DIR,
    sync_max_bytes: int = SYNC_MAX_BYTES,
    delete_stale: bool = False,
    dry_run: bool = False,
) -> list[Upload]:
    """Upload the page to `target.bucket`; config.js last, so it never points at a half-copied page."""
    bodies = [(key, path.read_bytes()) for key, path in site_files(web_dir)]
    bodies.append((CONFIG_FILE, config_js(target.api_url, sync_max_bytes).encode()))
    uploads = []
    for key, body in bodies:
        upload = Upload(key, content_type(key), cache_control(key), len(body))
        log.info(
            "%s s3://%s/%s (%s, %s)",
            "would put" if dry_run else "put",
            target.bucket,
            key,
            upload.content_type,
            upload.cache_control,
        )
        if not dry_run:
            s3.put_object(
                Bucket=target.bucket,
                Key=key,
                Body=body,
                ContentType=upload.content_type,
                CacheControl=upload.cache_control,
            )
        uploads.append(upload)
    if delete_stale:
        _delete_stale(s3, target.bucket, {u.key for u in uploads}, dry_run)
    return uploads


def _delete_stale(s3: Any, bucket: str, keep: set[str], dry_run: bool) -> None:
    stale = [key for key in _all_keys(s3, bucket) if key not in keep]
    for start in range(0, len(stale), 1000):  # DeleteObjects takes at most 1000 keys
        batch = stale[start : start + 1000]
        log.info("%s %d stale objects: %s", "would delete" if dry_run else "delete", len(batch), batch)
        if not dry_run:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True})


def _all_keys(s3: Any, bucket: str) -> Iterable[str]:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            yield item["Key"]


def samconfig_value(name: str, path: Path | None = None) -> str | None:
    """A parameter `sam deploy` would use (deploy section first, then global), or None."""
    path = path or SAMCONFIG
    if not path.is_file():
        return None
    environment = tomllib.loads(path.read_text(encoding="utf-8")).get("default", {})
    for command in ("deploy", "global"):
        value = environment.get(command, {}).get("parameters", {}).get(name)
        if value:
            return str(value)
    return None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stack",
        help="CloudFormation stack whose outputs name the bucket and API URL (default: samconfig.toml's)",
    )
    parser.add_argument("--bucket", help="web bucket (overrides the stack output)")
    parser.add_argument("--api-url", help="API base URL written into config.js (overrides the stack output)")
    parser.add_argument("--region", help="AWS region (default: the AWS configuration's)")
    parser.add_argument("--profile", help="AWS profile")
    parser.add_argument("--web-dir", type=Path, default=WEB_DIR, help="folder to publish (default: web/)")
    parser.add_argument(
        "--sync-max-bytes",
        type=int,
        default=SYNC_MAX_BYTES,
        help="largest file the page sends to POST /ocr directly",
    )
    parser.add_argument("--api-output", default=API_URL_OUTPUT, help="stack output key of the API URL")
    parser.add_argument("--bucket-output", default=WEB_BUCKET_OUTPUT, help="stack output key of the bucket")
    parser.add_argument("--delete", action="store_true", help="remove objects no longer in web/")
    parser.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    args = parser.parse_args(argv)
    if not (args.bucket and args.api_url):
        args.stack = args.stack or samconfig_value("stack_name")
        args.region = args.region or samconfig_value("region")
    if not args.stack and not (args.bucket and args.api_url):
        parser.error("give --stack (or a stack_name in samconfig.toml), or both --bucket and --api-url")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = parse_args(argv)
    try:
        session = boto3.Session(region_name=args.region, profile_name=args.profile)
        outputs = stack_outputs(session.client("cloudformation"), args.stack) if args.stack else {}
        target = resolve_target(outputs, args.bucket, args.api_url, args.bucket_output, args.api_output)
        uploads = publish(
            session.client("s3"), target, args.web_dir, args.sync_max_bytes, args.delete, args.dry_run
        )
    except (DeployError, BotoCoreError, ClientError) as error:
        log.error("deploy-web: %s", error)
        return 1
    log.info(
        "%s %d files to s3://%s; config.js -> %s",
        "checked" if args.dry_run else "published",
        len(uploads),
        target.bucket,
        target.api_url,
    )
    if target.web_url:
        log.info("page: %s", target.web_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
