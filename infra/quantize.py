"""Static QDQ INT8 quantization of the OCR models, calibrated on our own preprocessed inputs.

Why static QDQ: naive `quantize_dynamic` gave no speed-up here and wrecked accuracy (DESIGN.md,
"Lessons already paid for"). Static quantization fixes every activation range ahead of time
from calibration data, so ONNX Runtime can fuse DequantizeLinear -> Conv -> QuantizeLinear
into integer kernels; per-channel weight scales keep depthwise/pointwise convolutions whose
channels differ by orders of magnitude usable in 8 bits.

Calibration data must be what the engine really feeds the networks, so it is produced by the
engine's own stages (`OcrEngine().stages(get_preset("accurate"))`) from an image set rendered by
`bench.evalset` with a seed other than the evaluation's:

* detector: `TextDetector.preprocess` of every page and of a sample of line images (in auto
  mode a line image goes through the detector too);
* recognizers: line images whole (auto mode reads a single line directly) plus the lines the
  detector finds on the pages, cut with `crop_line`; batched and zero-padded exactly as
  `TextRecognizer.__call__` does, so the calibration sees the engine's real widths.

Steps per model: opset bump to 13 when needed (per-axis Q/DQ exists from opset 13 on) ->
`quant_pre_process` (shape inference + graph optimisation, the recommended preparation) ->
`quantize_static(QDQ, per_channel=True)`; the softmax head of the recognizers stays float (its
probabilities are the confidences the engine thresholds on). Each written model is checked to
keep its dynamic axes and compared with the float model on a few calibration inputs.

    python infra/quantize.py --models models --out /tmp/int8 --calib /tmp/int8/calib
    python infra/quantize.py --models models --out /tmp/int8 --bench     # float vs int8 timing

Writes `<model>_int8.onnx` (QUInt8 activations, QInt8 weights; `--variants u8s8,s8s8` adds
`<model>_int8_s8s8.onnx`, QInt8 both). Output is deterministic for a given calibration set.
Needs the `onnx` package, which is not a runtime dependency: a build-time tool only.

Measured on this 2-core AVX512-VNNI EPYC (noisy shared machine, paired-ratio medians):
* op types: ORT's default set (Conv, Mul, Add, Sigmoid, Resize, ... get Q/DQ, so ORT fuses
  whole integer chains) ran the detector at ~0.70-0.79x of float; quantizing only Conv/MatMul
  left Q/DQ pairs around every float activation and made it 1.3-1.7x slower.
* s8s8 (QInt8 activations) was slower than float on every model: x86 kernels want u8 activations.
* accuracy (bench.evaluate, fast+accurate presets): the detector holds; the tiny recognizer loses
  ~7 points of line accuracy whatever the variant; the small recognizer roughly holds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DETECTOR = "ppocrv6_tiny_det.onnx"
RECOGNIZERS = ("ppocrv6_tiny_rec.onnx", "ppocrv6_small_rec.onnx")
MODELS = (DETECTOR, *RECOGNIZERS)
MIN_PER_CHANNEL_OPSET = 13
BENCH_THREADS = 2


@dataclass(frozen=True)
class Variant:
    """One activation/weight type pair and the suffix of the file it is written to."""

    name: str
    suffix: str
    activation: str
    weight: str


VARIANTS = {
    "u8s8": Variant("u8s8", "_int8", "QUInt8", "QInt8"),
    "s8s8": Variant("s8s8", "_int8_s8s8", "QInt8", "QInt8"),
}


# --------------------------------------------------------------------------- calibration data


def read_rgb(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def calibration_inputs(
    calib_dir: Path, models_dir: Path, every_line: int = 5
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(detector inputs, recognizer batches), preprocessed by the engine's own stages.

    `every_line`: one line image in this many also goes to the detector calibration (the
    detector sees line images in auto mode, but pages carry most of its work).
    """
    from ocr_core import OcrEngine
    from ocr_core.models.presets import get_preset
    from ocr_core.recognize.crop import crop_line, is_vertical, vertical_to_horizontal
    from ocr_core.recognize.recognizer import padded

    stages = OcrEngine(models=models_dir, threads=BENCH_THREADS).stages(get_preset("accurate"))
    detector, recognizer = stages.detector, stages.recognize.recognizer
    assert detector is not None
    rows = [json.loads(line) for line in (calib_dir / "labels.jsonl").read_text("utf-8").splitlines() if line]

    det_inputs: list[np.ndarray] = []
    crops: list[np.ndarray] = []
    lines_seen = 0
    for row in rows:
        image = read_rgb(calib_dir / row["file"])
        if row["kind"] == "page":
            det_inputs.append(detector.preprocess(image))
            for box, _ in detector(image):
                crop = crop_line(image, box)
                crops.append(vertical_to_horizontal(crop) if is_vertical(crop) else crop)
        else:
            if lines_seen % every_line == 0:
                det_inputs.append(detector.preprocess(image))
            lines_seen += 1
            crops.append(image)

    # Batches built exactly as TextRecognizer.__call__ builds them (sorted widths, column budget).
    widths = [recognizer.scaled_width(crop) for crop in crops]
    rec_batches: list[np.ndarray] = []
    for batch in recognizer.batches(widths):
        batch_width = padded(max(widths[i] for i in batch))
        tensor = np.zeros((len(batch), 3, recognizer.height, batch_width), dtype=np.float32)
        for slot, index in enumerate(batch):
            tensor[slot, :, :, : widths[index]] = recognizer.normalize(crops[index], widths[index])
        rec_batches.append(tensor)
    return det_inputs, rec_batches


