"""House rules that keep the engine portable: ocr_core imports no cloud or web framework."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

FORBIDDEN = {"boto3", "botocore", "fastapi", "mangum", "pydantic", "starlette", "cv2"}
CORE_FILES = sorted(Path("ocr_core").glob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.name)
def test_ocr_core_module_imports_no_aws_web_or_opencv(path: Path) -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & FORBIDDEN
