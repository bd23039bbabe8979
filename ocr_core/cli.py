"""Command line: `python -m ocr_core FILE... [--json] [--mode auto|line|page] [--model PRESET] ...`.

Every option of `GET /options` is a flag of the same name (`--layout paragraphs`, `--lang zh`),
generated from the option table; `--option NAME=VALUE` also works. Only options given on the
command line are sent, so the engine's defaults are the API's defaults.

With --json, stdout carries exactly one JSON object per input file per line (the API's JSON
plus "file"), whatever happens to a file, so the output pipes into jq or a JSONL reader;
diagnostics go to stderr. The exit code is 1 if any file failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ocr_core.engine import OcrEngine
from ocr_core.errors import OcrError
from ocr_core.options import OPTION_SPECS, parse_options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ocr_core", description="Read text from images and PDFs.")
    parser.add_argument("files", nargs="+", type=Path, help="image or PDF files")
    parser.add_argument("--json", action="store_true", help="one JSON object per file per line")
    for spec in OPTION_SPECS:
        if spec.name == "format":
            continue  # the CLI prints JSON or text; exports are the API's
        parser.add_argument(
            f"--{spec.name}",
            dest=f"option_{spec.name}",
            default=None,
            choices=spec.enum,
            metavar=None if spec.enum else spec.name.upper(),
            help=f"{spec.description} (default: {spec.default})",
        )
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any option by name, e.g. --option boxes=word (repeatable)",
    )
    parser.add_argument("--models-dir", type=Path, default=None, help="folder with the model files")
    parser.add_argument("--threads", type=int, default=None, help="ONNX Runtime pool threads (shared)")
    return parser


def run(argv: Sequence[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    fields = _option_fields(args, parser)
    engine = OcrEngine(models=args.models_dir, threads=args.threads)
    failed = False
    for path in args.files:
        payload = _read_one(engine, path, fields)
        failed |= not payload["success"]
        if not payload["success"]:
            print(f"{path}: {payload['error']['message']}", file=stderr)
        if args.json:
            print(_json_line(payload), file=stdout)
        elif payload["success"]:
            _print_text(payload, path, len(args.files) > 1, stdout)
    return 1 if failed else 0


def _option_fields(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict[str, str]:
    """Options given as flags and as --option NAME=VALUE; the same name twice must agree."""
    fields = {
        spec.name: value for spec in OPTION_SPECS if (value := getattr(args, f"option_{spec.name}", None))
    }
    for item in args.option:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--option {item!r}: use NAME=VALUE")
        if name in fields and fields[name] != value:
            parser.error(f"option {name} given twice: {fields[name]!r} and {value!r}")
        fields[name] = value
    return fields


def _read_one(engine: OcrEngine, path: Path, fields: dict[str, str]) -> dict[str, Any]:
    try:
        options = parse_options(fields).ocr
        payload = engine.run(path.read_bytes(), options).to_dict()
    except OcrError as error:
        payload = _failure(error.code, error.message)
    except OSError as error:
        payload = _failure("file_unreadable", str(error))
    except Exception as error:  # one bad file must not cost the others their answers
        payload = _failure("internal_error", f"{type(error).__name__}: {error}")
    return {**payload, "file": str(path)}


def _failure(code: str, message: str) -> dict[str, Any]:
    return {"success": False, "error": {"code": code, "message": message}}


def _json_line(payload: dict[str, Any]) -> str:
    """The payload as one line of JSON that any UTF-8 reader accepts (no lone surrogates)."""
    return json.dumps(payload, ensure_ascii=False).encode("utf-8", "replace").decode("utf-8")


def _print_text(payload: dict[str, Any], path: Path, with_header: bool, stdout: TextIO) -> None:
    if with_header:
        print(f"==> {path} <==", file=stdout)
    for line in payload["results"]:
        text = str(line["text"]).encode("utf-8", "replace").decode("utf-8")
        print(f"{text}\t{line['confidence']:.3f}", file=stdout)