def describe(inputs: Sequence[np.ndarray]) -> str:
    shapes = sorted({tuple(x.shape) for x in inputs})
    widths = [x.shape[3] for x in inputs]
    return (
        f"{len(inputs)} tensors, {len(shapes)} shapes, width {min(widths)}..{max(widths)} "
        f"(median {int(statistics.median(widths))}), batch {min(x.shape[0] for x in inputs)}.."
        f"{max(x.shape[0] for x in inputs)}"
    )


class ArrayReader:
    """CalibrationDataReader over a list of ready input tensors."""

    def __init__(self, input_name: str, tensors: Sequence[np.ndarray]):
        self.input_name = input_name
        self._iter: Iterator[np.ndarray] = iter(tensors)

    def get_next(self) -> dict[str, np.ndarray] | None:
        tensor = next(self._iter, None)
        return None if tensor is None else {self.input_name: tensor}


# --------------------------------------------------------------------------- quantization


def prepare(source: Path, work: Path) -> Path:
    """Opset >= 13 (per-axis Q/DQ), then ORT's recommended `quant_pre_process`."""
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization.shape_inference import quant_pre_process

    model = onnx.load(str(source))
    opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
    staged = source
    if opset < MIN_PER_CHANNEL_OPSET:
        model = version_converter.convert_version(model, MIN_PER_CHANNEL_OPSET)
        staged = work / f"{source.stem}_opset{MIN_PER_CHANNEL_OPSET}.onnx"
        onnx.save(model, str(staged))
    prepared = work / f"{source.stem}_prep.onnx"
    try:
        quant_pre_process(str(staged), str(prepared), auto_merge=True)
    except Exception as error:  # symbolic shape inference trips on some dynamic-width graphs
        print(f"  quant_pre_process with symbolic shapes failed ({error}); retrying without", flush=True)
        quant_pre_process(str(staged), str(prepared), skip_symbolic_shape=True)
    return prepared


def head_nodes(model_path: Path) -> list[str]:
    """Every Softmax and the MatMul (+ bias Add) feeding it: these stay float.

    The last Softmax gives the per-step class probabilities the engine reads confidences from
    (thresholded for the fallback recognizer and `min_confidence`): in 8 bits they would be a
    1/256 staircase, and the classifier head is a small share of the work. In the small
    recognizer's SVTR blocks this also keeps the attention scores (Q.K^T -> Softmax) float.
    """
    import onnx

    graph = onnx.load(str(model_path), load_external_data=False).graph
    producer = {out: node for node in graph.node for out in node.output}
    names: list[str] = []
    for node in graph.node:
        if node.op_type != "Softmax":
            continue
        names.append(node.name)
        current = producer.get(node.input[0])
        while current is not None and current.op_type in ("Add", "Identity", "MatMul"):
            names.append(current.name)
            if current.op_type == "MatMul":
                break
            current = producer.get(current.input[0])
    return names


def quantize(
    prepared: Path,
    output: Path,
    inputs: Sequence[np.ndarray],
    variant: Variant,
    op_types: Sequence[str],
    exclude: Sequence[str],
    cache: Path,
    method: str,
) -> None:
    import onnxruntime as ort
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    input_name = ort.InferenceSession(str(prepared), providers=["CPUExecutionProvider"]).get_inputs()[0].name
    quantize_static(
        str(prepared),
        str(output),
        ArrayReader(input_name, inputs),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=getattr(QuantType, variant.activation),
        weight_type=getattr(QuantType, variant.weight),
        op_types_to_quantize=list(op_types) or None,
        nodes_to_exclude=list(exclude),
        calibrate_method=getattr(CalibrationMethod, method),
        # Ranges merged every few batches: the augmented model outputs every tensor, and a
        # 960-pixel page would otherwise keep hundreds of MB of activations per input.
        extra_options={"CalibMaxIntermediateOutputs": 4},
        calibration_cache_path=str(cache),
    )


