"""Entry point for `python -m ocr_core`."""

from __future__ import annotations

import sys

from ocr_core.cli import run

sys.exit(run())
