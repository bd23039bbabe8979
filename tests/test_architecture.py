"""The house's layers, checked by import-linter (contracts in pyproject.toml), and module sizes.

The contracts: the engine's stages import only the stages before them; `ocr_core` imports no AWS,
web framework or OpenCV, nor `handler`, `bench`, `infra` or `tests`; the handlers import neither
the bench nor the tests; the bench imports nothing from the tests; the S3 trigger imports no web
framework. A broken contract names the import chain that broke it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 300


def test_import_contracts_are_kept() -> None:
    completed = subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-1000:]
    assert "BROKEN" not in completed.stdout


def test_engine_and_handler_modules_stay_small() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for folder in ("ocr_core", "handler")
        for path in (ROOT / folder).rglob("*.py")
    }
    assert {path: lines for path, lines in sizes.items() if lines > MAX_MODULE_LINES} == {}
