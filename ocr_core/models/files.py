"""Where model files live, and reading a recognizer's dictionary.

Files come from `infra/fetch_models.py` at build time; at run time they are only read, from
`OCR_MODEL_DIR` or the `models/` folder beside the package (nothing downloads at run time).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from ocr_core.errors import ModelNotReadyError

MODEL_DIR_ENV = "OCR_MODEL_DIR"
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models"


def model_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The explicit folder, else $OCR_MODEL_DIR, else models/ beside the package."""
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get(MODEL_DIR_ENV)
    return Path(env) if env else DEFAULT_MODEL_DIR


def model_path(directory: Path, file: str) -> Path:
    path = directory / file
    if not path.is_file():
        raise ModelNotReadyError(
            f"model file {file} is missing from {directory}; run `make models` to fetch it"
        )
    return path


@cache
def load_dictionary(path: Path) -> list[str]:
    """CTC classes: blank, then the dictionary's lines, then a space (PaddleOCR's convention).

    Read once per process: the recognizer's class masks are cached by the list's identity."""
    characters = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    return ["", *characters, " "]


@cache
def dictionary_index(path: Path) -> dict[str, int]:
    """Each class's index by its character: built once per process (18k entries took 0.7 ms, a
    tenth of a short line's read, when every request built it)."""
    return {char: index for index, char in enumerate(load_dictionary(path))}
