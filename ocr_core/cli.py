"""Command line: `python -m ocr_core FILE... [--mode auto|line|page] [--model PRESET] [--json]
[--option NAME=VALUE]...` (any option of `GET /options`, e.g. --option layout=paragraphs).

With --json, stdout carries exactly one JSON object per input file per line (the API's JSON
plus "file"), so the output pipes into jq or a JSONL reader; diagnostics go to stderr.
The exit code is 1 if any file failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ocr_core.engine.engine import OcrEngine
from ocr_core.errors import OcrError
from ocr_core.models.presets import DEFAULT_PRESET, PRESETS
from ocr_core.options import MODES, parse_options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ocr_core", description="Read text from images and PDFs.")
    parser.add_argument("files", nargs="+", type=Path, help="image or PDF files")
    parser.add_argument("--mode", choices=MODES, default="auto", help="auto (default), line or page")
    parser.add_argument("--model", choices=sorted(PRESETS), default=DEFAULT_PRESET, help="model preset")
    parser.add_argument("--pages", default=None, help="PDF/TIFF pages, e.g. 1-3,5 or -1")
    parser.add_argument("--json", action="store_true", help="one JSON object per file per line")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="another request option, e.g. --option lang=zh --option boxes=word (repeatable)",
    )
    parser.add_argument("--models-dir", type=Path, default=None, help="folder with the model files")
    parser.add_argument("--threads", type=int, default=None, help="ONNX Runtime pool threads (shared)")
    return parser


def run(argv: Sequence[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    args = build_parser().parse_args(argv)
    engine = OcrEngine(models=args.models_dir, threads=args.threads)
    failed = False
    for path in args.files:
        payload = _read_one(engine, path, args)
        failed |= not payload["success"]
        if not payload["success"]:
            print(f"{path}: {payload['error']['message']}", file=stderr)
        if args.json:
            print(json.dumps(payload, ensure_ascii=False), file=stdout)
        elif payload["success"]:
            _print_text(payload, path, len(args.files) > 1, stdout)
    return 1 if failed else 0


def _read_one(engine: OcrEngine, path: Path, args: argparse.Namespace) -> dict[str, Any]:
    try:
        extra = dict(item.split("=", 1) for item in args.option if "=" in item)
        fields = {**extra, "mode": args.mode, "model": args.model}
        if args.pages:
            fields["pages"] = args.pages
        options = parse_options(fields).ocr
        payload = engine.run(path.read_bytes(), options).to_dict()
    except OcrError as error:
        payload = {"success": False, "error": {"code": error.code, "message": error.message}}
    except OSError as error:
        payload = {"success": False, "error": {"code": "file_unreadable", "message": str(error)}}
    return {**payload, "file": str(path)}


def _print_text(payload: dict[str, Any], path: Path, with_header: bool, stdout: TextIO) -> None:
    if with_header:
        print(f"==> {path} <==", file=stdout)
    for line in payload["results"]:
        print(f"{line['text']}\t{line['confidence']:.3f}", file=stdout)
