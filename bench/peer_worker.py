"""Bench worker for the peer, RapidOCR 1.4.4 (PP-OCRv4) with its defaults; runs in .venv-peer only.

    .venv-peer/bin/python -m bench.peer_worker [--threads N]

Pages go through RapidOCR's full default pipeline (detect, classify, recognize); single-line
crops through its recognizer alone (use_det=False, use_cls=False), its best mode for crops.
Thread counts are passed as RapidOCR's own keyword arguments, which it copies into the
detector's, classifier's and recognizer's ONNX Runtime session options.
See bench/worker_loop.py for the protocol.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402  (imports are timed from process start)
from typing import Any  # noqa: E402

from rapidocr_onnxruntime import RapidOCR  # noqa: E402

from bench.worker_loop import serve  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    engine = RapidOCR(intra_op_num_threads=args.threads, inter_op_num_threads=1)

    def read(data: bytes, request: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
        if request.get("mode") == "line":
            result, _ = engine(data, use_det=False, use_cls=False, use_rec=True)
            return [str(item[0]) for item in result or []], {}
        result, elapsed = engine(data)
        stages = dict(
            zip(("detect", "classify", "recognize"), [e * 1000.0 for e in elapsed or []], strict=False)
        )
        return [str(item[1]) for item in result or []], {"stages": stages}

    serve(read, STARTED, {"engine": "rapidocr-onnxruntime 1.4.4"})


if __name__ == "__main__":
    main()