def check(float_path: Path, int8_path: Path, inputs: Sequence[np.ndarray], samples: int = 8) -> str:
    """Dynamic axes kept, and agreement with the float model on a few calibration inputs."""
    import onnxruntime as ort

    from ocr_core.models.sessions import session_options

    sessions = [
        ort.InferenceSession(str(p), session_options(BENCH_THREADS), providers=["CPUExecutionProvider"])
        for p in (float_path, int8_path)
    ]
    shapes = [tuple(s.get_inputs()[0].shape) for s in sessions]
    if [isinstance(d, str) for d in shapes[1]] != [isinstance(d, str) for d in shapes[0]]:
        raise RuntimeError(f"{int8_path.name} lost dynamic axes: {shapes[0]} -> {shapes[1]}")
    name = sessions[0].get_inputs()[0].name
    step = max(1, len(inputs) // samples)
    diffs, agree = [], []
    for tensor in inputs[::step][:samples]:
        a, b = (s.run(None, {name: tensor})[0] for s in sessions)
        diffs.append(float(np.abs(a - b).mean()))
        if a.ndim == 3:  # recognizer: N x T x C probabilities -> per-step argmax agreement
            agree.append(float((a.argmax(-1) == b.argmax(-1)).mean()))
        else:  # detector: probability map -> agreement of the 0.3 text mask
            agree.append(float(((a > 0.3) == (b > 0.3)).mean()))
    return f"input {shapes[1]}; mean |diff| {np.mean(diffs):.4f}; argmax/mask agreement {np.mean(agree):.4f}"


# --------------------------------------------------------------------------- timing


def bench_inputs(calib_dir: Path | None, models_dir: Path) -> dict[str, list[tuple[str, np.ndarray]]]:
    """Realistic fixed-shape inputs: real pages and lines resized to the benchmark shapes."""
    from ocr_core import OcrEngine
    from ocr_core.detect.detector import BORDER
    from ocr_core.imaging import resize
    from ocr_core.models.presets import get_preset

    stages = OcrEngine(models=models_dir, threads=BENCH_THREADS).stages(get_preset("accurate"))
    detector, recognizer = stages.detector, stages.recognize.recognizer
    assert detector is not None
    pages: list[np.ndarray] = []
    lines: list[np.ndarray] = []
    if calib_dir and (calib_dir / "labels.jsonl").is_file():
        rows = [json.loads(x) for x in (calib_dir / "labels.jsonl").read_text("utf-8").splitlines() if x]
        pages = [read_rgb(calib_dir / r["file"]) for r in rows if r["kind"] == "page"][:2]
        lines = [read_rgb(calib_dir / r["file"]) for r in rows if r["kind"] == "line"][:8]
    rng = np.random.default_rng(0)
    if not pages:  # no rendered set: noise still gives the right shapes (timing only)
        pages = [rng.integers(0, 255, (1080, 1920, 3), dtype=np.uint8)] * 2
        lines = [rng.integers(0, 255, (48, 400, 3), dtype=np.uint8)] * 8

    def page_input(image: np.ndarray, width: int, height: int) -> np.ndarray:
        # Resized so preprocess's own size rule + border give exactly width x height.
        inner = resize(image, width - 2 * BORDER, height - 2 * BORDER)
        tensor = detector.preprocess(inner)
        assert tensor.shape[2:] == (height, width), tensor.shape
        return tensor

    def line_batch(count: int, width: int) -> np.ndarray:
        return np.stack([recognizer.normalize(lines[i % len(lines)], width) for i in range(count)])

    rec = [("b1 w320", line_batch(1, 320)), ("b1 w960", line_batch(1, 960)), ("b8 w640", line_batch(8, 640))]
    return {
        DETECTOR: [("960x544", page_input(pages[0], 960, 544)), ("608x864", page_input(pages[-1], 608, 864))],
        **{name: rec for name in RECOGNIZERS},
    }


def bench(
    models_dir: Path,
    out: Path,
    calib_dir: Path | None,
    rounds: int,
    variants: Sequence[Variant],
    only: Sequence[str],
) -> None:
    """Median session.run and session creation, float vs int8, interleaved on a noisy machine."""
    import onnxruntime as ort

    from ocr_core.models.sessions import session_options

    def create(path: Path) -> ort.InferenceSession:
        return ort.InferenceSession(
            str(path), session_options(BENCH_THREADS), providers=["CPUExecutionProvider"]
        )

    print(f"load average before: {os.getloadavg()}", flush=True)
    inputs = bench_inputs(calib_dir, models_dir)
    for model, cases in inputs.items():
        if model not in only:
            continue
        paths = {"float": models_dir / model}
        for variant in variants:
            candidate = out / f"{Path(model).stem}{variant.suffix}.onnx"
            if candidate.is_file():
                paths[variant.name] = candidate
        # Session creation: interleaved, median of 5.
        created: dict[str, list[float]] = {k: [] for k in paths}
        for _ in range(5):
            for key, path in paths.items():
                start = time.perf_counter()
                create(path)
                created[key].append((time.perf_counter() - start) * 1000)
        sessions = {key: create(path) for key, path in paths.items()}
        name = sessions["float"].get_inputs()[0].name
        print(f"\n{model}")
        for key, path in paths.items():
            size, median = path.stat().st_size / 1e6, statistics.median(created[key])
            print(f"  {key:6s} {size:7.2f} MB  session creation {median:7.1f} ms")
        for label, tensor in cases:
            times: dict[str, list[float]] = {k: [] for k in sessions}
            for session in sessions.values():  # warm-up: first runs allocate and pick kernels
                for _ in range(2):
                    session.run(None, {name: tensor})
            order = list(sessions)
            for round_index in range(rounds):
                for key in order if round_index % 2 == 0 else order[::-1]:
                    start = time.perf_counter()
                    sessions[key].run(None, {name: tensor})
                    times[key].append((time.perf_counter() - start) * 1000)
            # Ratio of each run to the float run of the same round, then the median: a load spike
            # hits both runs of a round, so paired ratios are steadier than a ratio of medians.
            cells = [f"float {statistics.median(times['float']):7.2f} ms"]
            for key, values in times.items():
                if key != "float":
                    ratio = statistics.median(a / b for a, b in zip(values, times["float"], strict=True))
                    cells.append(f"{key} {statistics.median(values):7.2f} ms ({ratio:.2f}x)")

            print(f"  {label:8s} {tuple(tensor.shape)}  {'  '.join(cells)}", flush=True)
    print(f"\nload average after: {os.getloadavg()}")


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=Path, default=ROOT / "models", help="folder with the float models")
    parser.add_argument("--out", type=Path, required=True, help="where *_int8.onnx are written")
    parser.add_argument(
        "--calib", type=Path, default=None, help="image set from `python -m bench.evalset DIR --seed 7`"
    )
    parser.add_argument("--only", default=",".join(MODELS), help="comma-separated model files")
    parser.add_argument("--variants", default="u8s8", help=f"comma-separated, of {', '.join(VARIANTS)}")
    parser.add_argument(
        "--op-types", default="", help="comma-separated op types to quantize (default: all ORT quantizes)"
    )
    parser.add_argument(
        "--quantize-head", action="store_true", help="also quantize the recognizers' softmax head"
    )
    parser.add_argument("--method", default="MinMax", choices=["MinMax", "Entropy", "Percentile"])
    parser.add_argument("--bench", action="store_true", help="only time float vs the int8 files in --out")
    parser.add_argument("--rounds", type=int, default=30, help="timed runs per model and input (--bench)")
    args = parser.parse_args(argv)

    variants = [VARIANTS[v] for v in args.variants.split(",") if v]
    selected = [m for m in args.only.split(",") if m]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.bench:
        bench(args.models, args.out, args.calib, args.rounds, variants, selected)
        return 0
    if args.calib is None:
        parser.error("--calib is required to quantize")
    try:
        import onnx  # noqa: F401
    except ImportError:
        parser.error("needs the onnx package (build-time only): pip install onnx")

    work = args.out / "work"
    work.mkdir(exist_ok=True)
    op_types = [t for t in args.op_types.split(",") if t]
    tag = f"{args.method}_{'-'.join(op_types) or 'default'}{'_head' if args.quantize_head else ''}"
    started = time.perf_counter()
    det_inputs, rec_batches = calibration_inputs(args.calib, args.models)
    print(f"calibration data in {time.perf_counter() - started:.1f}s", flush=True)
    print(f"  detector:    {describe(det_inputs)}")
    print(f"  recognizers: {describe(rec_batches)}", flush=True)

    for model in selected:
        source = args.models / model
        inputs = det_inputs if model == DETECTOR else rec_batches
        started = time.perf_counter()
        prepared = prepare(source, work)
        exclude = [] if model == DETECTOR or args.quantize_head else head_nodes(prepared)
        cache = work / f"{source.stem}_{tag}.calib.json"
        cache.unlink(missing_ok=True)  # ranges are shared by this run's variants, never reused stale
        print(f"\n{model}: prepared in {time.perf_counter() - started:.1f}s; kept float: {exclude or 'none'}")
        for variant in variants:
            output = args.out / f"{source.stem}{variant.suffix}.onnx"
            started = time.perf_counter()
            quantize(prepared, output, inputs, variant, op_types, exclude, cache, args.method)
            summary = check(source, output, inputs)
            print(
                f"  {variant.name}: {output} ({output.stat().st_size / 1e6:.2f} MB, "
                f"{time.perf_counter() - started:.1f}s): {summary}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
