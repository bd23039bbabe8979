"""Preloading at import (handler.preload), in fresh processes as a cold Lambda would start.

The test process itself runs with OCR_PRELOAD=0 (conftest), so each case here starts its own
interpreter, imports the real entry point and sends a real API Gateway event through it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.kit.events import EVENTS_DIR, READ_TEXT
from bench.scoring import normalise
from ocr_core.models.presets import get_preset

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import json, sys
import handler.api
from handler import preload
from handler.invoke import invoke
from ocr_core.models.sessions import loaded_sessions
at_import = sorted(sys.modules)
ended = preload.wait(120)
preloaded = loaded_sessions()
response = invoke(json.load(open(sys.argv[1])))
print(json.dumps({
    "ended": ended,
    "preloaded": preloaded,
    "imported": [m for m in at_import if m.split(".")[0] in ("boto3", "botocore", "pypdfium2")],
    "status": response["statusCode"],
    "body": json.loads(response["body"]),
}))
"""


def cold_process(**env: str) -> dict[str, Any]:
    """Import handler.api in a fresh interpreter, wait for the preload, send the multipart event."""
    environ = {**os.environ, "OCR_LOG_LEVEL": "ERROR", **env}
    event = EVENTS_DIR / "apigw_v2_multipart.json"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(event)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def test_preload_loads_the_default_preset_before_the_first_request() -> None:
    report = cold_process(OCR_PRELOAD="1")
    assert report["ended"] and set(report["preloaded"]) == set(get_preset(None).session_files)
    assert report["status"] == 200
    assert normalise(report["body"]["text"]) == READ_TEXT
    assert "load_models" not in report["body"]["timings_ms"]  # the request found them loaded


def test_without_preload_nothing_loads_until_the_first_request() -> None:
    report = cold_process(OCR_PRELOAD="0")
    assert report["preloaded"] == []
    assert report["status"] == 200
    assert normalise(report["body"]["text"]) == READ_TEXT
    assert "load_models" in report["body"]["timings_ms"]


def test_cold_import_leaves_aws_and_pdf_libraries_for_the_requests_that_need_them() -> None:
    # boto3 (~100 ms) only for s3_key requests and uploads, PDFium only for PDFs.
    assert cold_process(OCR_PRELOAD="1")["imported"] == []


def test_failed_preload_never_breaks_import_and_the_request_reports_it(tmp_path: Path) -> None:
    report = cold_process(OCR_PRELOAD="1", OCR_MODEL_DIR=str(tmp_path))
    assert report["ended"] and report["preloaded"] == []
    assert report["status"] == 503
    assert report["body"]["error"]["code"] == "model_not_ready"


def test_the_upload_trigger_preloads_too() -> None:
    script = (
        "import handler.s3_trigger\n"
        "from handler import preload\n"
        "from ocr_core.models.sessions import loaded_sessions\n"
        "print(preload.wait(120), len(loaded_sessions()))\n"
    )
    environ = {**os.environ, "OCR_PRELOAD": "1", "OCR_LOG_LEVEL": "ERROR"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    preset = get_preset(None)
    assert result.stdout.split() == ["True", str(len(preset.session_files))]


EXIT_RIGHT_AWAY = "from handler import preload; preload.start()"
"""A process that starts the preload and exits while ONNX Runtime is still building sessions."""


def test_process_exiting_during_preload_exits_cleanly() -> None:
    # With a daemon thread this aborted (SIGABRT, exit 134) in most runs: the runtime was torn
    # down under the thread still creating sessions. Several runs, as the window is timing-bound.
    env = {**os.environ, "OCR_PRELOAD": "1"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", EXIT_RIGHT_AWAY], cwd=ROOT, env=env, capture_output=True, timeout=120
        )
        for _ in range(6)
    ]
    assert [run.returncode for run in runs] == [0] * len(runs), [run.stderr.decode()[-300:] for run in runs]
